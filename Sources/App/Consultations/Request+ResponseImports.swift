import SQLKit
import Vapor
import WellplanCore

extension Request {
    var publicMinimum: Int { application.settings.disclosure.publicMinimum }
}

extension Request {
    /// The column-to-question choices, sent as `map=<column>=<target>` once per column (in the query, or
    /// in a submitted form); a target is `auto`, `skip` or a question id.
    func columnMapping() throws -> ColumnMapping {
        let form = method == .POST && headers.contentType == .urlEncodedForm ? body.string : nil
        var choices: [(column: String, target: String)] = []
        for text in [url.query, form].compactMap({ $0 }) {
            for (name, value) in FormEncoding.pairs(text) where name == "map" {
                guard let cut = value.lastIndex(of: "=") else {
                    throw WellplanError.invalid([FieldProblem("map", "error_mapping_choice")])
                }
                choices.append((String(value[..<cut]), String(value[value.index(after: cut)...])))
            }
        }
        return try ColumnMapping(choices: choices)
    }
}
