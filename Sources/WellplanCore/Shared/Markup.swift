/// The one escaper for text written into HTML, SVG and XML by hand (reports, QR codes, codebooks):
/// safe in element content and in attribute values quoted either way. Pages are Leaf's, which escapes
/// by itself.
public enum Markup {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
