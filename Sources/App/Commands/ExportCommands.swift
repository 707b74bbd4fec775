import Vapor
import WellplanCore

/// `wellplan export discussions [--table ID] [--output FILE]`: the RTD-style CSV the table's page offers,
/// which `wellplan import discussions` reads back.
struct ExportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["discussions": ExportDiscussionsCommand()] }
    var help: String { "Writes records out as the web's downloads do." }
}

struct ExportDiscussionsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "table", help: "The situation table (needed when there is more than one)") var table: String?
        @Option(name: "output", short: "o", help: "File to write; standard output when absent") var output: String?
    }
    var help: String { "Writes a situation table's discussions as an RTD-style CSV." }

    func run(using context: CommandContext, signature s: Signature) async throws {
        let app = context.application
        let table = try await CommandSubject.situationTable(s.table, app)
        var text = ""
        try await Discussions(db: app.db, author: .commandLine, settings: app.settings).exportRTD(table.id) {
            text += $0
        }
        if let output = s.output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            context.console.print("Written \(output)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
