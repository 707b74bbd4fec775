import Fluent
import Foundation
import SQLKit
import WellplanCore

/// A pre/post evaluation of an implemented CPTED recommendation: incidents counted in the response area
/// around its audit's site, in the buffer ring, and in a control area, before and after it was implemented.
struct Evaluations {
    let db: any Database

    struct Outcome: Codable, Sendable {
        let design: EvaluationDesign
        let before: String
        let after: String
        let control: String
        let result: WeightedDisplacementQuotient
    }

    /// Where the site is: a point (the response area is a circle around it) or an area of a layer.
    enum Site {
        case point(Position)
        case area(Shape)

        /// The zone a place falls in: response, buffer, or outside both.
        func zone(_ p: Position, _ design: EvaluationDesign) -> EvaluationDesign.Zone {
            switch self {
            case .point(let site): return design.zone(distance: metres(site, p))
            case .area(let shape):
                let distance = shape.distance(to: p)
                if distance == 0 { return .response }
                return distance <= design.bufferWidth ? .buffer : .outside
            }
        }

        /// How far from the site a control shape lies, at its nearest.
        func distance(to control: Shape) -> Double {
            switch self {
            case .point(let site): return control.distance(to: site)
            case .area(let shape): return shape.polygons.joined().joined().map { control.distance(to: $0) }.min() ?? 0
            }
        }

        var isArea: Bool {
            if case .area = self { return true }
            return false
        }

        var reach: (center: Position, metres: Double)? {
            switch self {
            case .point(let p): return (p, 0)
            case .area(let shape):
                let b = shape.bounds
                let center = Position(
                    longitude: (b.minLongitude + b.maxLongitude) / 2, latitude: (b.minLatitude + b.maxLatitude) / 2)
                return (center, metres(center, Position(longitude: b.maxLongitude, latitude: b.maxLatitude)))
            }
        }
    }

    func site(of audit: CptedAudit) async throws -> Site {
        if let p = audit.position { return .point(p) }
        guard let layer = audit.siteLayerId, let code = audit.siteAreaCode,
            let area = try await areas.area(layer, code: code)
        else {
            throw WellplanError.invalid([
                FieldProblem("siteAreaCode", "error_reference_not_found", [audit.siteAreaCode ?? ""])
            ])
        }
        return .area(area.shape)
    }

    private var areas: Areas { Areas(db: db, author: .commandLine) }

    /// The day an audit's site last changed: its last recommendation's implementation.
    func lastChange(of audit: CptedAudit) async throws -> Day? {
        try await Records(db: db.sql).list(CptedRecommendation.self, filters: ["auditId": audit.id]).compactMap(
            \.implementedOn
        ).max()
    }

    func evaluate(_ audit: CptedAudit, design: EvaluationDesign, controlLayer: UUID, controlCode: String) async throws
        -> Outcome
    {
        var problems = design.problems()
        let site = try await site(of: audit)
        guard let control = try await areas.area(controlLayer, code: controlCode)?.shape else {
            throw WellplanError.invalid(
                problems + [FieldProblem("controlAreaCode", "error_reference_not_found", [controlCode])])
        }
        if let problem = design.controlProblem(distanceFromSite: site.distance(to: control), siteIsArea: site.isArea) {
            problems.append(problem)
        }
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
        let (before, after) = (design.before, design.after)

        // Response and buffer: incidents within reach of the site, placed by distance.
        var r = (0, 0), b = (0, 0)
        if let reach = site.reach {
            let metresOut = reach.metres + design.siteRadius + design.bufferWidth + 10
            let dLat = metresOut / 111_320, dLon = metresOut / (111_320 * cos(reach.center.latitude * .pi / 180))
            var query = db.sql.select().columns("longitude", "latitude", "occurred_on").from("incidents")
                .where("latitude", .greaterThanOrEqual, SQLBind(reach.center.latitude - dLat)).where(
                    "latitude", .lessThanOrEqual, SQLBind(reach.center.latitude + dLat)
                )
                .where("longitude", .greaterThanOrEqual, SQLBind(reach.center.longitude - dLon))
                .where("longitude", .lessThanOrEqual, SQLBind(reach.center.longitude + dLon))
                .where(
                    "occurred_on", .greaterThanOrEqual, SQLBind(min(before.lowerBound, after.lowerBound).description)
                )
                .where("occurred_on", .lessThan, SQLBind(max(before.upperBound, after.upperBound).description))
            if !design.categories.isEmpty { query = query.where("category", in: design.categories) }
            for row in try await query.all() {
                guard let day = Day(try row.decode(column: "occurred_on", as: String.self)) else { continue }
                let p = Position(
                    longitude: try row.decode(column: "longitude", as: Double.self),
                    latitude: try row.decode(column: "latitude", as: Double.self))
                let isBefore = before.contains(day), isAfter = after.contains(day)
                guard isBefore || isAfter else { continue }
                switch site.zone(p, design) {
                case .response: if isBefore { r.0 += 1 } else { r.1 += 1 }
                case .buffer: if isBefore { b.0 += 1 } else { b.1 += 1 }
                case .outside: break
                }
            }
        }
        // Control: the incidents assigned to the control area, both windows counted in one reading of them.
        func within(_ window: Range<Day>) -> any SQLExpression {
            let day = SQLColumn("occurred_on", table: "i")
            let from = window.lowerBound.description, until = window.upperBound.description
            return SQLFunction(
                "SUM",
                args: SQLQueryString("CASE WHEN \(day) >= \(bind: from) AND \(day) < \(bind: until) THEN 1 ELSE 0 END"))
        }
        let controlCounts =
            try await Incidents.assigned(
                db.sql, from: min(before.lowerBound, after.lowerBound), until: max(before.upperBound, after.upperBound),
                categories: design.categories, withAreas: true
            )
            .column(within(before), as: "before").column(within(after), as: "after")
            .where(SQLColumn("layer_id", table: "a"), .equal, SQLBind(controlLayer))
            .where(SQLColumn("code", table: "a"), .equal, SQLBind(controlCode))
            .first()
        let controlBefore = try controlCounts?.decode(column: "before", as: Int?.self) ?? 0
        let controlAfter = try controlCounts?.decode(column: "after", as: Int?.self) ?? 0
        let counts = PrePostCounts(
            response: .init(before: r.0, after: r.1),
            buffer: design.bufferWidth > 0 ? .init(before: b.0, after: b.1) : nil,
            control: .init(before: controlBefore, after: controlAfter))
        return Outcome(
            design: design, before: "\(before.lowerBound) – \(before.upperBound.adding(days: -1))",
            after: "\(after.lowerBound) – \(after.upperBound.adding(days: -1))", control: controlCode,
            result: WeightedDisplacementQuotient(counts))
    }
}
