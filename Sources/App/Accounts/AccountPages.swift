import Vapor
import WellplanCore

/// Sign-in and sign-out, with throttling and a fresh session on every sign-in.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("signin", use: form)
        routes.post("signin", use: signIn)
        routes.post("signout", use: signOut)
        routes.get("audit", use: audit)
    }

    struct SignInPage: Encodable {
        let email: String
        let next: String
        let error: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        _ = req.csrfToken
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.page(
            "signin", title: req.text("signin_title"), SignInPage(email: "", next: next, error: nil))
    }

    @Sendable func signIn(req: Request) async throws -> Response {
        struct Form: Content {
            var email: String?
            var password: String?
            var next: String?
        }
        let form = try req.content.decode(Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(form.next)
        func refuse(_ key: String, _ status: HTTPStatus) async throws -> Response {
            try await req.page(
                "signin", title: req.text("signin_title"), status: status,
                SignInPage(email: email, next: next, error: req.text(key)))
        }
        if let wait = try await SignInThrottle.wait(req, account: email) {
            let response = try await req.page(
                "signin", title: req.text("signin_title"), status: .tooManyRequests,
                SignInPage(email: email, next: next, error: req.text("error_sign_in_throttled", String(wait))))
            response.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            return response
        }
        let found = try await Accounts(db: req.sql, clock: req.clock).find(email: email)
        let user = found.flatMap { $0.disabled ? nil : $0 }
        // Checked against a decoy when there is no such account, so that both take the same time.
        let matches = try await req.password.async.verify(
            form.password ?? "", created: user?.passwordHash ?? DecoyPassword.hash)
        guard let user, matches, !(form.password ?? "").isEmpty else {
            try await SignInThrottle.record(req, account: email, succeeded: false)
            return try await refuse("error_sign_in_failed", .unauthorized)
        }
        try await SignInThrottle.record(req, account: email, succeeded: true)
        // A new session id on sign-in, so a session fixed before sign-in is worthless after it.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.auth.login(user)
        req.session.authenticate(user)
        req.session.data["csrf"] = [UInt8].random(count: 24).base64URL
        return req.redirect(to: next, redirectType: .normal)
    }

    @Sendable func signOut(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.unauthenticate(User.self)
        req.session.destroy()
        return req.redirect(to: "/", redirectType: .normal)
    }

    struct AuditPage: Encodable {
        struct Row: Encodable {
            let seq: Int
            let at: String
            let actor: String
            let action: String
            let subject: String
            let recordId: String
            let change: String
        }
        let rows: [Row]
        let chainStatus: String
        let previousHref: String?
        let nextHref: String?
    }

    @Sendable func audit(req: Request) async throws -> Response {
        try await req.authorize(.read, .auditLog)
        let (page, per) = try Paging.from(req, per: 100)
        let entries = try await AuditLog.page(on: req.sql, limit: per + 1, offset: (page - 1) * per)
        let (broken, checked) = try await AuditLog.firstBrokenLink(on: req.sql)
        let status = broken.map { req.text("audit_broken") + " \($0)" } ?? "\(req.text("audit_intact")) (\(checked))"
        let rows = entries.prefix(per).map { e in
            AuditPage.Row(
                seq: e.seq, at: String(e.at.description.prefix(19)).replacingOccurrences(of: "T", with: " "),
                actor: e.actorLabel, action: e.action, subject: e.subject, recordId: e.recordId ?? "",
                change: [e.before.map { "− \($0.prefix(300))" }, e.after.map { "+ \($0.prefix(300))" }]
                    .compactMap { $0 }.joined(separator: "\n"))
        }
        return try await req.page(
            "audit", title: req.text("nav_audit"),
            AuditPage(
                rows: rows, chainStatus: status, previousHref: page > 1 ? "?page=\(page - 1)" : nil,
                nextHref: entries.count > per ? "?page=\(page + 1)" : nil))
    }

    /// Only same-site paths, so the sign-in form cannot be used to send someone elsewhere.
    /// Nothing with a control character or a space either: the value goes into a `Location` header.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        let unsafe = next.unicodeScalars.contains {
            $0.properties.generalCategory == .control || $0.properties.isWhitespace
        }
        return unsafe ? "/" : next
    }
}
