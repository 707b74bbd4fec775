import Foundation

/// How a measure's figure reads: its decimals, its unit, the reader's number conventions
/// ("1,234.5" in English, "1 234,5" in French).
public struct FigureFormat: Sendable {
    public let decimals: Int
    public let unit: MeasureUnit
    public let language: Language

    public init(decimals: Int, unit: MeasureUnit, language: Language) {
        self.decimals = decimals
        self.unit = unit
        self.language = language
    }

    /// The measure's own decimals, or none for counts and one for everything else.
    public init(_ measure: Measure, _ language: Language) {
        self.init(
            decimals: measure.decimals ?? (measure.unit == .count ? 0 : 1), unit: measure.unit, language: language)
    }

    public func text(_ value: Double) -> String {
        // Written out here: Foundation's NumberFormatter on Linux ignores the fraction digits it is given.
        let fixed = String(format: "%.\(decimals)f", abs(value))
        let parts = fixed.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 {
            grouped = (language == .fr ? "\u{00A0}" : ",") + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        let negative = value < 0 && fixed.contains(where: { $0 != "0" && $0 != "." })
        var number = (negative ? "-" : "") + whole + grouped
        if parts.count > 1 { number += (language == .fr ? "," : ".") + parts[1] }
        switch unit {
        case .percent: return language == .fr ? number + "\u{00A0}%" : number + "%"
        case .currency: return language == .fr ? number + "\u{00A0}$" : "$" + number
        default: return number
        }
    }
}

/// A measure's series as an accessible line chart: each point marked and labelled with its value, the
/// target as a dashed line with square markers, withheld figures left as gaps in the line and named in the
/// description. Nothing is told by colour alone.
public struct LineChart: Sendable, Equatable {
    public struct Point: Sendable, Equatable, Codable {
        public let x: Double
        public let y: Double
        public let label: String
    }
    public struct Line: Sendable, Equatable {
        public let name: String
        /// SVG path data; a gap (a withheld or missing figure) starts a new stroke.
        public let path: String
        public let points: [Point]
        public let dashed: Bool
    }
    public struct Tick: Sendable, Equatable, Codable {
        public let position: Double
        public let label: String
    }

    public static let width = 640.0, height = 300.0
    static let left = 70.0, right = 20.0, top = 20.0, bottom = 40.0

    public let lines: [Line]
    public let valueTicks: [Tick]
    public let periodTicks: [Tick]

    /// `actual` and `target` by period (nil: withheld or missing).
    public init(
        periods: [Period], actual: [Period: Double?], target: [Period: Double], format: FigureFormat,
        names: (actual: String, target: String)
    ) {
        let values = periods.compactMap { actual[$0] ?? nil } + target.values
        let (low, high, step) = Self.scale(values, finest: pow(10, -Double(format.decimals)))
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        func x(_ i: Int) -> Double {
            Self.left + (periods.count < 2 ? plotWidth / 2 : plotWidth * Double(i) / Double(periods.count - 1))
        }
        func y(_ v: Double) -> Double { Self.top + plotHeight * (1 - (v - low) / max(high - low, .ulpOfOne)) }
        func line(_ name: String, _ value: (Period) -> Double?, dashed: Bool) -> Line {
            var path = "", points: [Point] = [], drawing = false
            for (i, p) in periods.enumerated() {
                guard let v = value(p) else {
                    drawing = false
                    continue
                }
                let point = Point(
                    x: (x(i) * 10).rounded() / 10, y: (y(v) * 10).rounded() / 10,
                    label: "\(p.label(format.language)): \(format.text(v))")
                path += "\(drawing ? "L" : "M")\(point.x) \(point.y) "
                drawing = true
                points.append(point)
            }
            return Line(name: name, path: path.trimmingCharacters(in: .whitespaces), points: points, dashed: dashed)
        }
        var lines = [line(names.actual, { actual[$0] ?? nil }, dashed: false)]
        if !target.isEmpty { lines.append(line(names.target, { target[$0] }, dashed: true)) }
        self.lines = lines
        valueTicks = stride(from: low, through: high + step / 2, by: step).map {
            Tick(position: (y($0) * 10).rounded() / 10, label: format.text($0))
        }
        periodTicks = periods.enumerated().map {
            Tick(position: (x($0.offset) * 10).rounded() / 10, label: $0.element.label(format.language))
        }
    }

