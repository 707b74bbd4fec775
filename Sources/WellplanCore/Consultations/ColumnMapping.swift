import Foundation

/// Where the coordinator sends each column of a survey export: to a question of the consultation, or
/// nowhere. A column left out goes to the question with its code, made if there is none; so a re-import
/// and a first import of a familiar tool need no mapping at all.
public struct ColumnMapping: Codable, Sendable, Equatable {
    public enum Target: Codable, Sendable, Equatable, Hashable {
        case skip
        case question(UUID)
    }

    public var targets: [String: Target]

    public init(_ targets: [String: Target] = [:]) { self.targets = targets }

    /// From `column=target` choices, a target being `skip`, `auto` (by code) or a question id.
    public init(choices: [(column: String, target: String)]) throws(WellplanError) {
        var targets: [String: Target] = [:]
        for (column, target) in choices {
            switch target.trimmingCharacters(in: .whitespaces).lowercased() {
            case "", "auto": continue
            case "skip": targets[column] = .skip
            default:
                guard let id = UUID(uuidString: target.trimmingCharacters(in: .whitespaces)) else {
                    throw .invalid([FieldProblem("map.\(column)", "error_not_reference", [target])])
                }
                targets[column] = .question(id)
            }
        }
        self.targets = targets
    }

    /// The question each column's answers go to (nil: skipped; a code not among `existing`: a new question
    /// with that code), or what is wrong: a column the file lacks, a question of another consultation, two
    /// columns sent to one question.
    public func resolve(_ columns: [String], existing: [String: UUID]) throws(WellplanError) -> [String: Resolved] {
        var problems: [FieldProblem] = []
        for column in targets.keys.sorted() where !columns.contains(column) {
            problems.append(FieldProblem("map.\(column)", "error_no_such_column"))
        }
        let known = Set(existing.values)
        var out: [String: Resolved] = [:]
        for column in columns {
            switch targets[column] {
            case .skip: continue
            case .question(let id):
                if !known.contains(id) {
                    problems.append(FieldProblem("map.\(column)", "error_reference_not_found", [id.uuidString]))
                }
                out[column] = .existing(id)
            case nil: out[column] = existing[column].map(Resolved.existing) ?? .new(code: column)
            }
        }
        var seen: [Resolved: String] = [:]
        for column in columns {
            guard let target = out[column] else { continue }
            if let first = seen[target] {
                problems.append(FieldProblem("map.\(column)", "error_two_columns_one_question", [first]))
            } else {
                seen[target] = column
            }
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return out
    }

    public enum Resolved: Hashable, Sendable {
        case existing(UUID)
        case new(code: String)
    }
}
