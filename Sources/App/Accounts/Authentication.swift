import Fluent
import Foundation
import SQLKit
import Vapor
import WellplanCore

/// Restores the signed-in user from the database-backed session.
struct SessionSignIn: AsyncSessionAuthenticator {
    typealias User = App.User

    func authenticate(sessionID: UUID, for request: Request) async throws {
        if let user = try await Accounts(db: request.sql, clock: request.clock).find(sessionID), !user.disabled {
            request.auth.login(user)
        }
    }
}

/// Signs in an API caller by bearer token (stored hashed).
struct TokenSignIn: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let user = try await Accounts(db: request.sql, clock: request.clock).user(forToken: bearer.token),
            !user.disabled
        {
            request.auth.login(user)
        }
    }
}

/// Failed sign-ins, counted in the database so that every server behind a load balancer sees the same count.
/// After a few failures an account waits before its next attempt, twice as long after each further one, so a
/// guesser gets a handful of tries an hour while everyone else behind the same address (an office's proxy)
/// signs in as usual. An address has a far larger allowance, against guessing across many accounts.
enum SignInThrottle {
    /// Seconds before this account may try again from this address, or nil when it may try now.
    static func wait(_ req: Request, account: String) async throws -> Int? {
        let settings = req.application.settings
        let now = req.clock.now
        let window = now.adding(seconds: -settings.signInWindow)
        let lastSuccess = try await latest(req, account: account, succeeded: true)
        let since = max(window, lastSuccess ?? window)
        let failures = try await req.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MAX", args: SQLColumn("at")), as: "last")
            .from("sign_in_attempts")
            .where("account", .equal, SQLBind(account)).where("succeeded", .equal, SQLBind(false))
            .where("at", .greaterThan, SQLBind(since))
            .first()
        let count = try failures?.decode(column: "n", as: Int.self) ?? 0
        if count >= settings.signInAttempts, let last = try failures?.decode(column: "last", as: Timestamp?.self) {
            let doublings = Double(min(count - settings.signInAttempts, 16))
            let delay = min(settings.signInWindow, settings.signInDelay * pow(2, doublings))
            let remaining = last.date.addingTimeInterval(delay).timeIntervalSince(now.date)
            if remaining > 0 { return Int(remaining.rounded(.up)) }
        }
        let fromAddress = try await req.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MIN", args: SQLColumn("at")), as: "first")
            .from("sign_in_attempts")
            .where("address", .equal, SQLBind(address(req))).where("succeeded", .equal, SQLBind(false))
            .where("at", .greaterThan, SQLBind(window))
            .first()
        if try (fromAddress?.decode(column: "n", as: Int.self) ?? 0) >= settings.signInAttemptsPerAddress,
            let first = try fromAddress?.decode(column: "first", as: Timestamp?.self)
        {
            return max(
                1, Int(first.date.addingTimeInterval(settings.signInWindow).timeIntervalSince(now.date).rounded(.up)))
        }
        return nil
    }

    static func record(_ req: Request, account: String, succeeded: Bool) async throws {
        try await req.sql.insert(into: "sign_in_attempts")
            .columns("id", "account", "address", "at", "succeeded")
            .values(
                SQLBind(UUID()), SQLBind(account), SQLBind(address(req)), SQLBind(req.clock.now), SQLBind(succeeded)
            )
            .run()
    }

    /// Attempts older than a day no longer count for anything; the hourly sweep removes them.
    static func sweep(on sql: any SQLDatabase, at now: Timestamp) async throws {
        try await sql.delete(from: "sign_in_attempts").where(
            "at", .lessThan, SQLBind(now.adding(seconds: -86_400))
        ).run()
    }

    private static func latest(_ req: Request, account: String, succeeded: Bool) async throws -> Timestamp? {
        try await req.sql.select().column(SQLFunction("MAX", args: SQLColumn("at")), as: "at").from("sign_in_attempts")
            .where("account", .equal, SQLBind(account)).where("succeeded", .equal, SQLBind(succeeded))
            .first()?.decode(column: "at", as: Timestamp?.self)
    }

    private static func address(_ req: Request) -> String {
        req.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// A password hash that no password matches, checked when an e-mail has no account that may sign in, so that
/// the answer takes as long as a wrong password's and does not say which e-mails have accounts. Bcrypt at
/// the cost the server uses (Vapor's default, 12).
enum DecoyPassword {
    static let hash: String = (try? Bcrypt.hash([UInt8].random(count: 24).base64URL, cost: 12)) ?? ""
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }

    var user: User? { auth.get(User.self) }

    /// Who is asking, with the tables they sit on; worked out once per request.
    func actor() async throws -> Actor {
        if let actor = storage[ActorKey.self] { return actor }
        let actor: Actor
        if let user {
            let (tables, organizations) = try await Accounts(db: sql, clock: clock).affiliations(
                of: user, on: clock.today)
            actor = Actor(userId: user.id, role: user.role, tables: tables, organizations: organizations)
        } else {
            actor = .anonymous
        }
        storage[ActorKey.self] = actor
        return actor
    }

    /// The one permission check, for pages and API alike.
    func authorize(_ action: Action, _ subject: Subject) async throws {
        guard AccessPolicy.permits(try await actor(), action, subject) else { throw WellplanError.forbidden }
    }

    func authorizeSome(_ action: Action, _ kind: RecordKind) async throws {
        guard AccessPolicy.permitsSome(try await actor(), action, kind) else { throw WellplanError.forbidden }
    }

    var author: Author {
        guard let user else { return Author(userId: nil, label: "anonymous", clock: clock) }
        return Author(userId: user.id, label: user.email, clock: clock)
    }
}
