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

    /// The last part of an uploaded file's name, without quotes or control characters, at most 200 characters;
    /// the fallback when nothing usable is left.
    static func name(_ fileName: String, otherwise fallback: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: fileName.unicodeScalars.filter { $0.properties.generalCategory != .control })
        let last = String(kept).split(whereSeparator: { "/\\\"".contains($0) }).last.map(String.init)
        let name = last?.trimmingCharacters(in: .whitespaces) ?? ""
        // Nothing but dots names a folder, not a file.
        let usable = !name.isEmpty && !name.allSatisfy { $0 == "." }
        return String((usable ? name : fallback).prefix(200))
    }

    /// A download (`attachment`) or a picture shown in the page (`inline`).
    static func response(_ data: Data, type: HTTPMediaType, fileName: String, inline: Bool = false) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: disposition(fileName, inline: inline))
        return response
    }

    /// A Content-Disposition value (RFC 6266): an ASCII name for old clients, then the exact name
    /// percent-encoded (RFC 8187), so no name, whatever it holds, can end the header.
    static func disposition(_ fileName: String, inline: Bool = false) -> String {
        let ascii = fileName.unicodeScalars.map { scalar in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                ? String(scalar) : "_"
        }
        let exact = fileName.addingPercentEncoding(withAllowedCharacters: attributeCharacters) ?? ""
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii.joined())\"; filename*=UTF-8''\(exact)"
    }

    /// RFC 8187's attr-char: what a file name may show unencoded.
    private static let attributeCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
}
