/// Horizontal bars, each labelled with its figure, so the picture needs no colour and no legend; a figure
/// without a value (withheld) is said in words where its bar would be. Drawn here for every page and report.
public struct BarChart: Sendable, Equatable {
    public struct Bar: Sendable, Equatable {
        public let label: String
        public let value: Double?
        /// The figure as the reader sees it: "1,234", "12.5%", "withheld".
        public let text: String

        public init(label: String, value: Double?, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    /// A line across the bars, such as a target, with its label.
    public struct Reference: Sendable, Equatable {
        public let value: Double
        public let label: String

        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    public let id: String
    public let title: String
    public let description: String
    public let bars: [Bar]
    public let reference: Reference?

    public init(id: String, title: String, description: String, bars: [Bar], reference: Reference? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.bars = bars
        self.reference = reference
    }

    static let width = 640.0, labelWidth = 220.0, barHeight = 22.0, gap = 8.0

    /// The chart in a `<figure>` with its title as the caption.
    public var figure: String {
        let values = bars.compactMap(\.value) + [reference?.value].compactMap { $0 }
        let top = max(values.max() ?? 1, 1e-9)
        let plot = Self.width - Self.labelWidth - 90
        let rows = Double(bars.count) * (Self.barHeight + Self.gap) + Self.gap
        let height = rows + (reference != nil ? 18 : 0)
        var body = ""
        for (i, bar) in bars.enumerated() {
            let y = Self.gap + Double(i) * (Self.barHeight + Self.gap)
            let baseline = SVG.number(y + 16)
            body += SVG.text(
                "text", ["x": SVG.number(Self.labelWidth - 8), "y": baseline, "text-anchor": "end"],
                String(bar.label.prefix(34)))
            guard let value = bar.value else {
                body += SVG.text(
                    "text", ["x": SVG.number(Self.labelWidth + 6), "y": baseline, "font-style": "italic"], bar.text)
                continue
            }
            let length = max(1, plot * max(0, value) / top)
            body += SVG.element(
                "rect",
                [
                    "x": SVG.number(Self.labelWidth), "y": SVG.number(y), "width": SVG.number(length.rounded()),
                    "height": SVG.number(Self.barHeight), "fill": "#0b5394",
                ])
            body += SVG.text("text", ["x": SVG.number(Self.labelWidth + length + 6), "y": baseline], bar.text)
        }
        if let reference {
            let x = Self.labelWidth + plot * reference.value / top
            body += SVG.element(
                "line",
                [
                    "x1": SVG.number(x), "y1": "0", "x2": SVG.number(x), "y2": SVG.number(rows),
                    "stroke": "#1b1b1b", "stroke-dasharray": "6 4",
                ])
            body += SVG.text(
                "text", ["x": SVG.number(min(x, Self.width - 120)), "y": SVG.number(height - 4)], reference.label)
        }
        let picture = SVG.picture(
            id: id, width: Self.width, height: height, title: title, description: description, cssClass: "chart", body)
        return "<figure class=\"chart\">" + picture + SVG.text("figcaption", [:], title) + "</figure>"
    }
}
