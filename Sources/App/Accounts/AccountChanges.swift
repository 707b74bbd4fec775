import Fluent
import SQLKit
import Vapor
import WellplanCore

/// Every change to an account, for pages, API and commands alike: checked, written and audited in one
/// transaction. A change that takes access away (disabled, a new password, another role) ends the
/// account's sessions, so it holds from the next request, not from the next sign-in.
struct AccountChanges {
    let db: any Database
    let author: Author

    /// What an admin may change about an account (its e-mail is who it is).
    struct Details: Content {
        var name: String
        var role: Role
        var personId: UUID?
        var disabled: Bool
    }

    static let shortestPassword = 12
    static let tokenDays = 365
    static let longestTokenDays = 3_650

    func create(email: String, name: String, role: Role, personId: UUID?, passwordHash: String) async throws -> User {
        try await db.writeTransaction { tx in
            try await Self.checkPerson(personId, on: tx.sql)
            let user = try await Accounts(db: tx.sql, clock: author.clock).create(
                email: email, name: name, role: role, passwordHash: passwordHash, personId: personId)
            try await AuditLog.append(
                on: tx.sql, author, "create", "user", recordId: user.id.uuidString, after: Self.kept(user))
            return user
        }
    }

    func update(_ id: UUID, to details: Details) async throws -> User {
        try await db.writeTransaction { tx in
            guard let before = try await Accounts(db: tx.sql, clock: author.clock).find(id) else {
                throw WellplanError.notFound("account")
            }
            var problems: [FieldProblem] = []
            if details.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldProblem("name", "error_required"))
            }
            let losesAdmin = before.role == .admin && !before.disabled && (details.role != .admin || details.disabled)
            if losesAdmin, try await Self.activeAdmins(on: tx.sql) <= 1 {
                problems.append(FieldProblem("role", "error_last_admin"))
            }
            guard problems.isEmpty else { throw WellplanError.invalid(problems) }
            try await Self.checkPerson(details.personId, on: tx.sql)
            var after = before
            after.name = details.name.trimmingCharacters(in: .whitespaces)
            after.role = details.role
            after.personId = details.personId
            after.disabled = details.disabled
            try await tx.sql.update("users")
                .set("name", to: SQLBind(after.name)).set("role", to: SQLBind(after.role.rawValue))
                .set("person_id", to: SQLBind(after.personId)).set("disabled", to: SQLBind(after.disabled))
                .where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append(
                on: tx.sql, author, "update", "user", recordId: id.uuidString, before: Self.kept(before),
                after: Self.kept(after))
            if after.disabled || after.role != before.role { try await DatabaseSessions.end(for: id, on: tx.sql) }
            return after
        }
    }

    /// Sets a new password; ends the account's sessions, so one someone else held is closed too.
    func setPassword(_ id: UUID, hash: String) async throws {
        try await db.writeTransaction { tx in
            guard try await Accounts(db: tx.sql, clock: author.clock).find(id) != nil else {
                throw WellplanError.notFound("account")
            }
            try await tx.sql.update("users").set("password_hash", to: SQLBind(hash)).where("id", .equal, SQLBind(id))
                .run()
            try await AuditLog.append(on: tx.sql, author, "password", "user", recordId: id.uuidString)
            try await DatabaseSessions.end(for: id, on: tx.sql)
        }
    }

    /// A new API token for the account, ending in `days` days; its text is shown once.
    func createToken(for id: UUID, label: String?, days: Int?) async throws -> (token: String, stored: APIToken) {
        let days = days ?? Self.tokenDays
        guard (1...Self.longestTokenDays).contains(days) else {
            throw WellplanError.invalid([FieldProblem("days", "error_token_days", [String(Self.longestTokenDays)])])
        }
        let label = label?.trimmingCharacters(in: .whitespaces).prefix(100).description.nilIfEmpty
        return try await db.writeTransaction { tx in
            guard let user = try await Accounts(db: tx.sql, clock: author.clock).find(id) else {
                throw WellplanError.notFound("account")
            }
            let ends = author.now.adding(seconds: Double(days) * 86_400)
            let made = try await Accounts(db: tx.sql, clock: author.clock).createToken(
                for: user, label: label, expiresAt: ends)
            let stored = APIToken(id: made.id, label: label, createdAt: author.now, expiresAt: ends)
            try await AuditLog.append(
                on: tx.sql, author, "create", "apiToken", recordId: made.id.uuidString,
                after: AuditLog.json(["user": user.email, "label": label ?? "", "expiresAt": ends.description]))
            return (made.token, stored)
        }
    }

    /// Revokes one of the account's tokens: the next request that carries it answers 401.
    func revokeToken(_ token: UUID, of id: UUID) async throws {
        try await db.writeTransaction { tx in
            let found = try await tx.sql.select().column("id").from("api_tokens")
                .where("id", .equal, SQLBind(token)).where("user_id", .equal, SQLBind(id)).first()
            guard found != nil else { throw WellplanError.notFound("token") }
            try await tx.sql.delete(from: "api_tokens").where("id", .equal, SQLBind(token)).run()
            try await AuditLog.append(on: tx.sql, author, "revoke", "apiToken", recordId: token.uuidString)
        }
    }

    /// What the audit log keeps of an account: never its password hash.
    static func details(of user: User) -> Details {
        Details(name: user.name, role: user.role, personId: user.personId, disabled: user.disabled)
    }

    static func kept(_ user: User) -> String {
        AuditLog.json([
            "email": user.email, "name": user.name, "role": user.role.rawValue,
            "personId": user.personId?.uuidString ?? "", "disabled": String(user.disabled),
        ])
    }

    /// The password to set: the one given, if long enough, or one made now when none is given (the caller
    /// shows it once).
    static func password(_ given: String?) throws -> (text: String, generated: Bool) {
        guard let given else { return ([UInt8].random(count: 15).base64URL, true) }
        guard given.count >= shortestPassword else {
            throw WellplanError.invalid([FieldProblem("password", "error_password_short", [String(shortestPassword)])])
        }
        return (given, false)
    }

    private static func checkPerson(_ person: UUID?, on sql: any SQLDatabase) async throws {
        guard let person else { return }
        guard try await Records(db: sql).find(Person.self, person) != nil else {
            throw WellplanError.invalid([FieldProblem("personId", "error_not_reference")])
        }
    }

    private static func activeAdmins(on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
            .where("role", .equal, SQLBind(Role.admin.rawValue)).where("disabled", .equal, SQLBind(false))
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
