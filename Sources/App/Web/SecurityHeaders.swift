import Vapor

/// A strict Content-Security-Policy and the usual hardening headers on every response.
/// The only script is the coding page's own file: nothing inline, nothing from elsewhere.
struct SecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let headers: [(String, String)] = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        // A route that set a policy of its own (a report's standalone document) keeps it.
        for (name, value) in headers where name != "Content-Security-Policy" || response.headers[name].isEmpty {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if req.application.settings.secureCookies {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
