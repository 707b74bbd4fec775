import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct CptedRouteTests {
    struct Created: Decodable { let id: UUID }

    @Test func aProjectsAuditsAndRecommendationsCountIntoItsOutputsAndFollowTheWorkflow() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            let w = RecordWriter(db: app.db, author: .commandLine)
            for (statement, count) in [
                ("Audits done", ActivityCount.auditsCompleted), ("Recommendations made", .recommendationsMade), ("Implemented", .recommendationsImplemented),
            ] {
                try await w.create(Output(projectId: f.projectA.id, statementEn: statement, computedFrom: count))
            }
            func post(_ path: String, _ json: String) async throws -> UUID {
                let res = try await api(app, .POST, path, token: member, json: json)
                #expect(res.status == .created, "\(path): \(res.body.string)")
                return try JSONDecoder().decode(Created.self, from: Data(res.body.string.utf8)).id
            }
            let audit =
                #"{"projectId":"\#(f.projectA.id)","siteName":"Alley","latitude":42.05,"longitude":-82.6,"auditedOn":"2025-09-18","method":"womens_safety_audit"}"#
            #expect(
                try await api(
                    app, .POST, "/api/v1/cpted-audits", token: member, json: audit.replacingOccurrences(of: "\(f.projectA.id)", with: "\(f.projectB.id)")
                ).status == .forbidden)
            let a = try await post("/api/v1/cpted-audits", audit)
            _ = try await post("/api/v1/audit-participants", #"{"auditId":"\#(a)","audienceGroup":"general_public","count":9}"#)
            let finding = try await post(
                "/api/v1/audit-findings", #"{"auditId":"\#(a)","principle":"natural_surveillance","severity":"high","descriptionEn":"Dark stretch"}"#)
            let body = { (status: String, extra: String) in
                #"{"auditId":"\#(a)","findingId":"\#(finding)","category":"lighting","descriptionEn":"Light the alley","status":"\#(status)"\#(extra)}"#
            }
            let rec = try await post("/api/v1/cpted-recommendations", body("proposed", ""))
            _ = try await post(
                "/api/v1/cpted-recommendations", #"{"auditId":"\#(a)","category":"landscaping","descriptionEn":"Trim bushes","status":"proposed"}"#)
            let skip = try await api(
                app, .PUT, "/api/v1/cpted-recommendations/\(rec)", token: member, json: body("implemented", #","implementedOn":"2026-03-01""#))
            #expect(skip.status == .unprocessableEntity && skip.body.string.contains("cannot move"))
            for (status, extra) in [("accepted", ""), ("in_progress", ""), ("implemented", #","implementedOn":"2026-03-01""#)] {
                #expect(try await api(app, .PUT, "/api/v1/cpted-recommendations/\(rec)", token: member, json: body(status, extra)).status == .ok, "\(status)")
            }
            let store = RecordStore(db: app.db.sql)
            let (outputs, _, values) = try await PlanLoader.projectParts(f.projectA.id, store)
            func value(_ statement: String) -> Double? { outputs.first { $0.statementEn == statement }.flatMap { values[$0.id.uuidString] } }
            #expect(value("Audits done") == 1 && value("Recommendations made") == 2 && value("Implemented") == 1)
        }
    }
}
