import Crypto
import Foundation
import WellplanCore

/// The backup's file, line by line: a header, then each table's line naming its columns followed by its
/// rows (one JSON array a row), then an end line with the row counts, a SHA-256 of every byte before it
/// and the audit log's head, signed when a key is set. A file without its end line, or whose bytes do
/// not match it, is not a backup.
enum BackupFile {
    static let format = "wellplan-backup"
    static let version = 2

    struct Header: Codable, Equatable {
        var format: String
        var version: Int
        var takenAt: String
        var database: String
        /// The migrations the database had run, oldest first: the shape its rows have.
        var migrations: [String]
    }

    struct TableLine: Codable {
        struct Column: Codable {
            var name: String
            var type: DatabaseCatalogue.ColumnType
        }
        var table: String
        var columns: [Column]
    }

    /// The newest audit entry when the backup was taken.
    struct AuditHead: Codable, Equatable {
        var seq: Int
        var hash: String
    }

    struct End: Codable, Equatable {
        var rows: [String: Int]
        var sha256: String
        var auditHead: AuditHead?
        /// HMAC-SHA256 of the checksum and the audit head, with the key from `WELLPLAN_AUDIT_KEY`.
        var signature: String?

        /// What the signature covers: every byte of the file before the end line, and the head.
        var signed: Data {
            Data("\(BackupFile.format)\n\(sha256)\n\(auditHead?.seq ?? 0)\n\(auditHead?.hash ?? "")".utf8)
        }

        func isSigned(by key: AuditKey) -> Bool {
            signature.map { key.verifies($0, of: signed) } ?? false
        }
    }

    struct EndLine: Codable {
        var end: End
    }

    /// One value of one column, in the terms both databases share.
    enum Value: Equatable, Sendable {
        case null
        case integer(Int64)
        case double(Double)
        case text(String)
        case boolean(Bool)
        case bytes(Data)
    }

    // MARK: Writing a row

    /// A row as one JSON array. Doubles keep every digit (Swift prints the shortest text that reads back
    /// the same number); bytes are base64; a double that JSON cannot hold is written as its name.
    static func rowLine(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch value {
            case .null: out += Array("null".utf8)
            case .integer(let n): out += Array(String(n).utf8)
            case .double(let d):
                if d.isFinite {
                    out += Array("\(d)".utf8)
                } else {
                    let word = d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity")
                    appendString(word, to: &out)
                }
            case .text(let s): appendString(s, to: &out)
            case .boolean(let b): out += Array((b ? "true" : "false").utf8)
            case .bytes(let data): appendString(data.base64EncodedString(), to: &out)
            }
        }
        out += [UInt8(ascii: "]"), UInt8(ascii: "\n")]
        return out
    }

    private static func appendString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func jsonLine(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }

    // MARK: Reading a row

    /// A JSON scalar as the file holds it; a number keeps its text, so the column's type decides how it reads.
    enum Scalar: Equatable {
        case null
        case boolean(Bool)
        case number(String)
        case string(String)
    }

    struct Malformed: Error {}

    /// A row line's values. Anything but a flat array of scalars is malformed.
    static func scalars(_ line: ArraySlice<UInt8>) throws(Malformed) -> [Scalar] {
        var parser = RowParser(bytes: line)
        return try parser.row()
    }

    /// Reads the file's column type into the database's own: the types of SQLite and PostgreSQL differ
    /// (a yes/no is 0/1 in one, true/false in the other), and a backup from one restores into the other.
    static func value(_ scalar: Scalar, as column: DatabaseCatalogue.Column) -> Value? {
        switch (scalar, column.type) {
        case (.null, _): return column.isNullable ? .null : nil
        case (.string(let s), .text), (.string(let s), .json): return .text(s)
        case (.string(let s), .uuid): return UUID(uuidString: s) == nil ? nil : .text(s)
        case (.number(let n), .integer): return Int64(n).map(Value.integer)
        case (.boolean(let b), .integer): return .integer(b ? 1 : 0)
        case (.boolean(let b), .boolean): return .boolean(b)
        case (.number("0"), .boolean): return .boolean(false)
        case (.number("1"), .boolean): return .boolean(true)
        case (.number(let n), .double): return Double(n).map(Value.double)
        case (.string("NaN"), .double): return .double(.nan)
        case (.string("Infinity"), .double): return .double(.infinity)
        case (.string("-Infinity"), .double): return .double(-.infinity)
        case (.string(let s), .bytes): return Data(base64Encoded: s).map(Value.bytes)
        default: return nil
        }
    }
}

/// A flat JSON array of scalars, read straight from bytes.
private struct RowParser {
    let bytes: ArraySlice<UInt8>
    var i: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        i = bytes.startIndex
    }

    mutating func row() throws(BackupFile.Malformed) -> [BackupFile.Scalar] {
        try expect(UInt8(ascii: "["))
        var values: [BackupFile.Scalar] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            i += 1
        } else {
            while true {
                skipSpace()
                values.append(try scalar())
                skipSpace()
                let next = try take()
                if next == UInt8(ascii: "]") { break }
                guard next == UInt8(ascii: ",") else { throw .init() }
            }
        }
        skipSpace()
        guard i == bytes.endIndex else { throw .init() }
        return values
    }

    private func peek() -> UInt8? { i < bytes.endIndex ? bytes[i] : nil }

    private mutating func take() throws(BackupFile.Malformed) -> UInt8 {
        guard i < bytes.endIndex else { throw .init() }
        defer { i += 1 }
        return bytes[i]
    }

    private mutating func expect(_ byte: UInt8) throws(BackupFile.Malformed) {
        guard try take() == byte else { throw .init() }
    }

    private mutating func skipSpace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0D { i += 1 }
    }

    private mutating func literal(_ word: String) throws(BackupFile.Malformed) {
        for byte in word.utf8 { try expect(byte) }
    }

    private mutating func scalar() throws(BackupFile.Malformed) -> BackupFile.Scalar {
        switch peek() {
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "t"):
            try literal("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .boolean(false)
        case UInt8(ascii: "\""):
            return .string(try string())
        default:
            let start = i
            while let b = peek(),
                b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
                    || b == UInt8(ascii: "E") || (0x30...0x39).contains(b)
            {
                i += 1
            }
            guard i > start else { throw .init() }
            return .number(String(decoding: bytes[start..<i], as: UTF8.self))
        }
    }

    private mutating func string() throws(BackupFile.Malformed) -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while true {
            let b = try take()
            switch b {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw .init() }
                return text
            case UInt8(ascii: "\\"):
                switch try take() {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        try literal("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw .init() }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw .init() }
                    out += Array(String(Character(scalar)).utf8)
                default: throw .init()
                }
            case 0..<0x20: throw .init()
            default: out.append(b)
            }
        }
    }

    private mutating func hex4() throws(BackupFile.Malformed) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            let b = try take()
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: throw .init()
            }
            code = code << 4 | UInt32(digit)
        }
        return code
    }
}

/// A file's lines, a megabyte at a time, so memory stays flat however long the file is.
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    init(_ url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    /// The next line without its line break, and whether it had one (the last line of a cut file has
    /// not); nil at the end of the file.
    mutating func next() throws -> (line: ArraySlice<UInt8>, ended: Bool)? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                return (buffer[start..<newline], true)
            }
            if ended {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return (buffer[start...], false)
            }
            buffer.removeFirst(start)
            start = 0
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                buffer += chunk
            } else {
                ended = true
            }
        }
    }

    func close() { try? handle.close() }
}

extension Data {
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
