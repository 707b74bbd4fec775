import Vapor
import WellplanCore

/// Accounts managed from the product by an admin: create one, link it to its person (without which a member
/// can do nothing at a table), change its role, disable it, set a new password, and give or revoke API tokens.
struct AccountManagementPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped("accounts")
        accounts.get(use: list)
        accounts.post(use: create)
        accounts.get(":id", use: show)
        accounts.post(":id", use: update)
        accounts.post(":id", "password", use: setPassword)
        accounts.post(":id", "tokens", use: createToken)
        accounts.post(":id", "tokens", ":token", "revoke", use: revokeToken)
    }

    typealias Option = RecordView.FormField.Option

    struct ListPage: Encodable {
        struct Row: Encodable {
            let href: String
            let email: String
            let name: String
            let role: String
            let person: String
            let state: String
        }
        let rows: [Row]
        /// What was typed into the new-account form, given back when it is refused.
        let email: String
        let name: String
        let roles: [Option]
        let people: [Option]
        let problems: [ErrorResponses.Body.Problem]
        /// A password generated for the account just created, shown once.
        let shownOnce: String?
    }

    struct AccountPage: Encodable {
        struct Token: Encodable {
            let label: String
            let created: String
            let ends: String
            let hasEnded: Bool
            let revokeHref: String
        }
        let id: UUID
        /// Where the page's forms go: the account itself, its password, its tokens.
        let actions: [String: String]
        let email: String
        let name: String
        let disabled: Bool
        let roles: [Option]
        let people: [Option]
        let tokens: [Token]
        let problems: [ErrorResponses.Body.Problem]
        /// A new password or token, shown once.
        let shownOnce: String?
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.authorize(.read, .accounts)
        return try await listPage(req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorize(.create, .accounts)
        let values = req.formValues()
        func value(_ name: String) -> String { values[name]?.first?.trimmingCharacters(in: .whitespaces) ?? "" }
        do {
            let password = try AccountChanges.password(value("password").nilIfEmpty)
            let user = try await AccountChanges(db: req.db, author: req.author).create(
                email: value("email"), name: value("name"), role: Role(rawValue: value("role")) ?? .member,
                personId: UUID(uuidString: value("personId")),
                passwordHash: try await req.password.async.hash(password.text))
            guard password.generated else {
                return req.redirect(to: SiteURL.account(user.id).path, redirectType: .normal)
            }
            return try await accountPage(req, user.id, shownOnce: req.text("account_password_once", password.text))
        } catch WellplanError.invalid(let problems) {
            return try await listPage(req, problems: problems, status: .unprocessableEntity, typed: values)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.authorize(.read, .accounts)
        return try await accountPage(req, try req.parameters.require("id", as: UUID.self))
    }

    @Sendable func update(req: Request) async throws -> Response {
        try await req.authorize(.update, .accounts)
        let id = try req.parameters.require("id", as: UUID.self)
        let values = req.formValues()
        func value(_ name: String) -> String { values[name]?.first?.trimmingCharacters(in: .whitespaces) ?? "" }
        let details = AccountChanges.Details(
            name: value("name"), role: Role(rawValue: value("role")) ?? .member,
            personId: UUID(uuidString: value("personId")),
            disabled: value("disabled") == "true")
        do {
            _ = try await AccountChanges(db: req.db, author: req.author).update(id, to: details)
            return req.redirect(to: SiteURL.account(id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await accountPage(req, id, problems: problems, status: .unprocessableEntity)
        }
    }

    @Sendable func setPassword(req: Request) async throws -> Response {
        try await req.authorize(.update, .accounts)
        let id = try req.parameters.require("id", as: UUID.self)
        let password: (text: String, generated: Bool)
        do {
            password = try AccountChanges.password(req.formValues()["password"]?.first?.nilIfEmpty)
            try await AccountChanges(db: req.db, author: req.author).setPassword(
                id, hash: try await req.password.async.hash(password.text))
        } catch WellplanError.invalid(let problems) {
            return try await accountPage(req, id, problems: problems, status: .unprocessableEntity)
        }
        let note =
            password.generated ? req.text("account_password_once", password.text) : req.text("account_password_set")
        return try await accountPage(req, id, shownOnce: note)
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        try await req.authorize(.update, .accounts)
        let id = try req.parameters.require("id", as: UUID.self)
        let values = req.formValues()
        let days = values["days"]?.first.flatMap { $0.isEmpty ? nil : $0 }
        do {
            guard days == nil || Int(days!) != nil else {
                throw WellplanError.invalid([FieldProblem("days", "error_not_number")])
            }
            let made = try await AccountChanges(db: req.db, author: req.author)
                .createToken(for: id, label: values["label"]?.first, days: days.flatMap(Int.init))
            return try await accountPage(req, id, shownOnce: req.text("account_token_once", made.token))
        } catch WellplanError.invalid(let problems) {
            return try await accountPage(req, id, problems: problems, status: .unprocessableEntity)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        try await req.authorize(.update, .accounts)
        let id = try req.parameters.require("id", as: UUID.self)
        let token = try req.parameters.require("token", as: UUID.self)
        try await AccountChanges(db: req.db, author: req.author).revokeToken(token, of: id)
        return req.redirect(to: SiteURL.account(id).path, redirectType: .normal)
    }

    private func listPage(
        _ req: Request, problems: [FieldProblem] = [], status: HTTPStatus = .ok, shownOnce: String? = nil,
        typed: [String: [String]] = [:]
    ) async throws -> Response {
        func value(_ name: String) -> String { typed[name]?.first ?? "" }
        let people = try await Records(db: req.sql).list(Person.self)
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.name) })
        let rows = try await Accounts(db: req.sql, clock: req.clock).all().map { user in
            ListPage.Row(
                href: SiteURL.account(user.id).path, email: user.email, name: user.name,
                role: req.text("role_\(user.role.rawValue)"),
                person: user.personId.flatMap { names[$0] } ?? "—",
                state: req.text(user.disabled ? "account_disabled" : "account_active"))
        }
        _ = req.csrfToken
        let content = ListPage(
            rows: rows, email: value("email"), name: value("name"),
            roles: roleOptions(req, selected: Role(rawValue: value("role")) ?? .member),
            people: personOptions(people, selected: UUID(uuidString: value("personId"))),
            problems: labelled(req, problems),
            shownOnce: shownOnce)
        return try await req.page("accounts", title: req.text("accounts_heading"), status: status, content)
    }

    private func accountPage(
        _ req: Request, _ id: UUID, problems: [FieldProblem] = [], status: HTTPStatus = .ok, shownOnce: String? = nil
    ) async throws -> Response {
        let accounts = Accounts(db: req.sql, clock: req.clock)
        guard let user = try await accounts.find(id) else { throw WellplanError.notFound("account") }
        let tokens = try await accounts.tokens(of: id).map { token in
            AccountPage.Token(
                label: token.label ?? "—", created: String(token.createdAt.description.prefix(10)),
                ends: String(token.expiresAt.description.prefix(10)), hasEnded: token.hasEnded(at: req.clock.now),
                revokeHref: SiteURL.revokeToken(account: id, token: token.id).path)
        }
        _ = req.csrfToken
        let content = AccountPage(
            id: id,
            actions: Dictionary(
                uniqueKeysWithValues: SiteURL.AccountAction.allCases.map {
                    ($0.rawValue, SiteURL.accountAction(id, $0).path)
                } + [("account", SiteURL.account(id).path)]), email: user.email, name: user.name,
            disabled: user.disabled,
            roles: roleOptions(req, selected: user.role),
            people: personOptions(try await Records(db: req.sql).list(Person.self), selected: user.personId),
            tokens: tokens,
            problems: labelled(req, problems), shownOnce: shownOnce)
        return try await req.page("account", title: user.email, status: status, content)
    }

    /// Each problem under the label its field has on the page.
    private func labelled(_ req: Request, _ problems: [FieldProblem]) -> [ErrorResponses.Body.Problem] {
        let labels = [
            "email": "field_email", "name": "field_name", "role": "account_role", "personId": "account_person",
            "password": "password", "days": "account_token_days",
        ]
        return req.shown(problems).map { problem in
            let label = labels[problem.field].map { req.text($0) + ": " } ?? ""
            return .init(field: problem.field, message: label + problem.message)
        }
    }

    private func roleOptions(_ req: Request, selected: Role) -> [Option] {
        Role.allCases.map {
            Option(value: $0.rawValue, label: req.text("role_\($0.rawValue)"), selected: $0 == selected)
        }
    }

    private func personOptions(_ people: [Person], selected: UUID?) -> [Option] {
        [Option(value: "", label: "—", selected: selected == nil)]
            + people.sorted { $0.name < $1.name }.map {
                Option(value: $0.id.uuidString, label: $0.name, selected: $0.id == selected)
            }
    }
}
