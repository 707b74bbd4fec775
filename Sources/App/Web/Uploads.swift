import Vapor
import WellplanCore

extension Request {
    /// A `text/csv` request body (the API's imports); anything else is a 415.
    func csvBody() throws -> Data {
        try requireCSV()
        return Data(buffer: body.data ?? ByteBuffer())
    }

    /// Refuses a body that is not sent as CSV (415), before any of it is read.
    func requireCSV() throws {
        guard headers.contentType?.subType == "csv" else { throw Abort(.unsupportedMediaType) }
    }

    /// The non-empty file a form uploaded as `file`, or nil (the pages' imports).
    func uploadedFile() -> Data? {
        struct Upload: Content { var file: File }
        guard let file = try? content.decode(Upload.self).file, file.data.readableBytes > 0 else { return nil }
        return Data(buffer: file.data)
    }

    /// The query's day `name` (YYYY-MM-DD): nil when absent or blank, refused with the field named when it is not a day.
    func queryDay(_ name: String) throws -> Day? {
        guard let text = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard let day = Day(text) else { throw WellplanError.invalid([FieldProblem(name, "error_not_day")]) }
        return day
    }

    /// Problems as a page shows them, in the reader's language.
    func shown(_ problems: [FieldProblem]) -> [ErrorResponses.Body.Problem] {
        problems.map { .init(field: $0.field, message: $0.message(language)) }
    }
}

extension Timestamp {
    /// "2026-03-04 09:15": to the minute, as timelines and histories show it.
    var minute: String { String(description.prefix(16)).replacingOccurrences(of: "T", with: " ") }
}

extension Request {
    /// Writes the streamed request body to a file, a piece at a time.
    func spool(to file: URL) async throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        // A body sent without its length is held to the route's limit as it arrives.
        var written = 0
        for try await buffer in body {
            written += buffer.readableBytes
            if written > bodyLimit {
                try? handle.close()
                try? FileManager.default.removeItem(at: file)
                throw Abort(.payloadTooLarge)
            }
            try handle.write(contentsOf: Data(buffer: buffer))
        }
    }
}
