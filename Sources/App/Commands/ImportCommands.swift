import Fluent
import Vapor
import WellplanCore

/// `wellplan import incidents|observations|discussions FILE …`: a file goes through the web's checks (and
/// job), all or nothing. The options are named as the API's fields, so one description serves both.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["incidents": ImportIncidentsCommand(), "observations": ImportObservationsCommand(), "discussions": ImportDiscussionsCommand()]
    }
    var help: String { "Imports a CSV file through the same checks and job as the web." }

    /// Copies the file where uploads wait, has it checked whole and queued by `accept`, then runs the job here.
    static func run(_ file: String, _ context: CommandContext, accept: (_ copy: (URL) async throws -> Void) async throws -> Job) async throws {
        let source = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: source.path) else { throw CommandFailure("cannot read \(file)") }
        let queued: Job
        do {
            queued = try await accept { try FileManager.default.copyItem(at: source, to: $0) }
        } catch WellplanError.invalid(let problems) {
            throw CommandFailure("nothing imported", problems)
        }
        let done = try await JobQueue.runHere(queued, context)
        guard done.state == .succeeded else { throw CommandFailure("nothing imported: \(done.error ?? "unknown error")") }
        context.console.print("Imported \(file): \(done.result ?? "")")
    }
}

/// `wellplan import incidents FILE --occurredAt C --category C --eventId C (--longitude C --latitude C | --x C --y C --zone N | --areaColumn C --areaLayerId ID)`.
struct ImportIncidentsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "occurredAt", help: "Column with the day or time the incident occurred") var occurredAt: String?
        @Option(name: "category", help: "Column with the incident's category") var category: String?
        @Option(name: "eventId", help: "Column with the source's own id (a re-import adds nothing twice)") var eventId: String?
        @Option(name: "longitude", help: "Column with the longitude (WGS 84)") var longitude: String?
        @Option(name: "latitude", help: "Column with the latitude (WGS 84)") var latitude: String?
        @Option(name: "x", help: "Column with the UTM easting") var x: String?
        @Option(name: "y", help: "Column with the UTM northing") var y: String?
        @Option(name: "zone", help: "The UTM zone, a number") var zone: String?
        @Option(name: "areaColumn", help: "Column with an area code, instead of coordinates") var areaColumn: String?
        @Option(name: "areaLayerId", help: "The layer those area codes belong to") var areaLayerId: String?
        @Option(name: "reportedArea", help: "Column with the area the source itself reports") var reportedArea: String?
    }
    var help: String { "Imports police incidents from a CSV file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let fields = [
            "occurredAt": s.occurredAt, "category": s.category, "eventId": s.eventId, "longitude": s.longitude, "latitude": s.latitude, "x": s.x,
            "y": s.y, "zone": s.zone, "areaColumn": s.areaColumn, "areaLayerId": s.areaLayerId, "reportedArea": s.reportedArea,
        ]
        let app = context.application
        try await ImportCommands.run(s.file, context) { copy in
            try await IncidentUploads.accept(try IncidentImportRequest { fields[$0] ?? nil }, db: app.db, author: .commandLine, body: copy)
        }
    }
}

/// `wellplan import observations FILE [--plan ID] [--layout long|areas_in_rows|measures_in_rows] …`.
struct ImportObservationsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "plan", help: "The plan whose measures the figures belong to (needed when there is more than one)") var plan: String?
        @Option(name: "layout", help: "long (the default), areas_in_rows or measures_in_rows") var layout: String?
        @Option(name: "measure", help: "long: the measure code's column") var measure: String?
        @Option(name: "period", help: "The period's column") var period: String?
        @Option(name: "periodValue", help: "One period for the whole file, instead of a column") var periodValue: String?
        @Option(name: "area", help: "The area code's column") var area: String?
        @Option(name: "value", help: "long: the value's column") var value: String?
        @Option(name: "numerator", help: "long: the numerator's column") var numerator: String?
        @Option(name: "denominator", help: "long: the denominator's column") var denominator: String?
        @Option(name: "note", help: "long: the note's column") var note: String?
        @Option(name: "label", help: "measures_in_rows: the row label's column") var label: String?
        @Option(name: "whole", help: "measures_in_rows: the column holding the whole area") var whole: String?
        @Option(name: "codesRow", help: "measures_in_rows: the row label whose cells are area codes") var codesRow: String?
        @Option(name: "mapping", help: "Lines of 'column or row label=measure code'") var mapping: String?
        @Option(name: "dimensions", help: "long: lines of 'dimension=column'") var dimensions: String?
        @Option(name: "skip", help: "measures_in_rows: row labels to skip, one per line") var skip: String?
    }
    var help: String { "Imports measures' observations from a CSV file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let fields = [
            "layout": s.layout, "measure": s.measure, "period": s.period, "periodValue": s.periodValue, "area": s.area, "value": s.value,
            "numerator": s.numerator, "denominator": s.denominator, "note": s.note, "label": s.label, "whole": s.whole, "codesRow": s.codesRow,
            "mapping": s.mapping, "dimensions": s.dimensions, "skip": s.skip,
        ]
        let app = context.application
        let plan = try CommandSubject.chosen(
            s.plan, among: try await RecordStore(db: app.db.sql).list(Plan.self).map { ($0.id, $0.titleEn) }, option: "plan")
        try await ImportCommands.run(s.file, context) { copy in
            try await ObservationImportJob.accept(
                try ObservationImportRequest(plan: plan) { fields[$0] ?? nil }, db: app.db, author: .commandLine, body: copy)
        }
    }
}

/// `wellplan import discussions FILE [--table ID]`: a situation table's earlier history from an RTD-style
/// CSV, as the table's import page takes it (checked whole, identifiers refused, then written at once).
struct ImportDiscussionsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "table", help: "The situation table (needed when there is more than one)") var table: String?
    }
    var help: String { "Imports a situation table's discussions from an RTD-style CSV file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        let table = try await CommandSubject.situationTable(s.table, app)
        guard let data = FileManager.default.contents(atPath: s.file) else { throw CommandFailure("cannot read \(s.file)") }
        do {
            let n = try await Discussions(db: app.db, author: .commandLine, settings: app.settings).importRTD(table, csv: data)
            context.console.print("Imported \(s.file): \(n) discussions into \(table.nameEn)")
        } catch WellplanError.invalid(let problems) {
            throw CommandFailure("nothing imported", problems)
        }
    }
}
