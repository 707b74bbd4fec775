import Crypto
import SQLKit
import Vapor

/// What every file kept in the database shares: its SHA-256, its number among its owner's files, its
/// name, and how it is sent back.
enum StoredFile {
    /// A new file in the uploads folder, where an upload waits for the job that imports it. Those jobs run on
    /// this host only (`runsOn`), so a server elsewhere sharing the database never claims one it has no file for.
    static func waiting(_ name: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The next number among the owner's files; call it inside the write, so two uploads never share one.
    static func nextNumber(in table: String, owner column: String, _ owner: UUID, on sql: any SQLDatabase) async throws -> Int {
        let last = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "n").from(table)
            .where(SQLColumn(column), .equal, SQLBind(owner)).first()?.decode(column: "n", as: Int?.self)
        return (last ?? 0) + 1
    }

    /// The last part of an uploaded file's name, without quotes, at most 200 characters.
    static func name(_ fileName: String, otherwise fallback: String) -> String {
        String((fileName.split(whereSeparator: { "/\\\"".contains($0) }).last.map(String.init) ?? fallback).prefix(200))
    }

    /// A download (`attachment`) or a picture shown in the page (`inline`).
    static func response(_ data: Data, type: HTTPMediaType, fileName: String, inline: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename=\"\(fileName)\"")
        return response
    }
}
