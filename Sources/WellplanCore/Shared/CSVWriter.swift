/// The one way the product writes CSV (RFC 4180): fields quoted where they hold a separator, a quote or
/// a line break, lines ended by CR LF, and a text that a spreadsheet would run as a formula (one that
/// starts with `=`, `+`, `-`, `@`, a tab or a CR and is not a number) made inert with a leading `'`.
/// `CSVParser` reads that `'` away again, so what the product writes, it reads back as it was.
public enum CSVWriter {
    /// The characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\r\n"]

    public static func document(_ rows: [[String]]) -> String {
        rows.map(line).joined()
    }

    public static func line(_ fields: [String]) -> String {
        fields.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ text: String) -> String {
        let inert = isNeutralised(text) || (startsFormula(text) && Double(text) == nil) ? "'" + text : text
        guard inert.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return inert
        }
        return "\"" + inert.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func startsFormula(_ text: some StringProtocol) -> Bool {
        text.first.map(formulaStarts.contains) ?? false
    }

    /// A text that reads as one made inert: `'` before what would start a formula, or before such a text.
    /// Written with one more `'`, so that it, too, reads back as it was.
    static func isNeutralised(_ text: some StringProtocol) -> Bool {
        guard text.first == "'" else { return false }
        let rest = text.dropFirst()
        return startsFormula(rest) || isNeutralised(rest)
    }
}
