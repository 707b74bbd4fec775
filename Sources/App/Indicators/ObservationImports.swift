import Fluent
import SQLKit
import Vapor
import WellplanCore

/// What an observation import carries to its job: the plan, the file's layout and, once checked, its size.
struct ObservationImportRequest: Codable, Sendable {
    var plan: UUID
    var layout: ObservationLayout

    /// From the query or form fields. `layout`: `long` (the default), `areas_in_rows` or `measures_in_rows`.
    /// Each row's period comes from the column `period`, or the whole file's from `periodValue`. Lists are
    /// one entry per line: `mapping` ("column or row label=measure code"), `dimensions` ("dimension=column"), `skip`.
    init(plan: UUID, _ field: (String) -> String?) throws {
        self.plan = plan
        var problems: [FieldProblem] = []
        func text(_ name: String) -> String? { field(name)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        func lines(_ name: String) -> [String] {
            (field(name) ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        /// "label=code" pairs, split at the last "=" (labels may hold one; codes never do).
        func pairs(_ name: String) -> [String: String] {
            var out: [String: String] = [:]
            for line in lines(name) {
                guard let cut = line.lastIndex(of: "="), !line[..<cut].isEmpty, !line[line.index(after: cut)...].isEmpty
                else {
                    problems.append(FieldProblem(name, "error_mapping_line", [line]))
                    continue
                }
                out[line[..<cut].trimmingCharacters(in: .whitespaces)] = line[line.index(after: cut)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            return out
        }
        var period = ObservationLayout.PeriodColumn.column(text("period") ?? "period")
        if let fixed = text("periodValue") {
            if let p = Period(fixed) {
                period = .fixed(p)
            } else {
                problems.append(FieldProblem("periodValue", "error_not_period"))
            }
        }
        func required(_ name: String) -> String {
            if let value = text(name) { return value }
            problems.append(FieldProblem(name, "error_required"))
            return ""
        }
        switch text("layout") ?? "long" {
        case "long":
            layout = .long(
                .init(
                    measure: text("measure") ?? "measure", period: period, area: text("area"),
                    value: text("value") ?? "value", numerator: text("numerator"),
                    denominator: text("denominator"), note: text("note"), dimensions: pairs("dimensions")))
        case "areas_in_rows":
            let mapping = pairs("mapping")
            if mapping.isEmpty, !problems.contains(where: { $0.field == "mapping" }) {
                problems.append(FieldProblem("mapping", "error_required"))
            }
            layout = .areasInRows(area: required("area"), period: period, measures: mapping)
        case "measures_in_rows":
            let mapping = pairs("mapping")
            if mapping.isEmpty, !problems.contains(where: { $0.field == "mapping" }) {
                problems.append(FieldProblem("mapping", "error_required"))
            }
            layout = .measuresInRows(
                label: required("label"), period: period, measures: mapping, whole: text("whole"), skip: lines("skip"),
                codesRow: text("codesRow"))
        case let other:
            problems.append(FieldProblem("layout", "error_not_in_list", [other]))
            layout = .long(.init())
        }
        if !problems.isEmpty { throw WellplanError.invalid(problems) }
    }
}

/// A checked observation file (kept in the database) and its request, handed to a job in its payload.
struct ObservationImportPayload: Codable {
    let request: ObservationImportRequest
    let fileId: UUID
    let figures: Int
    let author: String
}

enum ObservationImportJob: JobKind {
    static let name = "observation_import"

    /// Checks every row of the upload (a bad file is refused whole, with its lines), keeps it in the database
    /// and queues the import, which any server's worker may run.
    static func accept(
        _ request: ObservationImportRequest, db: any Database, author: Author, uploads: URL,
        body: (URL) async throws -> Void
    ) async throws -> Job {
        let file = try StoredFiles.temporary("observations-\(UUID()).csv", in: uploads)
        defer { try? FileManager.default.removeItem(at: file) }
        try await body(file)
        let figures = try await Observations.check(
            file, request.layout, targets: try await .load(plan: request.plan, db: db))
        return try await db.writeTransaction { tx in
            let kept = try await StoredFiles(sql: tx.sql).keep(contentsOf: file, mediaType: "text/csv", at: author.now)
            let payload = ObservationImportPayload(
                request: request, fileId: kept.id, figures: figures, author: author.label)
            let encoded = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
            return try await JobQueue.enqueue(Self.self, payload: encoded, on: tx.sql, author)
        }
    }

    static func run(_ context: JobContext) async throws -> String? {
        let payload = try JSONDecoder().decode(ObservationImportPayload.self, from: Data(context.job.payload.utf8))
        let observations = Observations(
            db: context.db, author: Author(userId: nil, label: payload.author, clock: context.settings.clock))
        let targets = try await Observations.Targets.load(plan: payload.request.plan, db: context.db)
        let written = try await StoredFiles(sql: context.db.sql).withCopy(payload.fileId, in: context.settings.uploads)
        {
            try await observations.run(
                $0, payload.request.layout, targets: targets, store: context.settings.store, expected: payload.figures
            ) { await context.report($0) }
        }
        try await StoredFiles(sql: context.db.sql).remove(payload.fileId)
        return "\(written) figures imported"
    }
}
