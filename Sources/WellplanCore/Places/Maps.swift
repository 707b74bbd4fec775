import Foundation

/// Where longitude and latitude land on a map drawn `width` units wide: a flat projection scaled by the
/// cosine of the middle latitude, so that a neighbourhood keeps its shape; y grows southward as in SVG.
public struct MapFrame: Sendable, Equatable {
    public let bounds: BoundingBox
    public let width: Double
    public let height: Double
    let scale: Double
    let squeeze: Double

    public init(bounds: BoundingBox, width: Double = 800, margin: Double = 10) {
        self.bounds = bounds
        squeeze = cos((bounds.minLatitude + bounds.maxLatitude) / 2 * .pi / 180)
        let spanX = max(1e-9, (bounds.maxLongitude - bounds.minLongitude) * squeeze),
            spanY = max(1e-9, bounds.maxLatitude - bounds.minLatitude)
        scale = (width - 2 * margin) / spanX
        self.width = width
        height = spanY * scale + 2 * margin
    }

    public func point(_ p: Position) -> (x: Double, y: Double) {
        let margin = (width - (bounds.maxLongitude - bounds.minLongitude) * squeeze * scale) / 2
        return (
            margin + (p.longitude - bounds.minLongitude) * squeeze * scale,
            height - margin - (p.latitude - bounds.minLatitude) * scale
        )
    }

    /// An SVG path for a shape: one closed subpath per ring, holes drawn with the even–odd rule.
    public func path(_ shape: Shape) -> String {
        shape.polygons.joined().map { ring in
            ring.enumerated().map { i, p in
                let (x, y) = point(p)
                return (i == 0 ? "M" : "L") + String(format: "%.1f %.1f", x, y)
            }.joined() + "Z"
        }.joined()
    }
}

/// Incidents counted in square cells over an area: where they gather, without a dot for each.
public struct GridBins: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public let column: Int
        public let row: Int
        public let bounds: BoundingBox
        public let count: Int
    }

    public let cells: [Cell]

    /// - Parameter side: cells along the longer side of the bounds.
    public init(_ positions: [Position], bounds: BoundingBox, side: Int = 30) {
        let squeeze = cos((bounds.minLatitude + bounds.maxLatitude) / 2 * .pi / 180)
        let spanX = (bounds.maxLongitude - bounds.minLongitude) * squeeze,
            spanY = bounds.maxLatitude - bounds.minLatitude
        let size = max(spanX, spanY) / Double(max(1, side))
        guard size > 0 else {
            cells = []
            return
        }
        let (dx, dy) = (size / squeeze, size)
        var counts: [Int: Int] = [:]
        let columns = Int((spanX / size).rounded(.up)) + 1
        for p in positions where bounds.contains(p) {
            let c = Int((p.longitude - bounds.minLongitude) / dx), r = Int((p.latitude - bounds.minLatitude) / dy)
            counts[r * columns + c, default: 0] += 1
        }
        cells = counts.keys.sorted().map { key in
            let (c, r) = (key % columns, key / columns)
            let box = BoundingBox([
                Position(
                    longitude: bounds.minLongitude + Double(c) * dx, latitude: bounds.minLatitude + Double(r) * dy),
                Position(
                    longitude: bounds.minLongitude + Double(c + 1) * dx,
                    latitude: bounds.minLatitude + Double(r + 1) * dy),
            ])
            return Cell(column: c, row: r, bounds: box, count: counts[key]!)
        }
    }
}

/// Five classes of values for a map, by quantile, each with its shade and its range in words: the legend
/// and the data table say what the shade says. Counts class from zero in whole numbers; other figures
/// (an index, a rate) from their lowest value.
public struct MapClasses: Sendable, Equatable {
    public let upperBounds: [Double]
    let lowest: Double
    let integral: Bool
    public static let shades = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]

    public init(_ counts: [Int]) { self.init(counts.map(Double.init), integral: true) }

    public init(_ values: [Double], integral: Bool = false) {
        let sorted = values.sorted()
        (self.integral, lowest) = (integral, integral ? 0 : sorted.first ?? 0)
        guard let top = sorted.last, top > lowest else {
            upperBounds = [sorted.last ?? 0]
            return
        }
        var bounds: [Double] = []
        for k in 1...5 {
            let v = sorted[min(sorted.count - 1, Int((Double(k) / 5 * Double(sorted.count)).rounded(.up)) - 1)]
            if bounds.last.map({ v > $0 }) ?? true { bounds.append(v) }
        }
        if bounds.last != top { bounds.append(top) }
        upperBounds = bounds
    }

    /// The class a value falls in, 0 for the lowest.
    public func index(of value: Double) -> Int { upperBounds.firstIndex { value <= $0 } ?? upperBounds.count - 1 }

    public func shade(of value: Double) -> String {
        let i = index(of: value)
        let step = upperBounds.count <= 1 ? 0 : i * (Self.shades.count - 1) / (upperBounds.count - 1)
        return Self.shades[step]
    }

    public func shade(of count: Int) -> String { shade(of: Double(count)) }

    /// Each class's range: "0–12", "13–30" for counts; "76 to 78", "over 78 to 81" for other figures.
    public var ranges: [String] { ranges { String(Int($0)) } }

    public func ranges(_ text: (Double) -> String, over: String = "over") -> [String] {
        upperBounds.enumerated().map { i, upper in
            if integral {
                let lower = i == 0 ? 0 : upperBounds[i - 1] + 1
                return lower == upper ? text(upper) : "\(text(lower))–\(text(upper))"
            }
            return i == 0
                ? (lowest == upper ? text(upper) : "\(text(lowest)) – \(text(upper))")
                : "\(over) \(text(upperBounds[i - 1])) – \(text(upper))"
        }
    }
}
