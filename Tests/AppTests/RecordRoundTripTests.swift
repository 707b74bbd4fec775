import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

/// Nothing changes unasked: for every kind of record, made from its description, its edit form as the
/// server draws it, submitted untouched, and the API's GET then PUT of the same body, leave the stored
/// record as it was; a new form submitted with only what is required keeps every default.
@Suite struct RecordRoundTripTests {
    static let kinds = RecordKind.allCases.filter { !$0.hasOwnRoutes }

    @Test(arguments: SampleRecords.Variant.allCases) func anUntouchedEditFormChangesNothing(
        _ variant: SampleRecords.Variant
    ) async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let browser = Browser(app)
            _ = try await browser.signIn("admin@test.ca")
            for kind in Self.kinds {
                let sample = try await samples.make(kind, variant)
                let path = "/\(kind.path)/\(sample.id)"
                let page = try await browser.get(path + "/edit")
                #expect(page.status == .ok, "\(kind) edit form")
                let form = try #require(HTMLForm(page.body.string, action: path), "\(kind): no form posting to \(path)")
                let saved = try await browser.post(path, form.fields, withToken: false)
                #expect(saved.status == .seeOther, "\(kind) (\(variant)): \(saved.status) \(problems(saved))")
                try await expectStored(sample, app, "\(kind) (\(variant)) after its edit form was saved untouched")
            }
        }
    }

    @Test(arguments: SampleRecords.Variant.allCases) func anAPIGetThenPutChangesNothing(
        _ variant: SampleRecords.Variant
    ) async throws {
        try await withApp { app in
            let fixture = try await Fixture.make(app)
            let samples = SampleRecords(app)
            for kind in Self.kinds {
                let sample = try await samples.make(kind, variant)
                let path = "/api/v1/\(kind.path)/\(sample.id)"
                let got = try await api(app, .GET, path, token: fixture.tokens[.admin])
                #expect(got.status == .ok)
                let put = try await api(app, .PUT, path, token: fixture.tokens[.admin], json: got.body.string)
                #expect(put.status == .ok, "\(kind) (\(variant)): \(put.status) \(put.body.string)")
                #expect(
                    put.body.string == got.body.string, "\(kind): the PUT answered another record than it was given")
                try await expectStored(sample, app, "\(kind) (\(variant)) after GET then PUT")
            }
        }
    }

    /// IDOR, for every kind: a member whose person sits on table A swaps in the id of a record table A does not
    /// own. Neither the API nor the pages let them change or delete it; reads follow the policy (a discussion is
    /// seen only at its own table).
    @Test func aMemberOfAnotherTableChangesNoKindsRecordBySwappingItsId() async throws {
        try await withApp { app in
            let fixture = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let member = fixture.tokens[.member]!
            let browser = Browser(app)
            _ = try await browser.signIn("member@test.ca")
            for kind in Self.kinds {
                let sample = try await samples.make(kind, .full)
                let path = "/api/v1/\(kind.path)/\(sample.id)"
                let got = try await api(app, .GET, path, token: fixture.tokens[.admin])
                let read = try await api(app, .GET, path, token: member)
                #expect(
                    read.status == (kind == .situationDiscussion ? .forbidden : .ok), "\(kind): read \(read.status)")
                let put = try await api(app, .PUT, path, token: member, json: got.body.string)
                #expect(
                    [.forbidden, .notFound].contains(put.status),
                    "\(kind): PUT by a member of another table answered \(put.status)")
                let delete = try await api(app, .DELETE, path, token: member)
                #expect([.forbidden, .notFound].contains(delete.status), "\(kind): DELETE answered \(delete.status)")
                try await browser.get("/\(kind.path)")
                let posted = try await browser.post("/\(kind.path)/\(sample.id)", [])
                #expect(
                    [.forbidden, .notFound].contains(posted.status),
                    "\(kind): the page's save answered \(posted.status)")
                let removed = try await browser.post("/\(kind.path)/\(sample.id)/delete", [])
                #expect(
                    [.forbidden, .notFound].contains(removed.status),
                    "\(kind): the page's delete answered \(removed.status)")
                try await expectStored(sample, app, "\(kind) after a member of another table tried it")
            }
        }
    }

    /// A new form, with only what a bare record needs typed in, stores what the API stores for the same
    /// values: every other field at its default (each yes/no as its description says, the rest empty).
    @Test func aNewFormKeepsTheDefaultsOfWhatNobodyTouched() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let browser = Browser(app)
            _ = try await browser.signIn("admin@test.ca")
            for kind in Self.kinds {
                func check<R: Record>(_ type: R.Type) async throws {
                    // Made to know what a bare record needs, then removed, so the form's copy is no duplicate.
                    let sample = try await samples.make(R.self, .bare)
                    try await samples.writer.delete(sample)
                    let page = try await browser.get("/\(kind.path)/new")
                    var form = try #require(HTMLForm(page.body.string, action: "/\(kind.path)"), "\(kind): no new form")
                    // Typed in: what the sample holds (what its rules ask for), yes/no boxes left alone.
                    let typed = RecordInput.formValues(sample)
                    let touched = R.fields.filter { field in
                        if case .flag = field.kind { return false }
                        return typed[field.name] != nil
                    }
                    for field in touched { form.set(field.name, typed[field.name] ?? []) }
                    let saved = try await browser.post("/\(kind.path)", form.fields, withToken: false)
                    #expect(saved.status == .seeOther, "\(kind): \(saved.status) \(problems(saved))")
                    let location = saved.headers.first(name: .location) ?? ""
                    let id = try #require(
                        UUID(uuidString: String(location.split(separator: "/").last ?? "")), "\(kind): \(location)")
                    // What the API makes of the same values: the defaults of everything else.
                    var json: [String: JSONValue] = [:]
                    let given = sample.values
                    for field in touched { json[field.name] = given[field.name]?.json }
                    let expected = try RecordInput.parse(R.self, json: json, id: id)
                    let stored = try await Records(db: app.db.sql).find(R.self, id)
                    #expect(
                        stored == expected,
                        "\(kind): the new form stored \(String(describing: stored)), not \(expected)")
                }
                try await check(kind.recordType)
            }
        }
    }

    /// A discussion has pages and API of its own (it moves only through its lifecycle); the same holds there.
    @Test func aDiscussionSavedUntouchedStaysAsItWas() async throws {
        try await withApp { app in
            let f = try await SituationFixture.make(app)
            let id = try await f.planned(app)
            let store = Records(db: app.db.sql)
            let before = try #require(try await store.find(SituationDiscussion.self, id))
            let browser = Browser(app)
            _ = try await browser.signIn("health@test.ca")
            let page = try await browser.get("/discussions/\(id)/edit")
            #expect(page.status == .ok)
            let form = try #require(HTMLForm(page.body.string, action: "/discussions/\(id)"))
            let saved = try await browser.post("/discussions/\(id)", form.fields, withToken: false)
            #expect(saved.status == .seeOther, "\(saved.status) \(problems(saved))")
            #expect(try await store.find(SituationDiscussion.self, id) == before)

            let got = try await api(app, .GET, "/api/v1/discussions/\(id)", token: f.tokens["health"])
            let put = try await api(
                app, .PUT, "/api/v1/discussions/\(id)", token: f.tokens["health"], json: got.body.string)
            #expect(put.status == .ok, "\(put.body.string)")
            #expect(try await store.find(SituationDiscussion.self, id) == before)
        }
    }

    /// The failure the round trips were written for: a measure saved untouched stays unpublished, a closed
    /// feedback form stays closed, an in-person event stays in person.
    @Test func aSavedFormLeavesEachYesAndNoAsItWas() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let browser = Browser(app)
            _ = try await browser.signIn("admin@test.ca")
            var measure = try await samples.make(Measure.self, .bare)
            #expect(measure.published == false)
            let page = try await browser.get("/measures/\(measure.id)/edit")
            #expect(!page.body.string.contains(#"name="published" value="true" checked"#))
            let form = try #require(HTMLForm(page.body.string, action: "/measures/\(measure.id)"))
            _ = try await browser.post("/measures/\(measure.id)", form.fields, withToken: false)
            measure = try #require(try await Records(db: app.db.sql).find(Measure.self, measure.id))
            #expect(measure.published == false)
            let open = try await browser.get("/public/measures/\(measure.id)")
            #expect(open.status == .notFound)
        }
    }

    private func expectStored(_ sample: any Record, _ app: Application, _ what: String) async throws {
        func check<R: Record>(_ record: R) async throws {
            let stored = try await Records(db: app.db.sql).find(R.self, record.id)
            #expect(stored == record, "\(what): stored \(String(describing: stored)), was \(record)")
        }
        try await check(sample)
    }

    private func problems(_ response: TestingHTTPResponse) -> String {
        response.body.string.matches(of: #/<p class="error" id="([^"]+)-error">([^<]*)</#).map {
            "\($0.output.1): \($0.output.2)"
        }
        .joined(separator: "; ")
    }
}
