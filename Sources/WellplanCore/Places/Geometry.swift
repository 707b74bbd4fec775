import Foundation

/// A position in WGS84 degrees: longitude first, as GeoJSON writes it.
public struct Position: Sendable, Equatable, Hashable, Codable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) { (self.longitude, self.latitude) = (longitude, latitude) }

    public var isValid: Bool {
        (-180...180).contains(longitude) && (-90...90).contains(latitude) && !(longitude == 0 && latitude == 0)
    }
}

/// The smallest longitude/latitude rectangle around a shape.
public struct BoundingBox: Sendable, Equatable {
    public var minLongitude, minLatitude, maxLongitude, maxLatitude: Double

    public init(_ positions: some Sequence<Position>) {
        minLongitude = .infinity
        minLatitude = .infinity
        maxLongitude = -.infinity
        maxLatitude = -.infinity
        for p in positions { extend(p) }
    }

    /// The box around every shape given (empty for none).
    public init(enclosing shapes: some Sequence<Shape>) {
        self = shapes.reduce(BoundingBox([])) { $0.union($1.bounds) }
    }

    public mutating func extend(_ p: Position) {
        minLongitude = min(minLongitude, p.longitude)
        maxLongitude = max(maxLongitude, p.longitude)
        minLatitude = min(minLatitude, p.latitude)
        maxLatitude = max(maxLatitude, p.latitude)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        var box = self
        box.extend(Position(longitude: other.minLongitude, latitude: other.minLatitude))
        box.extend(Position(longitude: other.maxLongitude, latitude: other.maxLatitude))
        return box
    }

    public func contains(_ p: Position) -> Bool {
        p.longitude >= minLongitude && p.longitude <= maxLongitude && p.latitude >= minLatitude
            && p.latitude <= maxLatitude
    }

    public func intersects(_ other: BoundingBox) -> Bool {
        minLongitude <= other.maxLongitude && other.minLongitude <= maxLongitude && minLatitude <= other.maxLatitude
            && other.minLatitude <= maxLatitude
    }
}

/// A polygon or multipolygon: outer rings with their holes (GeoJSON's Polygon and MultiPolygon).
public struct Shape: Sendable, Equatable {
    /// Each polygon: its outer ring first, then its holes; rings closed or not.
    public let polygons: [[[Position]]]
    public let bounds: BoundingBox

    public init(polygons: [[[Position]]]) {
        self.polygons = polygons
        bounds = BoundingBox(polygons.lazy.flatMap { $0.first ?? [] })
    }

    /// Inside a polygon's outer ring and outside its holes (even–odd ray casting). A point exactly on an
    /// edge may fall either way, as it does in every GIS; neighbouring areas then both claim or both miss it.
    public func contains(_ p: Position) -> Bool {
        guard bounds.contains(p) else { return false }
        for polygon in polygons {
            guard let outer = polygon.first, Self.ring(outer, contains: p) else { continue }
            if !polygon.dropFirst().contains(where: { Self.ring($0, contains: p) }) { return true }
        }
        return false
    }

    static func ring(_ ring: [Position], contains p: Position) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.latitude > p.latitude) != (b.latitude > p.latitude) {
                let x =
                    (b.longitude - a.longitude) * (p.latitude - a.latitude) / (b.latitude - a.latitude) + a.longitude
                if p.longitude < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// The shortest distance in metres from a point to the shape's boundary (0 inside), on a local flat
    /// projection: exact enough for the few hundred metres of a CPTED buffer.
    public func distance(to p: Position) -> Double {
        if contains(p) { return 0 }
        let metresPerDegreeLatitude = 111_320.0
        let metresPerDegreeLongitude = metresPerDegreeLatitude * cos(p.latitude * .pi / 180)
        func flat(_ q: Position) -> (Double, Double) {
            (
                (q.longitude - p.longitude) * metresPerDegreeLongitude,
                (q.latitude - p.latitude) * metresPerDegreeLatitude
            )
        }
        var best = Double.infinity
        for ring in polygons.joined() where ring.count > 1 {
            for i in 0..<ring.count {
                let (ax, ay) = flat(ring[i]), (bx, by) = flat(ring[(i + 1) % ring.count])
                let (dx, dy) = (bx - ax, by - ay)
                let length = dx * dx + dy * dy
                let t = length == 0 ? 0 : max(0, min(1, -(ax * dx + ay * dy) / length))
                best = min(best, hypot(ax + t * dx, ay + t * dy))
            }
        }
        return best
    }
}

/// Distance in metres between two positions on the sphere (haversine).
public func metres(_ a: Position, _ b: Position) -> Double {
    let r = 6_371_008.8
    let (φ1, φ2) = (a.latitude * .pi / 180, b.latitude * .pi / 180)
    let dφ = φ2 - φ1, dλ = (b.longitude - a.longitude) * .pi / 180
    let h = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
    return 2 * r * asin(min(1, sqrt(h)))
}