    /// Whether there is nothing to draw: no figure and no target in any period.
    public var isEmpty: Bool { lines.allSatisfy(\.points.isEmpty) }

    /// A value axis with round steps (1, 2, 2.5 or 5 times a power of ten) from at or below the lowest value
    /// to at or above the highest; from zero when the values are all positive and zero is not far below them.
    /// No step is finer than `finest`, the figures' own precision, so no two labels read alike ("0, 0, 1").
    static func scale(_ values: [Double], finest: Double = 0) -> (low: Double, high: Double, step: Double) {
        guard var low = values.min(), var high = values.max() else { return (0, 1, max(0.25, finest)) }
        if low >= 0, low < high / 2 || low == high { low = 0 }
        if high == low { high = low + 1 }
        let rough = (high - low) / 4
        let power = pow(10, floor(log10(rough)))
        let round = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let step = max(round, finest)
        return ((low / step).rounded(.down) * step, (high / step).rounded(.up) * step, step)
    }
}

extension LineChart {
    /// The chart as standalone SVG: a grid with value labels, period labels, each line with its points
    /// focusable and named ("Actual, 2024: 12.5%"), and a legend that tells the lines apart by dash and marker.
    public func svg(id: String, title: String, description: String) -> String {
        let (left, right) = (Self.left, Self.width - Self.right)
        let ink = "#1b1b1b", blue = "#0b5394"
        var body = SVG.element(
            "rect", ["width": SVG.number(Self.width), "height": SVG.number(Self.height), "fill": "#ffffff"])
        for tick in valueTicks {
            let y = SVG.number(tick.position)
            let rule = SVG.element(
                "line", ["x1": SVG.number(left), "x2": SVG.number(right), "y1": y, "y2": y, "stroke": "#d0d0d0"])
            let label = SVG.text(
                "text",
                ["x": SVG.number(left - 6), "y": y, "dy": "4", "text-anchor": "end", "font-size": "12", "fill": ink],
                tick.label)
            body += SVG.element("g", ["aria-hidden": "true"], rule + label)
        }
        for tick in periodTicks {
            body += SVG.text(
                "text",
                [
                    "aria-hidden": "true", "x": SVG.number(tick.position), "y": SVG.number(Self.height - 15),
                    "text-anchor": "middle", "font-size": "12", "fill": ink,
                ], tick.label)
        }
        for (i, line) in lines.enumerated() {
            let dash = line.dashed ? "7 5" : "none"
            var drawn = SVG.element(
                "path",
                ["d": line.path, "fill": "none", "stroke": blue, "stroke-width": "2.5", "stroke-dasharray": dash])
            for point in line.points {
                let name = "\(line.name), \(point.label)"
                let said = SVG.text("title", [:], name)
                let (x, y) = (SVG.number(point.x), SVG.number(point.y))
                if line.dashed {
                    drawn += SVG.element(
                        "rect",
                        [
                            "x": x, "y": y, "width": "10", "height": "10", "transform": "translate(-5 -5)",
                            "fill": "#ffffff", "stroke": blue, "stroke-width": "2", "tabindex": "0", "role": "img",
                            "aria-label": name,
                        ], said)
                } else {
                    drawn += SVG.element(
                        "circle",
                        ["cx": x, "cy": y, "r": "5", "fill": blue, "tabindex": "0", "role": "img", "aria-label": name],
                        said)
                }
            }
            let legendY = SVG.number(14 + Double(i) * 18)
            let sample = SVG.element(
                "line",
                [
                    "x1": "440", "x2": "470", "y1": legendY, "y2": legendY, "stroke": blue, "stroke-width": "2.5",
                    "stroke-dasharray": dash,
                ])
            let named = SVG.text(
                "text", ["x": "476", "y": legendY, "dy": "4", "font-size": "12", "fill": ink], line.name)
            drawn += SVG.element("g", ["aria-hidden": "true"], sample + named)
            body += SVG.element("g", [:], drawn)
        }
        return SVG.picture(
            id: id, width: Self.width, height: Self.height, title: title, description: description, role: "group",
            cssClass: "chart", body)
    }
}
