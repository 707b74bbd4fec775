import SQLKit
import Vapor
import WellplanCore

/// Maps drawn by the server as SVG, each with a title, a description and the data as a table:
/// a choropleth of a layer's incident counts, and one area's incidents binned with its audit sites.
struct MapPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("layers", ":id", "map", use: choropleth)
        routes.get("layers", ":id", "areas", ":code", "map", use: binned)
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let name: String
            let value: String
            let href: String?
        }
        let heading: String
        let layerHref: String
        /// Drawn by `AreaMap`, as every map is.
        let map: String
        let tableCaption: String
        let rows: [Row]
        let siteRows: [Row]
        let window: String
        let from: String
        let to: String
    }

    /// The window and categories the query asks for; a year back from today by default.
    static func window(_ req: Request) throws -> (from: Day, to: Day, categories: [String]) {
        let to = try req.queryDay("to") ?? req.clock.today
        let categories = (req.query[String.self, at: "category"] ?? "").split(separator: ",").map(String.init).filter {
            !$0.isEmpty
        }
        return (try req.queryDay("from") ?? to.adding(years: -1), to, categories)
    }

    /// The classes' shades with their ranges of counts.
    static func legend(_ classes: MapClasses) -> [AreaMap.Key] {
        zip(classes.upperBounds, classes.ranges).map { .init(fill: classes.shade(of: $0.0), range: $0.1) }
    }

    @Sendable func choropleth(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .read)
        try await req.authorize(.read, .incidents)
        let (from, to, categories) = try Self.window(req)
        let areas = try await Areas(db: req.db, author: req.author).shapes(layer.id)
        let query = Incidents.assigned(req.sql, from: from, until: to.adding(days: 1), categories: categories)
            .column(SQLColumn("area_id", table: "x"), as: "area").column(
                SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
            )
            .where(SQLColumn("layer_id", table: "x"), .equal, SQLBind(layer.id))
        var counts: [UUID: Int] = [:]
        for row in try await query.groupBy(SQLColumn("area_id", table: "x")).all() {
            counts[try row.decode(column: "area", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        let classes = MapClasses(areas.map { counts[$0.id] ?? 0 })
        let frame = MapFrame(bounds: BoundingBox(enclosing: areas.map(\.shape)))
        let window = "\(from) – \(to)"
        let heading = req.text("map_choropleth") + " · " + layer.title(req.language)
        let content = Page(
            heading: heading, layerHref: SiteURL.record(.layer, layer.id).path,
            map: AreaMap(
                id: "map", title: heading, description: req.text("map_choropleth_description", window), frame: frame,
                areas: areas.map { a in
                    let n = counts[a.id] ?? 0
                    return .init(path: frame.path(a.shape), fill: classes.shade(of: n), label: "\(a.name): \(n)")
                },
                legend: Self.legend(classes)
            ).figure,
            tableCaption: req.text("map_table_caption"),
            rows: areas.map {
                .init(
                    name: "\($0.name) (\($0.code))", value: String(counts[$0.id] ?? 0),
                    href: SiteURL.areaMap(layer: layer.id, code: $0.code).path)
            },
            siteRows: [], window: window, from: from.description, to: to.description)
        return try await req.page("map", title: content.heading, content)
    }

    @Sendable func binned(req: Request) async throws -> Response {
        let layer = try await req.authorizedRecord(Layer.self, .read)
        try await req.authorize(.read, .incidents)
        let (from, to, categories) = try Self.window(req)
        guard let code = req.parameters.get("code"),
            let area = try await Areas(db: req.db, author: req.author).area(layer.id, code: code)
        else {
            throw WellplanError.notFound("area")
        }
        let query = Incidents.assigned(req.sql, from: from, until: to.adding(days: 1), categories: categories)
            .column(SQLColumn("longitude", table: "i"), as: "lon").column(SQLColumn("latitude", table: "i"), as: "lat")
            .where(SQLColumn("area_id", table: "x"), .equal, SQLBind(area.id))
        let positions = try await query.all().compactMap { row -> Position? in
            guard let lon = try row.decode(column: "lon", as: Double?.self),
                let lat = try row.decode(column: "lat", as: Double?.self)
            else { return nil }
            return Position(longitude: lon, latitude: lat)
        }
        let bins = GridBins(positions, bounds: area.shape.bounds, side: 25)
        let classes = MapClasses(bins.cells.map(\.count))
        let frame = MapFrame(bounds: area.shape.bounds)
        let audits = try await Records(db: req.sql).list(CptedAudit.self).filter {
            $0.position.map(area.shape.contains) ?? false
        }
        let window = "\(from) – \(to)"
        let busiest = bins.cells.sorted { $0.count > $1.count }.prefix(10)
        let heading = req.text("map_binned") + " · " + area.name
        let content = Page(
            heading: heading, layerHref: SiteURL.layer(layer.id, .map).path,
            map: AreaMap(
                id: "map", title: heading,
                description: req.text("map_binned_description", String(positions.count), window, String(audits.count)),
                frame: frame, areas: [.init(path: frame.path(area.shape), fill: "none", label: area.name)],
                cells: bins.cells.map { cell in
                    let corner = Position(longitude: cell.bounds.minLongitude, latitude: cell.bounds.maxLatitude)
                    let opposite = Position(longitude: cell.bounds.maxLongitude, latitude: cell.bounds.minLatitude)
                    let (a, b) = (frame.point(corner), frame.point(opposite))
                    return .init(
                        x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y, fill: classes.shade(of: cell.count),
                        label: String(cell.count))
                },
                sites: audits.compactMap { audit in
                    audit.position.map { p in
                        let (x, y) = frame.point(p)
                        return .init(x: x, y: y, label: audit.siteName)
                    }
                },
                legend: Self.legend(classes)
            ).figure,
            tableCaption: req.text("map_busiest_cells"),
            rows: busiest.map { cell in
                let lat = (cell.bounds.minLatitude + cell.bounds.maxLatitude) / 2,
                    lon = (cell.bounds.minLongitude + cell.bounds.maxLongitude) / 2
                return .init(name: String(format: "%.4f, %.4f", lat, lon), value: String(cell.count), href: nil)
            },
            siteRows: audits.map {
                .init(name: $0.siteName, value: $0.auditedOn.description, href: SiteURL.record(.cptedAudit, $0.id).path)
            }, window: window,
            from: from.description,
            to: to.description)
        return try await req.page("map", title: content.heading, content)
    }
}
