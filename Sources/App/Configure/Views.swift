import Foundation
import Leaf
import LeafKit
import NIOCore
import Synchronization
import Vapor

/// Leaf templates and the stylesheet ship inside the binary's resource bundle, so the server
/// runs from any working directory. (Not `.toVisibleFiles`: a debug build lives under `.build/`.)
func configureViews(_ app: Application) throws {
    guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil)?.path else {
        throw Abort(.internalServerError, reason: "resource bundle missing")
    }
    // Leaf's own provider switches the shared template cache off whenever it makes a renderer in the
    // development environment, which is `serve`'s default; this one leaves it as set below.
    app.views.use { app in
        LeafRenderer(
            configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache,
            sources: app.leaf.sources, eventLoop: app.eventLoopGroup.next(), userInfo: ["application": app])
    }
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: root,
            viewDirectory: root + "/Views/"))
    // Templates ship inside the binary and never change while it runs, so each is read and parsed once,
    // whatever the environment: `serve` without `--env production` read and lexed every template of
    // every page again.
    app.leaf.cache.isEnabled = true
    for (file, type) in [("wellplan.css", "text/css; charset=utf-8"), ("coding.js", "text/javascript; charset=utf-8")] {
        let text = try String(contentsOfFile: root + "/Public/" + file, encoding: .utf8)
        app.get("static", .constant(file)) { _ in
            Response(
                status: .ok, headers: ["Content-Type": type, "Cache-Control": "public, max-age=3600"],
                body: .init(string: text))
        }
    }
}

/// The interface strings a template uses (`t.key` in it and in the templates it extends), read from the
/// templates once: a page is given those, not the whole catalogue of a thousand.
enum TemplateStrings {
    private static let root = Bundle.module.url(forResource: "Resources", withExtension: nil)?.path ?? ""
    private static let known = Mutex<[String: Set<String>]>([:])

    static func keys(_ template: String) -> Set<String> {
        if let keys = known.withLock({ $0[template] }) { return keys }
        var keys: Set<String> = []
        var seen: Set<String> = []
        var pending = [template]
        while let name = pending.popLast() {
            guard seen.insert(name).inserted,
                let text = try? String(contentsOfFile: root + "/Views/\(name).leaf", encoding: .utf8)
            else { continue }
            keys.formUnion(text.matches(of: /\bt\.([A-Za-z0-9_]+)/).map { String($0.1) })
            pending += text.matches(of: /#extend\("([A-Za-z0-9_-]+)"\)/).map { String($0.1) }
        }
        known.withLock { $0[template] = keys }
        return keys
    }
}

func configureSessions(_ app: Application, _ settings: Settings) {
    app.sessions.use { _ in DatabaseSessions() }
    app.sessions.configuration = .init(cookieName: "wellplan_session") { id in
        HTTPCookies.Value(
            string: id.string, maxAge: 8 * 3600, path: "/", isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }
}

func configureMiddleware(_ app: Application) {
    // Replaces Vapor's defaults so that every error, even a routing one, goes through ErrorResponses.
    app.middleware = .init()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ResponseHygiene())
    app.middleware.use(SecurityHeaders())
    app.middleware.use(LanguageChoice())
    app.middleware.use(ErrorResponses())
    app.middleware.use(RequestLimits())
}
