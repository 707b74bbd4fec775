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

    /// Storage writes each field through its key path. SQLKit's Codable encoder, which it replaced, stays the
    /// oracle: for every kind, a sample stored both ways holds the same value in every column, and reads back
    /// as the same record.
    @Test(arguments: SampleRecords.Variant.allCases) func eachFieldIsStoredAsTheCodableEncoderStoredIt(
        _ variant: SampleRecords.Variant
    ) async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let sql = app.db.sql
            for kind in RecordKind.allCases {
                func check<R: Record>(_ type: R.Type) async throws {
                    var twin = try await samples.make(R.self, variant)
                    let original = twin.id
                    twin.id = UUID()
                    // A twin table without the original's constraints (a discussion's number is unique).
                    let copy = "encoded_" + R.kind.table
                    try await sql.raw("CREATE TABLE \(ident: copy) AS SELECT * FROM \(ident: R.kind.table) WHERE 1 = 0")
                        .run()
                    try await sql.insert(into: copy).model(twin, with: Records.encoder).run()
                    let same = R.fields.map { field -> String in
                        let (a, b) = ("a." + field.column, "b." + field.column)
                        return sql.isPostgres ? "\(a) IS NOT DISTINCT FROM \(b)" : "\(a) IS \(b)"
                    }
                    let agreeing = try await sql.raw(
                        """
                        SELECT COUNT(*) AS n FROM \(ident: R.kind.table) a, \(ident: copy) b
                        WHERE a.id = \(bind: original) AND b.id = \(bind: twin.id) AND \(unsafeRaw: same.joined(separator: " AND "))
                        """
                    ).first()?.decode(column: "n", as: Int.self)
                    #expect(agreeing == 1, "\(kind) (\(variant)): a column differs from the Codable encoder's")
                    try await sql.raw("DROP TABLE \(ident: copy)").run()
                    let back: R? = try await Records(db: sql).find(R.self, original)
                    twin.id = original
                    #expect(back.map { Self.values($0) } == Self.values(twin), "\(kind) (\(variant)) read back")
                }
                try await check(kind.recordType)
            }
        }
    }

    static func values<R: Record>(_ record: R) -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for field in R.fields { values[field.name] = field.value(in: record) }
        return values
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
