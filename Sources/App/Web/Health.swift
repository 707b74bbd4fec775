import SQLKit
import Vapor
import WellplanCore

/// `GET /healthz`: 200 with the database's state when it answers, 503 when it does not.
struct Health {
    struct Body: Encodable {
        let status: String
        let database: String
        let driver: String
    }

    @Sendable static func check(req: Request) async throws -> Response {
        let driver = req.sql.dialect.name
        do {
            _ = try await req.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("plans")
                .first()
            return try jsonResponse(Body(status: "ok", database: "up", driver: driver))
        } catch {
            return try jsonResponse(
                Body(status: "degraded", database: "down", driver: driver), status: .serviceUnavailable)
        }
    }
}
