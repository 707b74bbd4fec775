import Crypto
import MultipartKit
import Vapor

/// A token that every form carries as `_csrf`; a write without it is refused. The API is exempt: it takes
/// bearer tokens, never cookies. Signed in, the token lives in the session; before sign-in, in a cookie of
/// its own that the form repeats, so an anonymous visit stores nothing on the server.
///
/// The check is cheap before it reads anything: with no token to compare with it reads nothing; it reads a
/// body larger than the default only for someone signed in, never past its route's limit; it finds the token
/// in one pass and refuses a form of more than `Edge.mostFormFields` fields (the parsers behind the routes
/// take time in the square of a repeated field's count).
struct CSRFProtection: AsyncMiddleware {
    static let field = "_csrf"
    static let cookie = "wellplan_form"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            guard let expected = req.expectedFormToken else { throw Abort(.forbidden, reason: req.text("error_csrf")) }
            if req.body.data == nil {
                if req.bodyLimit > req.application.routes.defaultMaxBodySize.value && !req.auth.has(User.self) {
                    throw Abort(.forbidden, reason: req.text("error_csrf"))
                }
                _ = try await req.body.collect(max: req.bodyLimit).get()
            }
            guard let sent = try Self.sentToken(req), Self.constantTimeEqual(sent, expected) else {
                throw Abort(.forbidden, reason: req.text("error_csrf"))
            }
        }
        let response = try await next.respond(to: req)
        if let issued = req.storage[IssuedFormToken.self] {
            response.cookies[Self.cookie] = HTTPCookies.Value(
                string: issued, path: "/", isSecure: req.application.settings.secureCookies, isHTTPOnly: true,
                sameSite: .lax)
        }
        return response
    }

    /// The token the form sent, found in one pass over the body.
    static func sentToken(_ req: Request) throws -> String? {
        guard let body = req.body.data, let type = req.headers.contentType else { return nil }
        if type == .urlEncodedForm {
            let text = String(buffer: body)
            if text.utf8.lazy.filter({ $0 == UInt8(ascii: "&") }).count >= Edge.mostFormFields {
                throw Abort(.payloadTooLarge, reason: req.text("error_too_many_fields", String(Edge.mostFormFields)))
            }
            return FormEncoding.pairs(text).first { $0.name == field }?.value
        }
        guard type.type == "multipart", let boundary = type.parameters["boundary"] else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var parts = 0, isToken = false, token: String?
        parser.onHeader = { name, value in
            if name.lowercased() == "content-disposition" { isToken = value.contains("name=\"\(field)\"") }
        }
        parser.onBody = { buffer in
            if isToken { token = (token ?? "") + (buffer.readString(length: buffer.readableBytes) ?? "") }
        }
        parser.onPartComplete = {
            parts += 1
            isToken = false
        }
        try parser.execute(body)
        if parts > Edge.mostFormFields {
            throw Abort(.payloadTooLarge, reason: req.text("error_too_many_fields", String(Edge.mostFormFields)))
        }
        return token
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A form token made for this answer, to be sent as the form cookie.
private struct IssuedFormToken: StorageKey { typealias Value = String }

extension Request {
    /// The token a form must carry here: the session's when there is one, else the form cookie's.
    var expectedFormToken: String? {
        (hasSession ? session.data["csrf"] : nil) ?? cookies[CSRFProtection.cookie]?.string
    }

    /// The form token for a page that draws a form, made on first use: in the session for someone signed in,
    /// in the form cookie before sign-in.
    var csrfToken: String {
        if let token = formToken { return token }
        let token = [UInt8].random(count: 24).base64URL
        if auth.has(User.self) {
            session.data["csrf"] = token
        } else {
            storage[IssuedFormToken.self] = token
        }
        return token
    }

    /// The form token already made, if any (what a page puts in its forms).
    var formToken: String? { storage[IssuedFormToken.self] ?? expectedFormToken }
}
