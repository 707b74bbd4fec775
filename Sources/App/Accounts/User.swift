import Crypto
import Fluent
import SQLKit
import Vapor
import WellplanCore

/// A person who signs in. The role decides what they may do; a linked person's table
/// memberships scope what a member may edit.
struct User: Codable, Sendable, Authenticatable, SessionAuthenticatable {
    var id: UUID
    var email: String
    var name: String
    var role: Role
    var passwordHash: String
    var personId: UUID?
    var createdAt: Timestamp
    var disabled: Bool

    var sessionID: UUID { id }
}

/// An API token as its owner and admins see it: never the token itself.
struct APIToken: Content {
    var id: UUID
    var label: String?
    var createdAt: Timestamp
    var expiresAt: Timestamp

    func hasEnded(at now: Timestamp) -> Bool { expiresAt <= now }
}

/// Accounts and API tokens, stored with SQLKit like everything else.
struct Accounts {
    let db: any SQLDatabase
    /// When accounts are made, tokens made, and tokens end.
    let clock: Clock

    func find(_ id: UUID) async throws -> User? {
        try await db.select().column("*").from("users").where("id", .equal, SQLBind(id))
            .first(decoding: User.self, with: Records.decoder)
    }

    func find(email: String) async throws -> User? {
        try await db.select().column("*").from("users").where("email", .equal, SQLBind(email.lowercased()))
            .first(decoding: User.self, with: Records.decoder)
    }

    func all() async throws -> [User] {
        try await db.select().column("*").from("users").orderBy("email").all(
            decoding: User.self, with: Records.decoder)
    }

    /// Creates an account; the caller writes the audit entry in the same transaction.
    func create(email: String, name: String, role: Role, passwordHash: String, personId: UUID? = nil) async throws
        -> User
    {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [FieldProblem] = []
        if !email.contains("@") || email.count > 254 { problems.append(FieldProblem("email", "error_not_email")) }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldProblem("name", "error_required")) }
        if try await find(email: email) != nil { problems.append(FieldProblem("email", "error_email_taken")) }
        guard problems.isEmpty else { throw WellplanError.invalid(problems) }
        let user = User(
            id: UUID(), email: email, name: name, role: role, passwordHash: passwordHash, personId: personId,
            createdAt: clock.now, disabled: false)
        try await db.insert(into: "users").model(user, with: Records.encoder).run()
        return user
    }

    /// A new API token, ending on `expiresAt`: the text is shown once; only its SHA-256 is kept.
    func createToken(for user: User, label: String?, expiresAt: Timestamp) async throws -> (id: UUID, token: String) {
        let token = "wp_" + [UInt8].random(count: 32).base64URL
        let id = UUID()
        try await db.insert(into: "api_tokens")
            .columns("id", "user_id", "token_hash", "label", "created_at", "expires_at")
            .values(
                SQLBind(id), SQLBind(user.id), SQLBind(Self.digest(token)), SQLBind(label), SQLBind(clock.now),
                SQLBind(expiresAt)
            )
            .run()
        return (id, token)
    }

    /// The account a token signs in, while it has not ended.
    func user(forToken token: String) async throws -> User? {
        guard
            let row = try await db.select().column("user_id").from("api_tokens")
                .where("token_hash", .equal, SQLBind(Self.digest(token)))
                .where("expires_at", .greaterThan, SQLBind(clock.now)).first()
        else { return nil }
        return try await find(row.decode(column: "user_id", as: UUID.self))
    }

    /// An account's tokens, newest first, without anything that would sign in.
    func tokens(of user: UUID) async throws -> [APIToken] {
        try await db.select().columns("id", "label", "created_at", "expires_at").from("api_tokens")
            .where("user_id", .equal, SQLBind(user)).orderBy("created_at", .descending)
            .all(decoding: APIToken.self, with: Records.decoder)
    }

    /// The tables the user's person sits on today (what a member may edit, which discussions they see)
    /// and the agencies they act for there or by their person record (which compartments they may open).
    func affiliations(of user: User, on day: Day) async throws -> (tables: Set<UUID>, organizations: Set<UUID>) {
        guard let personId = user.personId else { return ([], []) }
        let store = Records(db: db)
        let memberships = try await store.list(Membership.self, filters: ["personId": personId]).filter {
            $0.isActive(on: day)
        }
        let own = try await store.find(Person.self, personId)?.organizationId
        return (
            Set(memberships.map(\.tableId)), Set(memberships.compactMap(\.organizationId) + [own].compactMap { $0 })
        )
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexadecimal
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    var base64URL: String {
        Data(self).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
