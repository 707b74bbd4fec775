import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor
import WellplanCore

@testable import App

/// The statements a request sends to the database, counted from the drivers' own query log (SQLiteKit
/// and PostgresKit log each statement to the logger of the request that sent it).
final class QueryLog: Sendable {
    private let statements = NIOLockedValueBox<[String]>([])

    var count: Int { statements.withLockedValue { $0.count } }
    var all: [String] { statements.withLockedValue { $0 } }
    func reset() { statements.withLockedValue { $0 = [] } }
    func add(_ sql: String) { statements.withLockedValue { $0.append(sql) } }

    /// A logger that counts the statements sent through a database made with it.
    var logger: Logger { Logger(label: "query-count") { [self] _ in Handler(log: self) } }

    /// Puts the log in front of every request of `app`.
    func install(on app: Application) {
        app.middleware.use(Counting(log: self), at: .beginning)
    }

    private struct Counting: AsyncMiddleware {
        let log: QueryLog
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let log = self.log
            request.logger = Logger(label: "query-count") { _ in Handler(log: log) }
            return try await next.respond(to: request)
        }
    }

    private struct Handler: LogHandler {
        let log: QueryLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.message.description == "Executing query" else { return }
            log.add(event.metadata?["sql"]?.description ?? "")
        }
    }
}

/// A page reads its data by the set: the number of statements it sends does not grow with the records it
/// shows. Each page is read with a little data and with much more; the two counts must be the same.
@Suite struct QueryCountTests {
    /// Time stands still while a test reads: a session touched again after five minutes (a slow machine building
    /// forty records of every kind) would add a statement that has nothing to do with the data.
    static func stillClock(_ settings: inout Settings) { settings.clock = .fixed(Day("2026-06-15")!) }

    /// Signs in as `email` and returns a function that reads a page and counts its statements.
    func reader(_ app: Application, _ email: String) async throws -> (String) async throws -> Int {
        let log = QueryLog()
        log.install(on: app)
        let browser = Browser(app)
        #expect(try await browser.signIn(email).status == .seeOther)
        return { path in
            log.reset()
            let res = try await browser.get(path)
            #expect(res.status == .ok, "\(path)")
            return log.count
        }
    }

    @Test func thePlanPageReadsTheSameWithTenProjectsOrAHundred() async throws {
        try await withApp(settings: Self.stillClock) { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let recommendation = GuidingRecommendation(planId: f.plan.id, number: "1", statementEn: "Recommendation")
            try await w.create(recommendation)
            func addProjects(_ n: Int) async throws {
                for i in 0..<n {
                    let project = Project(planId: f.plan.id, leadTableId: f.tableA.id, titleEn: "Project \(i)")
                    try await w.create(project)
                    try await w.create(Goal(recommendationId: recommendation.id, statementEn: "Goal \(i)"))
                    try await w.create(
                        Output(projectId: project.id, statementEn: "Reached", computedFrom: .peopleReached, target: 100)
                    )
                    try await w.create(
                        Activity(
                            projectId: project.id, occurredOn: Day("2025-03-01")!, summaryEn: "Visit",
                            counts: [.peopleReached: 9]))
                    try await w.create(ActionItem(projectId: project.id, descriptionEn: "Next step \(i)"))
                }
            }
            let read = try await reader(app, "coordinator@test.ca")
            try await addProjects(8)
            let few = try await read("/plans/\(f.plan.id)")
            try await addProjects(90)
            let many = try await read("/plans/\(f.plan.id)")
            print("statements: plan page, 10 projects \(few), 100 projects \(many)")
            #expect(few > 0 && few == many, "10 projects: \(few) statements; 100: \(many)")
        }
    }

