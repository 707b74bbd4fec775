import FluentSQLiteDriver
import Vapor
import WellplanCore

/// The one place errors become responses: JSON under `/api`, a page elsewhere; the status kept,
/// the message in the reader's language, and never a stack trace or a 500 for bad input.
struct ErrorResponses: AsyncMiddleware {
    struct Body: Content {
        struct Problem: Content {
            var field: String
            var message: String
        }
        var error = true
        var reason: String
        var problems: [Problem]?
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return try await response(for: error, req)
        }
    }

    func response(for error: any Error, _ req: Request) async throws -> Response {
        let isAPI = req.url.path.hasPrefix("/api/")
        var status = HTTPResponseStatus.internalServerError
        var reason = req.text("error_unexpected")
        var problems: [Body.Problem]?
        switch error {
        case WellplanError.invalid(let list):
            status = .unprocessableEntity
            problems = req.shown(list)
            reason = problems!.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case WellplanError.notFound:
            status = .notFound
            reason = req.text("error_not_found")
        case WellplanError.forbidden:
            guard req.user != nil else {
                if !isAPI, req.method == .GET { return req.redirect(to: SiteURL.signIn(next: req.url.path).path) }
                status = .unauthorized
                reason = req.text("error_sign_in_required")
                break
            }
            status = .forbidden
            reason = req.text("error_forbidden")
        case WellplanError.conflict(let key):
            status = .conflict
            reason = req.text(key)
        case let decoding as DecodingError:
            status = .badRequest
            reason = req.text("error_malformed") + " " + Self.describe(decoding)
        case let busy as SQLiteError where busy.isBusy:
            // Another writer held the database longer than a request waits: say so, and when to try again.
            status = .serviceUnavailable
            reason = req.text("error_busy", String(Self.retryAfter))
        case is StillWorking:
            // A release of statistics takes long to work out the first time; it goes on without the reader.
            status = .serviceUnavailable
            reason = req.text("error_statistics_being_worked_out", String(Self.retryAfter))
        case is ConnectionPoolTimeoutError:
            // Every pooled connection stayed in use longer than a request waits for one (a burst of load):
            // the request did nothing, so it can be sent again.
            status = .serviceUnavailable
            reason = req.text("error_busy_requests", String(Self.retryAfter))
        case let abort as any AbortError:
            status = abort.status
            reason =
                switch status {
                case .notFound: req.text("error_not_found")
                case .payloadTooLarge where abort.reason == status.reasonPhrase:
                    req.text("error_too_large", String(max(1, req.bodyLimit / 1_048_576)))
                case .uriTooLong: req.text("error_query_too_long", String(Edge.longestQuery / 1024))
                case .unsupportedMediaType: req.text("error_media_type")
                default: abort.reason
                }
        default:
            // scripts/test fails the run when this line appears in the server's log.
            req.logger.error("unexpected error answered 500: \(String(reflecting: error))")
        }
        let response: Response
        if isAPI || req.headers.accept.mediaTypes.first == .json {
            response = Response(status: status)
            try response.content.encode(Body(reason: reason, problems: problems))
            if status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
        } else {
            response = try await req.page(
                "error", title: req.text("error_title"), status: status,
                ErrorPage(status: Int(status.code), reason: reason, problems: problems ?? []))
        }
        if status == .serviceUnavailable {
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Self.retryAfter))
        }
        return response
    }

    /// Seconds to wait before trying again when the database was busy.
    static let retryAfter = 5

    struct ErrorPage: Encodable {
        let status: Int
        let reason: String
        let problems: [Body.Problem]
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        return switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): "(\(path(c)))"
        case .keyNotFound(let key, _): "(\(key.stringValue))"
        @unknown default: ""
        }
    }
}
