import Crypto
import SQLKit
import Vapor
import WellplanCore

/// Every file the product keeps (a finding's photo, a safety plan's PDF, a report's files, an upload
/// waiting for its import) is kept here, in the database, in chunks: any server sharing the database can
/// read any file, so any server's worker can run any import, and no file ever has to sit whole in one row.
/// Owners (`finding_photos`, `safety_plan_versions`, `report_files`, `pending_imports`, `incident_imports`)
/// point at their file by `file_id`; the helpers below are what their pages share.
struct StoredFiles {
    let sql: any SQLDatabase

    /// A chunk: small enough for any driver to bind, large enough that a file is few rows.
    static let chunkSize = 512 * 1024

    /// What is known of a kept file without reading it.
    struct Kept: Sendable {
        let id: UUID
        let size: Int
        let sha256: String
    }

    /// Keeps `data`. Call it inside the owner's write, so the file and the row that points at it are kept together.
    func keep(_ data: Data, mediaType: String, at now: Timestamp) async throws -> Kept {
        var start = 0
        return try await keep(mediaType, at: now) {
            guard start < data.count else { return nil }
            defer { start += Self.chunkSize }
            return data.subdata(in: start..<min(start + Self.chunkSize, data.count))
        }
    }

    /// Keeps a file from disk (an upload streamed to a temporary file) a chunk at a time, so memory stays flat.
    func keep(contentsOf file: URL, mediaType: String, at now: Timestamp) async throws -> Kept {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        return try await keep(mediaType, at: now) {
            guard let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty else { return nil }
            return chunk
        }
    }

    /// Keeps the chunks `next` gives until it gives nil, hashing them as they go.
    private func keep(_ mediaType: String, at now: Timestamp, next: () throws -> Data?) async throws -> Kept {
        let id = UUID()
        try await sql.insert(into: "stored_files").columns("id", "media_type", "size", "sha256", "created_at")
            .values(SQLBind(id), SQLBind(mediaType), SQLBind(0), SQLBind(""), SQLBind(now)).run()
        var hash = SHA256()
        var size = 0
        var sequence = 0
        while let chunk = try next() {
            hash.update(data: chunk)
            try await sql.insert(into: "stored_file_chunks").columns("id", "file_id", "sequence", "data")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind(sequence), SQLBind(chunk)).run()
            size += chunk.count
            sequence += 1
        }
        let digest = Data(hash.finalize()).hexadecimal
        try await sql.update("stored_files").set("size", to: SQLBind(size)).set("sha256", to: SQLBind(digest))
            .where("id", .equal, SQLBind(id)).run()
        return Kept(id: id, size: size, sha256: digest)
    }

    /// The whole file, or nil when there is none by that id.
    func data(_ id: UUID) async throws -> Data? {
        guard try await exists(id) else { return nil }
        var data = Data()
        try await eachChunk(of: id) { data.append($0) }
        return data
    }

    /// Runs `body` on a copy of the file in `folder`, written a chunk at a time and removed afterwards: an
    /// import reads its upload from there as it reads any file, on whichever server runs it.
    func withCopy<T>(_ id: UUID, in folder: URL, _ body: (URL) async throws -> T) async throws -> T {
        guard try await exists(id) else { throw WellplanError.notFound("file") }
        let copy = try Self.temporary("\(id)-\(UUID()).copy", in: folder)
        defer { try? FileManager.default.removeItem(at: copy) }
        FileManager.default.createFile(atPath: copy.path, contents: nil)
        let handle = try FileHandle(forWritingTo: copy)
        defer { try? handle.close() }
        try await eachChunk(of: id) { try handle.write(contentsOf: $0) }
        return try await body(copy)
    }

    /// Removes a file (its owner's row first: the owner points at it).
    func remove(_ id: UUID) async throws {
        try await sql.delete(from: "stored_file_chunks").where("file_id", .equal, SQLBind(id)).run()
        try await sql.delete(from: "stored_files").where("id", .equal, SQLBind(id)).run()
    }

    private func exists(_ id: UUID) async throws -> Bool {
        try await sql.select().column("id").from("stored_files").where("id", .equal, SQLBind(id)).first() != nil
    }

    /// The file's chunks in order, one statement each, so a large file is never read whole at once.
    private func eachChunk(of id: UUID, _ body: (Data) throws -> Void) async throws {
        var sequence = 0
        while let row = try await sql.select().column("data").from("stored_file_chunks")
            .where("file_id", .equal, SQLBind(id)).where("sequence", .equal, SQLBind(sequence)).first()
        {
            try body(try row.decode(column: "data", as: Data.self))
            sequence += 1
        }
    }

    /// A temporary file in the uploads folder, where a streamed upload lands before it is checked and kept.
    static func temporary(_ name: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    /// The next number among the owner's files; call it inside the write, so two uploads never share one.
    static func nextNumber(in table: String, owner column: String, _ owner: UUID, on sql: any SQLDatabase) async throws
        -> Int
    {
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
