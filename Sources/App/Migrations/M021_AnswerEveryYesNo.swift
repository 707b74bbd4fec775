import Fluent
import SQLKit
import WellplanCore

/// A yes/no field is yes or no, never unknown. Empty ones were read as no everywhere (`== true`), so they
/// become no; the fields come from the record descriptions, so none is forgotten. A flag a later
/// migration adds has no column yet, and that migration gives it its value.
struct M021_AnswerEveryYesNo: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let catalogue = try await DatabaseCatalogue.read(database.sql)
        for kind in RecordKind.allCases {
            for field in kind.fields {
                guard case .flag = field.kind, catalogue.table(kind.table)?.column(field.column) != nil else {
                    continue
                }
                try await database.sql.update(kind.table).set(SQLIdentifier(field.column), to: SQLBind(false))
                    .where(SQLIdentifier(field.column), .is, SQLLiteral.null).run()
            }
        }
    }

    func revert(on database: any Database) async throws {}
}
