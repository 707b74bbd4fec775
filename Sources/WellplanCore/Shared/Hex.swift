import Foundation

/// Bytes written as lower-case hexadecimal, two digits each: digests, keys and signatures. One table
/// lookup per digit: `String(format:)` with Foundation's formatting was an eighth of an incident import.
extension Sequence where Element == UInt8 {
    public var hexadecimal: String {
        let digits = HexDigits.lower
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension UUID {
    /// The UUID as `uuidString` writes it (upper case, 8-4-4-4-12), by table: Foundation formats each
    /// byte with `sprintf`, and an import writes three of these a row.
    public var text: String {
        let digits = HexDigits.upper
        var text: [UInt8] = []
        text.reserveCapacity(36)
        let bytes = uuid
        withUnsafeBytes(of: bytes) { raw in
            for (offset, byte) in raw.enumerated() {
                if offset == 4 || offset == 6 || offset == 8 || offset == 10 { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The digits, made once rather than on every call.
private enum HexDigits {
    static let lower = Array("0123456789abcdef".utf8)
    static let upper = Array("0123456789ABCDEF".utf8)
}
