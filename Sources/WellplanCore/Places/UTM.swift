import Foundation

/// NAD83 Universal Transverse Mercator coordinates (GRS80 ellipsoid, northern hemisphere), as police
/// exports often give them, to and from longitude and latitude. Snyder's series (USGS Professional Paper
/// 1395, §8): well under a millimetre within a zone.
public struct UTMZone: Sendable, Equatable {
    public let zone: Int

    public init?(_ zone: Int) {
        guard (1...60).contains(zone) else { return nil }
        self.zone = zone
    }

    static let a = 6_378_137.0
    static let f = 1 / 298.257_222_101
    static let k0 = 0.9996
    static let falseEasting = 500_000.0
    static var e2: Double { f * (2 - f) }
    static var ep2: Double { e2 / (1 - e2) }

    var centralMeridian: Double { Double(zone * 6 - 183) * .pi / 180 }

    /// Distance along the meridian from the equator to latitude φ (radians).
    static func meridianArc(_ φ: Double) -> Double {
        let e2 = Self.e2, e4 = e2 * e2, e6 = e4 * e2
        return a
            * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * φ - (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * sin(2 * φ)
                + (15 * e4 / 256 + 45 * e6 / 1024) * sin(4 * φ) - (35 * e6 / 3072) * sin(6 * φ))
    }

    public func position(easting: Double, northing: Double) -> Position {
        let e2 = Self.e2, ep2 = Self.ep2, a = Self.a
        let x = easting - Self.falseEasting
        let m = northing / Self.k0
        let mu = m / (a * (1 - e2 / 4 - 3 * e2 * e2 / 64 - 5 * e2 * e2 * e2 / 256))
        let e1 = (1 - (1 - e2).squareRoot()) / (1 + (1 - e2).squareRoot())
        let φ1 =
            mu + (3 * e1 / 2 - 27 * pow(e1, 3) / 32) * sin(2 * mu) + (21 * e1 * e1 / 16 - 55 * pow(e1, 4) / 32)
            * sin(4 * mu)
            + (151 * pow(e1, 3) / 96) * sin(6 * mu) + (1097 * pow(e1, 4) / 512) * sin(8 * mu)
        let (s, c, t) = (sin(φ1), cos(φ1), tan(φ1))
        let c1 = ep2 * c * c, t1 = t * t
        let n1 = a / (1 - e2 * s * s).squareRoot()
        let r1 = a * (1 - e2) / pow(1 - e2 * s * s, 1.5)
        let d = x / (n1 * Self.k0)
        let φ =
            φ1 - (n1 * t / r1)
            * (d * d / 2 - (5 + 3 * t1 + 10 * c1 - 4 * c1 * c1 - 9 * ep2) * pow(d, 4) / 24
                + (61 + 90 * t1 + 298 * c1 + 45 * t1 * t1 - 252 * ep2 - 3 * c1 * c1) * pow(d, 6) / 720)
        let λ =
            centralMeridian
            + (d - (1 + 2 * t1 + c1) * pow(d, 3) / 6 + (5 - 2 * c1 + 28 * t1 - 3 * c1 * c1 + 8 * ep2 + 24 * t1 * t1)
                * pow(d, 5) / 120)
            / c
        return Position(longitude: λ * 180 / .pi, latitude: φ * 180 / .pi)
    }

    public func coordinates(of p: Position) -> (easting: Double, northing: Double) {
        let e2 = Self.e2, ep2 = Self.ep2, a = Self.a
        let φ = p.latitude * .pi / 180, λ = p.longitude * .pi / 180
        let (s, c, t) = (sin(φ), cos(φ), tan(φ))
        let n = a / (1 - e2 * s * s).squareRoot()
        let tt = t * t, cc = ep2 * c * c
        let aa = (λ - centralMeridian) * c
        let m = Self.meridianArc(φ)
        let easting =
            Self.falseEasting + Self.k0 * n
            * (aa + (1 - tt + cc) * pow(aa, 3) / 6 + (5 - 18 * tt + tt * tt + 72 * cc - 58 * ep2) * pow(aa, 5) / 120)
        let northing =
            Self.k0
            * (m + n * t
                * (aa * aa / 2 + (5 - tt + 9 * cc + 4 * cc * cc) * pow(aa, 4) / 24
                    + (61 - 58 * tt + tt * tt + 600 * cc - 330 * ep2) * pow(aa, 6) / 720))
        return (easting, northing)
    }
}
