import Crypto
import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A layer's areas: imported from GeoJSON once, all or nothing, and then every incident already known is
/// assigned to its area in the new layer.
struct Areas {
    let db: any Database
    let author: Author

    struct Stored: Codable, Sendable {
        var id: UUID
        var layerId: UUID
        var code: String
        var name: String
        /// The GeoJSON geometry, as imported.
        var geometry: String
    }

    struct Listed: Codable, Sendable {
        let id: UUID
        let code: String
        let name: String
    }

    func list(_ layer: UUID) async throws -> [Listed] {
        try await db.sql.select().columns("id", "code", "name").from("areas").where("layer_id", .equal, SQLBind(layer))
            .orderBy("code")
            .all(decoding: Listed.self)
    }

    /// The layer's areas with their geometries as imported, by code: for GeoJSON downloads.
    func geometries(_ layer: UUID) async throws -> [(code: String, name: String, geometry: String)] {
        try await db.sql.select().columns("code", "name", "geometry").from("areas").where(
            "layer_id", .equal, SQLBind(layer)
        ).orderBy("code").all().map {
            (
                try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self),
                try $0.decode(column: "geometry", as: String.self)
            )
        }
    }

    /// A stored geometry as a shape (nil for one that no longer reads).
    static func shape(geometry: String) -> Shape? {
        guard let value = try? JSONValue(parsing: Array(geometry.utf8)) else { return nil }
        return try? GeoJSONLayer.shape(value)
    }

    typealias Drawn = (id: UUID, code: String, name: String, shape: Shape)

    /// The layer's areas with their shapes, by code.
    func shapes(_ layer: UUID) async throws -> [Drawn] {
        try await Self.drawn(
            db.sql.select().columns("id", "code", "name", "geometry").from("areas").where(
                "layer_id", .equal, SQLBind(layer)
            ).orderBy("code"))
    }

    /// One area of the layer, with its shape; nil when the layer has no such code.
    func area(_ layer: UUID, code: String) async throws -> Drawn? {
        try await Self.drawn(
            db.sql.select().columns("id", "code", "name", "geometry").from("areas").where(
                "layer_id", .equal, SQLBind(layer)
            ).where(
                "code", .equal, SQLBind(code))
        ).first
    }

    private static func drawn(_ query: SQLSelectBuilder) async throws -> [Drawn] {
        try await query.all().compactMap { row in
            guard let shape = Self.shape(geometry: try row.decode(column: "geometry", as: String.self)) else {
                return nil
            }
            return (
                try row.decode(column: "id", as: UUID.self), try row.decode(column: "code", as: String.self),
                try row.decode(column: "name", as: String.self),
                shape
            )
        }
    }

    /// The layer's areas as shapes, with an index to find the one a point falls in.
    func index(_ layer: UUID) async throws -> (ids: [UUID], index: AreaIndex) {
        let areas = try await shapes(layer)
        return (areas.map(\.id), AreaIndex(areas.map(\.shape)))
    }

    /// Every layer's index, for assigning incidents as they are imported.
    func allIndexes() async throws -> [(layer: UUID, ids: [UUID], index: AreaIndex)] {
        var out: [(UUID, [UUID], AreaIndex)] = []
        for layer in try await Records(db: db.sql).list(Layer.self) {
            let (ids, index) = try await index(layer.id)
            if !ids.isEmpty { out.append((layer.id, ids, index)) }
        }
        return out
    }

    /// Imports a GeoJSON file into an empty layer and assigns the incidents already imported.
    func importGeoJSON(_ layer: Layer, data: Data, idProperty: String, nameProperty: String?) async throws -> (
        areas: Int, assigned: Int
    ) {
        let read = try GeoJSONLayer(data: data, idProperty: idProperty, nameProperty: nameProperty)
        guard case .object(let root) = try JSONValue(parsing: data),
            case .array(let features)? = root["features"]
        else {
            throw WellplanError.invalid([FieldProblem("file", "error_geojson_not_collection")])
        }
        let encoder = JSONEncoder()
        var stored: [Stored] = []
        for (area, feature) in zip(read.areas, features) {
            guard case .object(let object) = feature, let geometry = object["geometry"] else { continue }
            stored.append(
                Stored(
                    id: UUID(), layerId: layer.id, code: area.code, name: area.name,
                    geometry: String(decoding: try encoder.encode(geometry), as: UTF8.self))
            )
        }
        let author = self.author
        let shapes = read.areas.map(\.shape)
        let rows = stored
        return try await db.writeTransaction { tx in
            let existing =
                try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("areas")
                .where("layer_id", .equal, SQLBind(layer.id))
                .first()?.decode(column: "n", as: Int.self) ?? 0
            if existing > 0 { throw WellplanError.conflict("error_layer_has_areas") }
            for chunk in stride(from: 0, to: rows.count, by: 100) {
                try await tx.sql.insert(into: "areas").models(
                    Array(rows[chunk..<min(chunk + 100, rows.count)]), with: Records.encoder
                ).run()
            }
            let assigned = try await Incidents.assignAll(
                layer: layer.id, ids: rows.map(\.id), index: AreaIndex(shapes), on: tx.sql)
            try await AuditLog.append(
                on: tx.sql, author, "import_areas", RecordKind.layer.rawValue, recordId: layer.id.uuidString,
                after: AuditLog.json([
                    "areas": String(rows.count), "idProperty": idProperty, "assigned": String(assigned),
                ]))
            return (rows.count, assigned)
        }
    }
}
