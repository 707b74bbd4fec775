import Synchronization
import Vapor
import WellplanCore

/// Pages and API answers as rendered, answered again while nothing they could show has changed: the same
/// address, reader, token, language, form token and minute, the same code lists, and the database's
/// `DataStamp`. A public dashboard, a plan page or a measure's series is read far more often than anything
/// it shows is written.
///
/// It sits inside the sign-in and form-token checks, so a reader is signed in (or not) afresh on every
/// request, and only answers that made no form token and set no cookie are kept. An answer that writes (a
/// read of identifiable information is logged) moves the stamp itself, so it is never answered again.
struct PageCache: AsyncMiddleware {
    /// Pages kept; they are all dropped when the stamp moves, since none of them can be answered again.
    final class Pages: Sendable {
        struct Page {
            let status: HTTPResponseStatus
            let headers: HTTPHeaders
            let body: ByteBuffer
        }

        private struct Kept {
            var stamp = ""
            var pages: [String: Page] = [:]
            var bytes = 0
            var hits = 0
        }

        /// Past this many bytes of pages, the cache starts again.
        static let capacity = 64 << 20
        private let kept = Mutex(Kept())

        func page(_ key: String, stamp: String) -> Page? {
            kept.withLock { kept in
                guard kept.stamp == stamp, let page = kept.pages[key] else { return nil }
                kept.hits += 1
                return page
            }
        }

        func keep(_ page: Page, _ key: String, stamp: String) {
            kept.withLock { kept in
                if kept.stamp != stamp || kept.bytes + page.body.readableBytes > Self.capacity {
                    kept = Kept(stamp: stamp, hits: kept.hits)
                }
                kept.pages[key] = page
                kept.bytes += page.body.readableBytes
            }
        }

        /// How many requests were answered from the cache, for tests.
        var hits: Int { kept.withLock(\.hits) }
    }

    struct PagesKey: StorageKey { typealias Value = Pages }

    static func configure(_ app: Application) {
        app.storage[Application.DataStampKey.self] = DataStamp(app.settings.store)
        app.storage[PagesKey.self] = Pages()
        app.lifecycle.use(Closer())
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .GET, req.application.settings.keepsPages else { return try await next.respond(to: req) }
        // Without a stamp (the database busy recovering, say) the page is rendered as if there were no cache.
        guard let stamp = try? await req.application.dataStamp.read(req.sql) else {
            return try await next.respond(to: req)
        }
        let pages = req.application.pages
        let key = Self.key(req)
        if let page = pages.page(key, stamp: stamp) {
            return Response(status: page.status, headers: page.headers, body: .init(buffer: page.body))
        }
        let response = try await next.respond(to: req)
        // A page that made a form token, or sets a cookie, belongs to this request alone.
        // A streamed answer (a long export) has no buffer and is not kept.
        if response.status == .ok, Self.key(req) == key, !response.headers.contains(name: .setCookie),
            let body = response.body.buffer
        {
            pages.keep(.init(status: response.status, headers: response.headers, body: body), key, stamp: stamp)
        }
        return response
    }

    /// Everything a page may differ by besides the database.
    static func key(_ req: Request) -> String {
        let reader = req.auth.get(User.self)?.id.uuidString ?? "-"
        let token = req.headers.bearerAuthorization?.token ?? "-"
        let minute = req.clock.now.description.prefix(16)
        let parts = [
            req.headers.first(name: .host) ?? "", req.url.string, req.headers.first(name: .accept) ?? "",
            req.language.rawValue, reader, token, req.formToken ?? "-", String(minute),
            String(CodeListEdits.generation),
        ]
        return parts.joined(separator: "\u{1F}")
    }

    /// Closes the stamp's own connection when the server stops.
    private struct Closer: LifecycleHandler {
        func shutdownAsync(_ app: Application) async { await app.dataStamp.close() }
    }
}

extension Application {
    var pages: PageCache.Pages { storage[PageCache.PagesKey.self]! }
}
