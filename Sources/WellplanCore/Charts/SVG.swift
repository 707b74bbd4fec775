import Foundation

/// The one way a chart or map is written as SVG, for pages, downloads and reports alike: every text and
/// attribute goes through `Markup.escaped`, and numbers are written to one decimal.
public enum SVG {
    /// `<name a="…" b="…">children</name>`, or `<name … />` when it has no children.
    public static func element(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ children: String = ""
    )
        -> String
    {
        var tag = "<" + name
        for (key, value) in attributes {
            tag += " \(key)=\"\(Markup.escaped(value))\""
        }
        return children.isEmpty ? tag + "/>" : tag + ">" + children + "</\(name)>"
    }

    /// Text content, escaped.
    public static func text(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: String)
        -> String
    {
        element(name, attributes, Markup.escaped(content))
    }

    /// A coordinate or length: "12.5", "40".
    public static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }

    /// The picture's frame: an accessible name and description for screen readers, a white ground.
    public static func picture(
        id: String, width: Double, height: Double, title: String, description: String, role: String = "img",
        cssClass: String? = nil, _ body: String
    ) -> String {
        let heading = text("title", ["id": id + "-title"], title) + text("desc", ["id": id + "-desc"], description)
        var attributes = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(number(width)) \(number(height))"),
            ("role", role), ("aria-labelledby", "\(id)-title \(id)-desc"),
            ("font-family", "system-ui, sans-serif"), ("font-size", "13"),
        ]
        if let cssClass { attributes.append(("class", cssClass)) }
        var tag = "<svg"
        for (key, value) in attributes {
            tag += " \(key)=\"\(Markup.escaped(value))\""
        }
        return tag + ">" + heading + body + "</svg>"
    }

    /// Diagonal hatching for what is withheld, so it is told by more than colour.
    public static func hatch(id: String, colour: String = "#4a4a4a") -> String {
        let stripe =
            element("rect", ["width": "8", "height": "8", "fill": "#ffffff"])
            + element("line", ["x1": "0", "y1": "0", "x2": "0", "y2": "8", "stroke": colour, "stroke-width": "2"])
        let pattern = element(
            "pattern",
            [
                "id": id, "width": "8", "height": "8", "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            ], stripe)
        return element("defs", [:], pattern)
    }
}
