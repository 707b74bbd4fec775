import Crypto
import Synchronization
import Vapor
import WellplanCore

/// Pages and API answers as rendered, answered again while nothing they could show has changed: the same
/// address, reader, token, language, form token and minute, the same code lists, and the database's
/// `DataStamp`. A public dashboard, a plan page or a measure's series is read far more often than anything
/// it shows is written.
///
/// The stamp is read first (`PageCache.Stamp`, before sign-in), so everything the answer is made of, the
/// reader's account included, is at least as new as it; and read again after, so an answer is kept only if
/// nothing committed while it was made. An answer that writes (a read of identifiable information is logged)
/// moves the stamp itself and is never kept. A reader is signed in afresh on every request, and only answers
/// that made no form token and set no cookie are kept.
struct PageCache: AsyncMiddleware {
    /// Pages kept; they are all dropped when the stamp moves, since none of them can be answered again.
    final class Pages: Sendable {
        struct Page {
            let status: HTTPResponseStatus
            let headers: HTTPHeaders
            let body: ByteBuffer

            /// What it holds in memory, roughly: its body, its headers and its key.
            var bytes: Int {
                body.readableBytes + headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } + 64
            }
        }

        private struct Kept {
            var stamp = ""
            var pages: [Data: Page] = [:]
            var bytes = 0
            var hits = 0
        }

        /// Past this many bytes, or pages, the cache starts again.
        static let capacity = 64 << 20
        static let mostPages = 4096
        private let kept = Mutex(Kept())

        func page(_ key: Data, stamp: String) -> Page? {
            kept.withLock { kept in
                guard kept.stamp == stamp, let page = kept.pages[key] else { return nil }
                kept.hits += 1
                return page
            }
        }

        func keep(_ page: Page, _ key: Data, stamp: String) {
            kept.withLock { kept in
                let full = kept.bytes + page.bytes > Self.capacity || kept.pages.count >= Self.mostPages
                if kept.stamp != stamp || full { kept = Kept(stamp: stamp, hits: kept.hits) }
                kept.pages[key] = page
                kept.bytes += page.bytes
            }
        }

        /// How many requests were answered from the cache, and how many pages are kept, for tests.
        var hits: Int { kept.withLock(\.hits) }
        var count: Int { kept.withLock { $0.pages.count } }
        func removeAll() { kept.withLock { $0 = Kept(hits: $0.hits) } }
    }

    struct PagesKey: StorageKey { typealias Value = Pages }

    /// Reads the data stamp before anything else of the request is read, the reader's account included.
    struct Stamp: AsyncMiddleware {
        struct Key: StorageKey { typealias Value = String }

        func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            // Without a stamp (the database busy recovering, say) the answer is made as if there were no cache.
            if req.method == .GET, req.application.settings.keepsPages,
                let stamp = try? await req.application.dataStamp.read(req.sql)
            {
                req.storage[Key.self] = stamp
            }
            return try await next.respond(to: req)
        }
    }

    static func configure(_ app: Application) {
        app.storage[Application.DataStampKey.self] = DataStamp(app.settings.store)
        app.storage[PagesKey.self] = Pages()
        app.lifecycle.use(Closer())
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let stamp = req.storage[Stamp.Key.self] else { return try await next.respond(to: req) }
        let pages = req.application.pages
        let key = Self.key(req)
        if let page = pages.page(key, stamp: stamp) {
            return Response(status: page.status, headers: page.headers, body: .init(buffer: page.body))
        }
        let response = try await next.respond(to: req)
        // A page that made a form token, or sets a cookie, belongs to this request alone.
        // A streamed answer (a long export) has no buffer and is not kept.
        guard response.status == .ok, Self.key(req) == key, !response.headers.contains(name: .setCookie),
            let body = response.body.buffer,
            let after = try? await req.application.dataStamp.read(req.sql), after == stamp
        else { return response }
        pages.keep(.init(status: response.status, headers: response.headers, body: body), key, stamp: stamp)
        return response
    }

    /// Everything a page may differ by besides the database, digested: it holds the reader's tokens.
    static func key(_ req: Request) -> Data {
        let reader = req.auth.get(User.self)?.id.uuidString ?? "-"
        let token = req.headers.bearerAuthorization?.token ?? "-"
        let minute = req.clock.now.description.prefix(16)
        let parts = [
            req.headers.first(name: .host) ?? "", req.url.string, req.headers.first(name: .accept) ?? "",
            req.language.rawValue, reader, token, req.formToken ?? "-", String(minute),
            String(CodeListEdits.generation),
        ]
        return Data(SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)))
    }

    /// Closes the stamp's own connection when the server stops.
    private struct Closer: LifecycleHandler {
        func shutdownAsync(_ app: Application) async { await app.dataStamp.close() }
    }
}

extension Application {
    var pages: PageCache.Pages { storage[PageCache.PagesKey.self]! }
}