    /// A report is read by the set too: the working-group update of a table leading 2 projects or 20, each
    /// with its activity, event, material and feedback form, sends the same statements.
    @Test func aWorkingGroupUpdateReadsTheSameWithTwoProjectsOrTwenty() async throws {
        try await withApp(settings: Self.stillClock) { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            let question = FeedbackQuestion(questionKind: .freeText, textEn: "What did you learn?")
            try await w.create(question)
            func addProjects(_ n: Int) async throws {
                for i in 0..<n {
                    let project = Project(planId: f.plan.id, leadTableId: f.tableA.id, titleEn: "Project \(i)")
                    try await w.create(project)
                    try await w.create(
                        Activity(projectId: project.id, occurredOn: Day("2025-03-01")!, summaryEn: "Visit \(i)"))
                    try await w.create(ActionItem(projectId: project.id, descriptionEn: "Next step \(i)"))
                    let event = Event(
                        kind: "workshop", titleEn: "Workshop \(i)", occurredOn: Day("2025-03-02")!,
                        projectId: project.id)
                    try await w.create(event)
                    try await w.create(EventMaterial(eventId: event.id, materialType: "brochure", count: 5))
                    try await w.create(FeedbackForm(eventId: event.id, titleEn: "Form \(i)", questions: [question.id]))
                }
            }
            let log = QueryLog()
            let db = try #require(app.databases.database(logger: log.logger, on: app.eventLoopGroup.any()))
            func statements() async throws -> Int {
                let request = ReportRequest(
                    kind: .workingGroupUpdate, subjectId: f.tableA.id, from: Day("2025-01-01"), to: Day("2025-12-31"))
                log.reset()
                _ = try await ReportSources(db: db, policy: app.settings.disclosure, clock: app.clock).build(request)
                return log.count
            }
            try await addProjects(1)
            let few = try await statements()
            try await addProjects(19)
            let many = try await statements()
            print("statements: working-group update, 2 projects \(few), 20 projects \(many)")
            #expect(few > 0 && few == many, "2 projects: \(few) statements; 20: \(many)")
        }
    }

    @Test func aTablePageReadsTheSameWithTenMembersOrThreeHundred() async throws {
        try await withApp(settings: Self.stillClock) { app in
            let f = try await Fixture.make(app)
            let w = RecordWriter(db: app.db, author: .commandLine)
            func addMembers(_ n: Int) async throws {
                for i in 0..<n {
                    let org = Organization(nameEn: "Agency \(i)", sector: "health")
                    try await w.create(org)
                    let person = Person(name: "Member \(i)", organizationId: org.id)
                    try await w.create(person)
                    try await w.create(
                        Membership(tableId: f.tableA.id, personId: person.id, organizationId: org.id, role: "member"))
                }
            }
            let read = try await reader(app, "coordinator@test.ca")
            try await addMembers(9)
            let few = try await read("/\(RecordKind.partnerTable.path)/\(f.tableA.id)")
            try await addMembers(290)
            let many = try await read("/\(RecordKind.partnerTable.path)/\(f.tableA.id)")
            print("statements: table page, 10 members \(few), 300 members \(many)")
            #expect(few > 0 && few == many, "10 members: \(few) statements; 300: \(many)")
        }
    }

    /// Every kind's list and new-record form, from the record descriptions: with two records of the kind,
    /// and with forty (all on the list's first page).
    @Test func everyListAndFormReadsTheSameWithTwoRecordsOrForty() async throws {
        try await withApp(settings: Self.stillClock) { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let read = try await reader(app, "admin@test.ca")
            var counts: [String: (Int, Int)] = [:]
            func paths(_ kind: RecordKind) -> [String] { ["/\(kind.path)", "/\(kind.path)/new"] }
            let kinds = RecordKind.allCases.filter { !$0.hasOwnRoutes }
            for kind in kinds {
                for _ in 0..<2 { _ = try await samples.make(kind, .full) }
            }
            for path in kinds.flatMap(paths) { counts[path] = (try await read(path), 0) }
            for kind in kinds {
                for _ in 0..<38 { _ = try await samples.make(kind, .full) }
            }
            for path in kinds.flatMap(paths) { counts[path]!.1 = try await read(path) }
            for path in kinds.flatMap(paths) {
                let (few, many) = counts[path]!
                print("statements: \(path), 2 records \(few), 40 records \(many)")
                #expect(few > 0 && few == many, "\(path): 2 records, \(few) statements; 40: \(many)")
            }
        }
    }
}
