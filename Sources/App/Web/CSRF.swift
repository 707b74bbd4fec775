import Crypto
import Vapor

/// A per-session token that every form carries as `_csrf`; a write without it is refused.
/// The API is exempt: it takes bearer tokens, never cookies.
struct CSRFProtection: AsyncMiddleware {
    static let field = "_csrf"
    /// The largest form a page sends: an incident export.
    static let largestUpload = 200 * 1024 * 1024
    /// The largest form without files: a report's editor, a field or four per finding.
    static let largestForm = 4 * 1024 * 1024

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            // A large upload or form (a long report's editor) may still be arriving; the token is inside it, so
            // it is read whole first (the route would collect it anyway). Only file uploads are read this far.
            if req.body.data == nil, let type = req.headers.contentType {
                if type.type == "multipart" {
                    _ = try await req.body.collect(max: Self.largestUpload).get()
                } else if type == .urlEncodedForm {
                    _ = try await req.body.collect(max: Self.largestForm).get()
                }
            }
            let sent = try? req.content.get(String.self, at: Self.field)
            let expected = req.hasSession ? req.session.data["csrf"] : nil
            guard let sent, let expected, Self.constantTimeEqual(sent, expected) else {
                throw Abort(.forbidden, reason: req.text("error_csrf"))
            }
        }
        return try await next.respond(to: req)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's form token, made on first use.
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = [UInt8].random(count: 24).base64URL
        session.data["csrf"] = token
        return token
    }
}
