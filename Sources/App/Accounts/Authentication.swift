import Fluent
import SQLKit
import Vapor
import WellplanCore

/// Restores the signed-in user from the database-backed session.
struct SessionSignIn: AsyncSessionAuthenticator {
    typealias User = App.User

    func authenticate(sessionID: UUID, for request: Request) async throws {
        if let user = try await Accounts(db: request.sql).find(sessionID), !user.disabled {
            request.auth.login(user)
        }
    }
}

/// Signs in an API caller by bearer token (stored hashed).
struct TokenSignIn: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let user = try await Accounts(db: request.sql).user(forToken: bearer.token), !user.disabled {
            request.auth.login(user)
        }
    }
}

/// Counts failed sign-ins per account and per address in the database, so every server
/// behind a load balancer sees the same count.
enum SignInThrottle {
    static func isLocked(_ req: Request, account: String) async throws -> Bool {
        let settings = req.application.settings
        let since = Timestamp.now.adding(seconds: -settings.signInWindow)
        let failures =
            try await req.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("sign_in_attempts")
            .where("succeeded", .equal, SQLBind(false))
            .where("at", .greaterThan, SQLBind(since))
            .where { $0.where("account", .equal, SQLBind(account)).orWhere("address", .equal, SQLBind(address(req))) }
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return failures >= settings.signInAttempts
    }

    static func record(_ req: Request, account: String, succeeded: Bool) async throws {
        try await req.sql.insert(into: "sign_in_attempts")
            .columns("id", "account", "address", "at", "succeeded")
            .values(SQLBind(UUID()), SQLBind(account), SQLBind(address(req)), SQLBind(Timestamp.now), SQLBind(succeeded))
            .run()
    }

    private static func address(_ req: Request) -> String {
        req.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }

    var user: User? { auth.get(User.self) }

    /// Who is asking, with the tables they sit on; worked out once per request.
    func actor() async throws -> Actor {
        if let actor = storage[ActorKey.self] { return actor }
        let actor: Actor
        if let user {
            let (tables, organizations) = try await Accounts(db: sql).affiliations(of: user)
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

    var author: Author { user?.author ?? Author(userId: nil, label: "anonymous") }
}
