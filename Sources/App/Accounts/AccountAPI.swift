import Vapor
import WellplanCore

/// The same, for API clients: `/api/v1/accounts`.
struct AccountAPI: RouteCollection {
    struct View: Content {
        var id: UUID
        var email: String
        var name: String
        var role: Role
        var personId: UUID?
        var disabled: Bool
        var createdAt: Timestamp

        init(_ user: User) {
            id = user.id
            email = user.email
            name = user.name
            role = user.role
            personId = user.personId
            disabled = user.disabled
            createdAt = user.createdAt
        }
    }

    struct NewAccount: Content {
        var email: String
        var name: String
        var role: Role
        var personId: UUID?
        var password: String?
    }

    /// The account with the password generated for it (shown once), or without when one was given.
    struct Created: Content {
        var account: View
        var password: String?
    }

    struct NewPassword: Content {
        var password: String?
    }

    struct NewToken: Content {
        var label: String?
        var days: Int?
    }

    struct MadeToken: Content {
        var token: String
        var id: UUID
        var expiresAt: Timestamp
    }

    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped("accounts")
        accounts.get(use: list)
        accounts.post(use: create)
        accounts.get(":id", use: show)
        accounts.put(":id", use: update)
        accounts.post(":id", "password", use: setPassword)
        accounts.get(":id", "tokens", use: tokens)
        accounts.post(":id", "tokens", use: createToken)
        accounts.delete(":id", "tokens", ":token", use: revokeToken)
    }

    @Sendable func list(req: Request) async throws -> [View] {
        try await req.authorize(.read, .accounts)
        return try await Accounts(db: req.sql, clock: req.clock).all().map(View.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorize(.create, .accounts)
        let input = try req.content.decode(NewAccount.self)
        let password = try AccountChanges.password(input.password)
        let user = try await AccountChanges(db: req.db, author: req.author).create(
            email: input.email, name: input.name, role: input.role, personId: input.personId,
            passwordHash: try await req.password.async.hash(password.text))
        return try await Created(account: View(user), password: password.generated ? password.text : nil)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> View {
        try await req.authorize(.read, .accounts)
        guard
            let user = try await Accounts(db: req.sql, clock: req.clock).find(
                try req.parameters.require("id", as: UUID.self))
        else {
            throw WellplanError.notFound("account")
        }
        return View(user)
    }

    @Sendable func update(req: Request) async throws -> View {
        try await req.authorize(.update, .accounts)
        let details = try req.content.decode(AccountChanges.Details.self)
        return View(
            try await AccountChanges(db: req.db, author: req.author).update(
                try req.parameters.require("id", as: UUID.self), to: details))
    }

    @Sendable func setPassword(req: Request) async throws -> NewPassword {
        try await req.authorize(.update, .accounts)
        let password = try AccountChanges.password(try req.content.decode(NewPassword.self).password)
        try await AccountChanges(db: req.db, author: req.author)
            .setPassword(
                try req.parameters.require("id", as: UUID.self), hash: try await req.password.async.hash(password.text))
        return NewPassword(password: password.generated ? password.text : nil)
    }

    @Sendable func tokens(req: Request) async throws -> [APIToken] {
        try await req.authorize(.read, .accounts)
        let id = try req.parameters.require("id", as: UUID.self)
        let accounts = Accounts(db: req.sql, clock: req.clock)
        guard try await accounts.find(id) != nil else { throw WellplanError.notFound("account") }
        return try await accounts.tokens(of: id)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        try await req.authorize(.update, .accounts)
        let input = try req.content.decode(NewToken.self)
        let made = try await AccountChanges(db: req.db, author: req.author)
            .createToken(for: try req.parameters.require("id", as: UUID.self), label: input.label, days: input.days)
        return try await MadeToken(token: made.token, id: made.stored.id, expiresAt: made.stored.expiresAt)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        try await req.authorize(.update, .accounts)
        try await AccountChanges(db: req.db, author: req.author)
            .revokeToken(
                try req.parameters.require("token", as: UUID.self), of: try req.parameters.require("id", as: UUID.self))
        return .noContent
    }
}
