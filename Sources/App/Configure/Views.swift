import Leaf
import LeafKit
import NIOCore
import Vapor

/// Leaf templates and the stylesheet ship inside the binary's resource bundle, so the server
/// runs from any working directory. (Not `.toVisibleFiles`: a debug build lives under `.build/`.)
func configureViews(_ app: Application) throws {
    guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil)?.path else {
        throw Abort(.internalServerError, reason: "resource bundle missing")
    }
    app.views.use(.leaf)
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: root, viewDirectory: root + "/Views/"))
    app.leaf.cache.isEnabled = app.environment.isRelease
    for (file, type) in [("wellplan.css", "text/css; charset=utf-8"), ("coding.js", "text/javascript; charset=utf-8")] {
        let text = try String(contentsOfFile: root + "/Public/" + file, encoding: .utf8)
        app.get("static", .constant(file)) { _ in
            Response(status: .ok, headers: ["Content-Type": type, "Cache-Control": "public, max-age=3600"], body: .init(string: text))
        }
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
