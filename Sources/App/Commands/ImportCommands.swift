import Fluent
import Vapor
import WellplanCore

/// `wellplan import incidents|observations|discussions|responses|areas FILE …`: a file goes through the
/// web's checks (and job), all or nothing. The options are named as the API's fields, so one description serves both.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        [
            "incidents": ImportIncidentsCommand(), "observations": ImportObservationsCommand(),
            "discussions": ImportDiscussionsCommand(),
            "responses": ImportResponsesCommand(), "areas": ImportAreasCommand(),
        ]
    }
    var help: String { "Imports a file through the same checks as the web, all or nothing." }

    /// The file's bytes, for the imports that read a file whole as their web form does.
    static func contents(_ file: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        return data
    }

    /// The file, refused by name when it cannot be read.
    static func readable(_ file: String) throws -> URL {
        guard FileManager.default.isReadableFile(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        return URL(fileURLWithPath: file)
    }

    /// Copies the file where uploads wait, has it checked whole and queued by `accept`, then runs the job here.
    static func run(
        _ file: String, _ context: CommandContext, accept: (_ copy: (URL) async throws -> Void) async throws -> Job
    ) async throws {
        let source = try readable(file)
        let queued: Job
        do {
            queued = try await accept { try FileManager.default.copyItem(at: source, to: $0) }
        } catch let error as WellplanError {
            throw CommandFailure("nothing imported", error)
        }
        let done = try await JobQueue.runHere(queued, context)
        guard done.state == .succeeded else {
            throw CommandFailure("nothing imported: \(done.error ?? "unknown error")")
        }
        context.console.print("Imported \(file): \(done.result ?? "")")
    }
}

/// `wellplan import incidents FILE --occurredAt C --category C --eventId C (--longitude C --latitude C | --x C --y C --zone N | --areaColumn C --areaLayerId ID)`.
struct ImportIncidentsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "occurredAt", help: "Column with the day or time the incident occurred") var occurredAt: String?
        @Option(name: "category", help: "Column with the incident's category") var category: String?
        @Option(name: "eventId", help: "Column with the source's own id (a re-import adds nothing twice)") var eventId:
            String?
        @Option(name: "longitude", help: "Column with the longitude (WGS 84)") var longitude: String?
        @Option(name: "latitude", help: "Column with the latitude (WGS 84)") var latitude: String?
        @Option(name: "x", help: "Column with the UTM easting") var x: String?
        @Option(name: "y", help: "Column with the UTM northing") var y: String?
        @Option(name: "zone", help: "The UTM zone, a number") var zone: String?
        @Option(name: "areaColumn", help: "Column with an area code, instead of coordinates") var areaColumn: String?
        @Option(name: "areaLayerId", help: "The layer those area codes belong to") var areaLayerId: String?
        @Option(name: "reportedArea", help: "Column with the area the source itself reports") var reportedArea: String?
        @Option(
            name: "unplaced",
            help: "keep: keep rows without a place (in totals, in no area) and list them; refuse (the default)")
        var unplaced: String?
    }
    var help: String { "Imports police incidents from a CSV file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let fields = [
            "occurredAt": s.occurredAt, "category": s.category, "eventId": s.eventId, "longitude": s.longitude,
            "latitude": s.latitude, "x": s.x,
            "y": s.y, "zone": s.zone, "areaColumn": s.areaColumn, "areaLayerId": s.areaLayerId,
            "reportedArea": s.reportedArea,
            "unplaced": s.unplaced,
        ]
        let app = context.application
        try await ImportCommands.run(s.file, context) { copy in
            try await IncidentUploads.accept(
                try IncidentImportRequest { fields[$0] ?? nil }, db: app.db, author: .commandLine,
                uploads: app.settings.uploads, body: copy)
        }
    }
}

