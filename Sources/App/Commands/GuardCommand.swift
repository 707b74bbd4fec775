import Foundation
import Vapor
import WellplanCore

/// `wellplan guard --json`: checks text as a situation table's notes are checked, with the names and the
/// known agencies, tables and places of this database. Reads JSON Lines `{"id", "text"}` on standard input
/// and writes `{"id", "findings": [{"kind", "start", "end"}]}`, offsets in Unicode scalars (as Python
/// counts), kinds as the identifier corpus names them. For measuring the guard beside other detectors.
struct GuardCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "json", help: "read and write JSON Lines") var json: Bool
    }
    var help: String { "Checks text for direct identifiers (JSON Lines on standard input)." }

    struct Line: Codable {
        let id: String
        let text: String
    }

    struct Found: Encodable {
        let kind: String
        let start: Int
        let end: Int
    }

    struct Answer: Encodable {
        let id: String
        let findings: [Found]
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.json else { throw CommandFailure("give --json and JSON Lines on standard input") }
        let guardian = try await GuardedNames(db: context.application.db.sql).guardian()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        while let text = readLine(strippingNewline: true) {
            guard !text.isEmpty else { continue }
            guard let line = try? JSONDecoder().decode(Line.self, from: Data(text.utf8)) else {
                throw CommandFailure("not a JSON line: \(text.prefix(80))")
            }
            let characters = Array(line.text)
            func scalars(_ count: Int) -> Int { characters.prefix(count).reduce(0) { $0 + $1.unicodeScalars.count } }
            let findings = guardian.findings(in: line.text).map { finding in
                Found(
                    kind: Self.corpusKind(finding.kind), start: scalars(finding.position - 1),
                    end: scalars(finding.position - 1 + finding.length))
            }
            // Written straight to the file, unbuffered: one answer per line as it comes, for whoever waits on a pipe.
            FileHandle.standardOutput.write(
                try encoder.encode(Answer(id: line.id, findings: findings)) + Data("\n".utf8))
        }
    }

    /// The identifier corpus's name for a kind (`Tests/corpus/identifiers.json`).
    static func corpusKind(_ kind: IdentifierGuard.Kind) -> String {
        switch kind {
        case .titledName, .personName, .listedName: "person_name"
        case .dateOfBirth: "date_of_birth"
        default: RecordField.snakeCase(kind.rawValue)
        }
    }
}
