import Foundation

/// The areas of a GeoJSON FeatureCollection of polygons in WGS84 (neighbourhoods, wards, catchments),
/// each named by the properties the coordinator chose as its id and its name.
public struct GeoJSONLayer: Sendable {
    public struct Area: Sendable, Equatable {
        public let code: String
        public let name: String
        public let shape: Shape
    }

    public let areas: [Area]
    /// Every property name the features carry, for choosing the id and the name.
    public let propertyNames: [String]

    /// - Parameters: idProperty and nameProperty name the feature properties to use; nil reads the
    ///   file only to list its properties (`areas` is then empty).
    public init(data: Data, idProperty: String?, nameProperty: String?) throws(WellplanError) {
        guard let root = try? JSONValue(parsing: data), case .object(let collection) = root,
            collection["type"] == .string("FeatureCollection"), case .array(let features)? = collection["features"]
        else { throw .invalid([FieldProblem("file", "error_geojson_not_collection")]) }
        if case .object(let crs)? = collection["crs"], case .object(let properties)? = crs["properties"],
            case .string(let name)? = properties["name"],
            !["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"].contains(name)
        {
            throw .invalid([FieldProblem("crs", "error_geojson_crs", [name])])
        }
        var names = Set<String>()
        var areas: [Area] = []
        var problems = ImportProblems()
        var seen = Set<String>()
        for (index, feature) in features.enumerated() where !problems.isFull {
            let area = try problems.read(at: "feature \(index + 1)") { () throws(WellplanError) -> Area? in
                guard case .object(let object) = feature else {
                    throw .invalid([FieldProblem("", "error_geojson_feature")])
                }
                let properties: [String: JSONValue] =
                    if case .object(let p)? = object["properties"] { p } else { [:] }
                names.formUnion(properties.keys)
                guard let idProperty else { return nil }
                guard let code = Self.text(properties[idProperty]), !code.isEmpty else {
                    throw .invalid([FieldProblem(idProperty, "error_geojson_missing_property", [idProperty])])
                }
                guard seen.insert(code).inserted else {
                    throw .invalid([FieldProblem(idProperty, "error_geojson_duplicate_id", [code])])
                }
                let shape = try Self.shape(object["geometry"])
                return Area(code: code, name: nameProperty.flatMap { Self.text(properties[$0]) } ?? code, shape: shape)
            }
            if let area = area ?? nil { areas.append(area) }
        }
        try problems.check()
        if idProperty != nil && areas.isEmpty { throw .invalid([FieldProblem("file", "error_geojson_no_features")]) }
        self.areas = areas
        self.propertyNames = names.sorted()
    }

    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: s.trimmingCharacters(in: .whitespaces)
        case .number(let n)?: n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        default: nil
        }
    }

    /// The shape of a Polygon or MultiPolygon geometry; its problems name the field `geometry`.
    public static func shape(_ geometry: JSONValue?) throws(WellplanError) -> Shape {
        let place = "geometry"
        guard case .object(let g)? = geometry, case .string(let type)? = g["type"], let coordinates = g["coordinates"]
        else {
            throw .invalid([FieldProblem(place, "error_geojson_geometry")])
        }
        func position(_ v: JSONValue) throws(WellplanError) -> Position {
            guard case .array(let xy) = v, xy.count >= 2, case .number(let lon) = xy[0], case .number(let lat) = xy[1],
                (-180...180).contains(lon), (-90...90).contains(lat)
            else { throw .invalid([FieldProblem(place, "error_geojson_coordinates")]) }
            return Position(longitude: lon, latitude: lat)
        }
        func rings(_ v: JSONValue) throws(WellplanError) -> [[Position]] {
            guard case .array(let list) = v, !list.isEmpty else {
                throw .invalid([FieldProblem(place, "error_geojson_coordinates")])
            }
            var out: [[Position]] = []
            for ring in list {
                guard case .array(let points) = ring, points.count >= 4 else {
                    throw .invalid([FieldProblem(place, "error_geojson_ring")])
                }
                var positions: [Position] = []
                for point in points { positions.append(try position(point)) }
                out.append(positions)
            }
            return out
        }
        switch type {
        case "Polygon": return Shape(polygons: [try rings(coordinates)])
        case "MultiPolygon":
            guard case .array(let list) = coordinates, !list.isEmpty else {
                throw .invalid([FieldProblem(place, "error_geojson_coordinates")])
            }
            var polygons: [[[Position]]] = []
            for polygon in list { polygons.append(try rings(polygon)) }
            return Shape(polygons: polygons)
        default: throw .invalid([FieldProblem(place, "error_geojson_type", [type])])
        }
    }
}

/// Finds the area a point falls in, among many: a grid over the layer, each cell listing the areas whose
/// bounds reach it, so a point is tested only against the few polygons near it.
public struct AreaIndex: Sendable {
    let shapes: [Shape]
    let bounds: BoundingBox
    let columns: Int, rows: Int
    let cells: [[Int]]

    public init(_ shapes: [Shape]) {
        self.shapes = shapes
        bounds = BoundingBox(enclosing: shapes)
        let side = max(1, Int(Double(shapes.count).squareRoot().rounded(.up)) * 2)
        columns = side
        rows = side
        var cells = Array(repeating: [Int](), count: side * side)
        let width = max(1e-12, (bounds.maxLongitude - bounds.minLongitude) / Double(side))
        let height = max(1e-12, (bounds.maxLatitude - bounds.minLatitude) / Double(side))
        func clamp(_ v: Double) -> Int { max(0, min(side - 1, Int(v))) }
        for (index, shape) in shapes.enumerated() where !shapes.isEmpty {
            let b = shape.bounds
            let c0 = clamp((b.minLongitude - bounds.minLongitude) / width),
                c1 = clamp((b.maxLongitude - bounds.minLongitude) / width)
            let r0 = clamp((b.minLatitude - bounds.minLatitude) / height),
                r1 = clamp((b.maxLatitude - bounds.minLatitude) / height)
            for r in r0...r1 { for c in c0...c1 { cells[r * side + c].append(index) } }
        }
        self.cells = cells
    }

    /// The index of the first shape containing the point, or nil.
    public func locate(_ p: Position) -> Int? {
        guard !shapes.isEmpty, bounds.contains(p) else { return nil }
        let width = max(1e-12, (bounds.maxLongitude - bounds.minLongitude) / Double(columns))
        let height = max(1e-12, (bounds.maxLatitude - bounds.minLatitude) / Double(rows))
        let c = max(0, min(columns - 1, Int((p.longitude - bounds.minLongitude) / width)))
        let r = max(0, min(rows - 1, Int((p.latitude - bounds.minLatitude) / height)))
        return cells[r * columns + c].first { shapes[$0].contains(p) }
    }
}