/// `wellplan import observations FILE [--plan ID] [--layout long|areas_in_rows|measures_in_rows] …`.
struct ImportObservationsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(
            name: "plan", help: "The plan whose measures the figures belong to (needed when there is more than one)")
        var plan: String?
        @Option(name: "layout", help: "long (the default), areas_in_rows or measures_in_rows") var layout: String?
        @Option(name: "measure", help: "long: the measure code's column") var measure: String?
        @Option(name: "period", help: "The period's column") var period: String?
        @Option(name: "periodValue", help: "One period for the whole file, instead of a column") var periodValue:
            String?
        @Option(name: "area", help: "The area code's column") var area: String?
        @Option(name: "value", help: "long: the value's column") var value: String?
        @Option(name: "numerator", help: "long: the numerator's column") var numerator: String?
        @Option(name: "denominator", help: "long: the denominator's column") var denominator: String?
        @Option(name: "note", help: "long: the note's column") var note: String?
        @Option(name: "label", help: "measures_in_rows: the row label's column") var label: String?
        @Option(name: "whole", help: "measures_in_rows: the column holding the whole area") var whole: String?
        @Option(name: "codesRow", help: "measures_in_rows: the row label whose cells are area codes") var codesRow:
            String?
        @Option(name: "mapping", help: "Lines of 'column or row label=measure code'") var mapping: String?
        @Option(name: "dimensions", help: "long: lines of 'dimension=column'") var dimensions: String?
        @Option(name: "skip", help: "measures_in_rows: row labels to skip, one per line") var skip: String?
    }
    var help: String { "Imports measures' observations from a CSV file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let fields = [
            "layout": s.layout, "measure": s.measure, "period": s.period, "periodValue": s.periodValue, "area": s.area,
            "value": s.value,
            "numerator": s.numerator, "denominator": s.denominator, "note": s.note, "label": s.label, "whole": s.whole,
            "codesRow": s.codesRow,
            "mapping": s.mapping, "dimensions": s.dimensions, "skip": s.skip,
        ]
        let app = context.application
        let plan = try CommandSubject.chosen(
            s.plan, among: try await Records(db: app.db.sql).list(Plan.self), option: "plan", named: \.titleEn
        ).id
        try await ImportCommands.run(s.file, context) { copy in
            try await ObservationImportJob.accept(
                try ObservationImportRequest(plan: plan) { fields[$0] ?? nil }, db: app.db, author: .commandLine,
                uploads: app.settings.uploads, body: copy)
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
        let data = try ImportCommands.contents(s.file)
        do {
            let n = try await Discussions(db: app.db, author: .commandLine, settings: app.settings).importRTD(
                table, csv: data)
            context.console.print("Imported \(s.file): \(n) discussions into \(table.nameEn)")
        } catch let error as WellplanError {
            throw CommandFailure("nothing imported", error)
        }
    }
}

/// `wellplan import responses FILE [--consultation ID] [--methodId ID]`: a survey tool's export (Google Forms,
/// LimeSurvey, KoBoToolbox), each column matched to a question as the API's import does; a response already
/// imported is not imported twice.
struct ImportResponsesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "consultation", help: "The consultation (needed when there is more than one)") var consultation:
            String?
        @Option(name: "methodId", help: "The consultation method the responses came through") var methodId: String?
    }
    var help: String { "Imports a consultation's responses from a survey tool's CSV export." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        let consultation = try CommandSubject.chosen(
            s.consultation, among: try await Records(db: app.db.sql).list(Consultation.self),
            option: "consultation", named: \.titleEn)
        var method: UUID?
        if let text = s.methodId {
            guard let id = UUID(uuidString: text) else { throw CommandFailure("--methodId \(text) is not an id") }
            method = id
        }
        let file = try ImportCommands.readable(s.file)
        let bar = ProgressBar(console: context.console)
        do {
            let result = try await ResponseImports(db: app.db, author: .commandLine).run(
                consultation, method: method, file: file, store: app.settings.store
            ) {
                bar.show($0, nil)
            }
            bar.finish()
            context.console.print(
                "Imported \(s.file): \(result.imported) responses, \(result.alreadyImported) already there, \(result.questionsCreated) questions created"
            )
        } catch let error as WellplanError {
            bar.finish()
            throw CommandFailure("nothing imported", error)
        }
    }
}

/// `wellplan import areas FILE [--layer ID] --idProperty P [--nameProperty P]`: a layer's boundaries from
/// GeoJSON, as the layer's page takes them; incidents already there are assigned to them.
struct ImportAreasCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
        @Option(name: "layer", help: "The layer (needed when there is more than one)") var layer: String?
        @Option(name: "idProperty", help: "The feature property holding each area's code") var idProperty: String?
        @Option(name: "nameProperty", help: "The feature property holding each area's name") var nameProperty: String?
    }
    var help: String { "Imports a layer's areas from a GeoJSON file." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        let layer = try CommandSubject.chosen(
            s.layer, among: try await Records(db: app.db.sql).list(Layer.self), option: "layer", named: \.nameEn)
        guard let idProperty = s.idProperty, !idProperty.isEmpty else {
            throw CommandFailure("--idProperty names the property holding each area's code")
        }
        let data = try ImportCommands.contents(s.file)
        do {
            let result = try await Areas(db: app.db, author: .commandLine).importGeoJSON(
                layer, data: data, idProperty: idProperty, nameProperty: s.nameProperty)
            context.console.print("Imported \(s.file): \(result.areas) areas, \(result.assigned) incidents assigned")
        } catch let error as WellplanError {
            throw CommandFailure("nothing imported", error)
        }
    }
}
