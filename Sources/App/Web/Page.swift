import Vapor
import WellplanCore

/// What every page template receives: the interface strings in the reader's language, who is
/// signed in, the form token, the navigation, and the page's own content.
struct Page<Content: Encodable>: Encodable {
    struct SignedIn: Encodable {
        let name: String
        let role: String
        let isAdmin: Bool
    }
    struct Link: Encodable {
        let href: String
        let label: String
        let current: Bool
    }

    let t: [String: String]
    let lang: String
    let switchHref: String
    let switchLabel: String
    let switchLang: String
    let title: String
    let user: SignedIn?
    let csrf: String?
    let nav: [Link]
    let content: Content
}

extension Request {
    func page<C: Encodable>(_ template: String, title: String, status: HTTPStatus = .ok, _ content: C) async throws
        -> Response
    {
        let other: Language = language == .en ? .fr : .en
        let actor = try? await actor()
        var nav: [(String, String)] = [("/", "nav_home"), ("/public", "nav_public")]
        if actor?.isSignedIn ?? false {
            nav += [
                ("/plans", "kinds_plan"), ("/projects", "kinds_project"), ("/tables", "kinds_partner_table"),
                ("/organizations", "kinds_organization"), ("/people", "kinds_person"), ("/reports", "reports_heading"),
            ]
            if !(actor?.tables.isEmpty ?? true) { nav.append(("/discussions", "nav_situation_tables")) }
        }
        if user?.role == .admin {
            nav += [
                ("/accounts", "accounts_heading"), ("/audit", "nav_audit"), ("/code-lists", "code_lists_heading"),
                ("/guarded-names", "guarded_names_heading"),
            ]
        }
        let path = url.path
        let context = Page(
            t: Catalogue.shared.strings(language, TemplateStrings.keys(template)), lang: language.rawValue,
            switchHref: "\(path)?lang=\(other.rawValue)", switchLabel: Catalogue.shared.text("language_name", other),
            switchLang: other.rawValue, title: title,
            user: user.map { .init(name: $0.name, role: text("role_\($0.role.rawValue)"), isAdmin: $0.role == .admin) },
            csrf: formToken,
            nav: nav.map {
                .init(href: $0.0, label: text($0.1), current: $0.0 == "/" ? path == "/" : path.hasPrefix($0.0))
            },
            content: content)
        return try await view.render(template, context).encodeResponse(status: status, for: self)
    }
}
