/// Bytes written as lower-case hexadecimal, two digits each: digests, keys and signatures. One table
/// lookup per digit: `String(format:)` with Foundation's formatting was an eighth of an incident import.
extension Sequence where Element == UInt8 {
    public var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
