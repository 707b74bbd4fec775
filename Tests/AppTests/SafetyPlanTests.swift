import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct SafetyPlanTests {
    struct Created: Decodable { let id: UUID }
    struct Version: Decodable {
        let number: Int
        let sha256: String
    }

    @Test func aSafetyPlanMovesThroughReviewKeepsItsVersionsAndCountsItsDistribution() async throws {
        try await withApp { app in
            let f = try await Fixture.make(app)
            let member = f.tokens[.member]!
            let body = { (project: Project, status: String) in
                #"{"planId":"\#(f.plan.id)","projectId":"\#(project.id)","titleEn":"Leamington safety plan","area":"Leamington","topics":["human_trafficking","intimate_partner_violence"],"status":"\#(status)"}"#
            }
            #expect(
                try await api(app, .POST, "/api/v1/safety-plans", token: member, json: body(f.projectB, "draft")).status
                    == .forbidden)
            let created = try await api(
                app, .POST, "/api/v1/safety-plans", token: member, json: body(f.projectA, "draft"))
            #expect(created.status == .created)
            let plan = try JSONDecoder().decode(Created.self, from: Data(created.body.string.utf8)).id
            func move(_ status: String) async throws -> TestingHTTPResponse {
                try await api(app, .PUT, "/api/v1/safety-plans/\(plan)", token: member, json: body(f.projectA, status))
            }
            let skipped = try await move("final")
            #expect(
                skipped.status == .unprocessableEntity
                    && skipped.body.string.contains("cannot move from “draft” to “final”"))
            for status in ["partner_review", "draft", "partner_review", "final"] {
                #expect(try await move(status).status == .ok, "\(status)")
            }
            #expect(try await move("draft").status == .unprocessableEntity)

            // Versions: PDFs only, numbered in order, the file given back as it came.
            let pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
            let notPDF = try await api(
                app, .POST, "/api/v1/safety-plans/\(plan)/versions", token: member, json: "plain text",
                contentType: HTTPMediaType(type: "application", subType: "pdf"))
            #expect(notPDF.status == .unprocessableEntity && notPDF.body.string.contains("not a PDF"))
            for note in ["For review", "Final"] {
                let up = try await api(
                    app, .POST,
                    "/api/v1/safety-plans/\(plan)/versions?note=\(note.replacingOccurrences(of: " ", with: "%20"))&fileName=leamington.pdf",
                    token: member,
                    json: pdf + note, contentType: HTTPMediaType(type: "application", subType: "pdf"))
                #expect(up.status == .created)
            }
            let versions = try JSONDecoder().decode(
                [Version].self,
                from: Data(
                    try await api(app, .GET, "/api/v1/safety-plans/\(plan)/versions", token: member).body.string.utf8))
            #expect(versions.map(\.number) == [1, 2] && versions[0].sha256 != versions[1].sha256)
            let file = try await api(app, .GET, "/api/v1/safety-plans/\(plan)/versions/2/file", token: member)
            #expect(file.body.string == pdf + "Final" && file.headers.contentType?.subType == "pdf")
            #expect(
                try await api(app, .GET, "/api/v1/safety-plans/\(plan)/versions/3/file", token: member).status
                    == .notFound)

            // Distribution: at the three events and at partner offices.
            let event = Event(
                kind: "community_event", titleEn: "Leamington fair", occurredOn: Day("2025-10-15")!,
                place: "Leamington", projectId: f.projectA.id)
            try await RecordWriter(db: app.db, author: .commandLine).create(event)
            let noEvent = #"{"safetyPlanId":"\#(plan)","channel":"event","count":31}"#
            #expect(
                try await api(app, .POST, "/api/v1/safety-plan-distributions", token: member, json: noEvent).status
                    == .unprocessableEntity)
            for json in [
                #"{"safetyPlanId":"\#(plan)","channel":"event","eventId":"\#(event.id)","count":31}"#,
                #"{"safetyPlanId":"\#(plan)","channel":"partner_office","count":51}"#,
            ] {
                #expect(
                    try await api(app, .POST, "/api/v1/safety-plan-distributions", token: member, json: json).status
                        == .created)
            }
            #expect(try await move("distributed").status == .ok)
            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            let page = try await browser.get("/safety-plans/\(plan)").body.string
            #expect(
                page.contains("Copies distributed: 82") && page.contains("Leamington fair: 31")
                    && page.contains("Partner offices: 51"))
            #expect(try await browser.get("/safety-plans/\(plan)/versions").body.string.contains("leamington.pdf"))
        }
    }
}
