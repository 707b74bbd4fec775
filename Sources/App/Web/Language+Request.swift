import Vapor
import WellplanCore

/// Picks the reader's language: `?lang=` (remembered in a cookie), then the cookie, then `Accept-Language`.
struct LanguageChoice: AsyncMiddleware {
    static let cookie = "wellplan_lang"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Found in one pass: this runs before the edge has refused an overlong query, and Vapor's
        // query parser takes time in the square of a repeated key's count.
        let pair = req.url.query?.split(separator: "&").first { $0.hasPrefix("lang=") }
        let asked = pair.flatMap { Language(rawValue: String($0.dropFirst(5))) }
        req.language =
            asked
            ?? req.cookies[Self.cookie].flatMap { Language(rawValue: $0.string) }
            ?? Language.preferred(acceptLanguage: req.headers.first(name: .acceptLanguage))
        let response = try await next.respond(to: req)
        if let asked {
            response.cookies[Self.cookie] = HTTPCookies.Value(
                string: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                isSecure: req.application.settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }

    var language: Language {
        get { storage[LanguageKey.self] ?? .en }
        set { storage[LanguageKey.self] = newValue }
    }

    func text(_ key: String) -> String { Catalogue.shared.text(key, language) }
    func text(_ key: String, _ values: String...) -> String { Catalogue.shared.text(key, language, values) }
}
