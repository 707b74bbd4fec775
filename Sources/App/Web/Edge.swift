import Vapor

/// What the server refuses before it parses anything, and what it makes sure of in every answer.
enum Edge {
    /// The longest query string a route reads. Vapor's form parser takes time in the square of a repeated
    /// key's count, so the length bounds it (8 KiB of `a=1&` is 2,000 keys, a few milliseconds).
    static let longestQuery = 8 * 1024
    /// The most fields a submitted form may have, for the same reason: counted in one pass before any decoding.
    static let mostFormFields = 2_000
}

/// Refuses, before reading a body, a query string longer than `Edge.longestQuery` (414) and a body that says it
/// is larger than its route accepts (413): `RoutesBuilder.large` records a route's limit, every other takes the default.
struct RequestLimits: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if (req.url.query?.utf8.count ?? 0) > Edge.longestQuery { throw Abort(.uriTooLong) }
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > req.bodyLimit {
            throw Abort(.payloadTooLarge)
        }
        return try await next.respond(to: req)
    }
}

/// Every answer's headers free of control characters (a CR LF in a value would start a header of the
/// attacker's choosing), whatever put them there; and nothing a signed-in reader sees kept by a cache.
struct ResponseHygiene: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        for (name, value) in response.headers where value.unicodeScalars.contains(where: Self.isControl) {
            response.headers.replaceOrAdd(name: name, value: Self.clean(value))
        }
        if req.auth.has(User.self) || req.headers.bearerAuthorization != nil, response.headers[.cacheControl].isEmpty {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control && scalar != "\t"
    }

    /// Control characters percent-encoded: a redirect's address stays an address, a name stays readable.
    static func clean(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            if isControl(scalar) {
                for byte in String(scalar).utf8 { out += String(format: "%%%02X", byte) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension RoutesBuilder {
    /// A route that takes a body larger than the default (an upload, a long form), collected up to `max`.
    /// The limit is kept on the route, so the edge refuses a larger body before reading it, and the form
    /// check reads a body this large only for someone signed in.
    @discardableResult
    func large<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., max: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .collect(maxSize: max), use: closure)
        route.userInfo[BodyLimit.key] = max.value
        return route
    }

    /// A route that reads its body as it arrives (an import spooled to a file), up to `max`.
    @discardableResult
    func streamed<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., max: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .stream, use: closure)
        route.userInfo[BodyLimit.key] = max.value
        return route
    }
}

enum BodyLimit {
    static let key: AnySendableHashable = "bodyLimit"
}

extension Request {
    /// The largest body this request's route accepts.
    var bodyLimit: Int {
        route?.userInfo[BodyLimit.key] as? Int ?? application.routes.defaultMaxBodySize.value
    }
}
