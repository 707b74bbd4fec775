import Foundation

extension UUID {
    /// A random (version 4) UUID from the system's random source. Foundation's `UUID()` on Linux opens
    /// and closes `/dev/urandom` for each one, which was an eighth of a survey import's time.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40  // version 4
            raw[8] = raw[8] & 0x3F | 0x80  // the RFC 4122 variant
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}

/// Ids for the rows of one bulk import, each greater than the one before (RFC 9562's version 7 with a
/// monotonic random counter): the millisecond the import began, 26 random bits, then a 47-bit count from a
/// random start. Rows staged in the order their ids are made are already in key order, so moving them
/// needs no sort and appends to the key's B-tree instead of splitting pages all over it; two calls to
/// the system's random source serve the whole import (one a row was a twelfth of a survey import's time).
public struct OrderedIDs {
    private var prefix: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
    private var count: UInt64

    public init(now: Date = Date()) {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        func byte(_ value: UInt64, _ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: value >> shift) }
        prefix = (
            byte(ms, 40), byte(ms, 32), byte(ms, 24), byte(ms, 16), byte(ms, 8), byte(ms, 0),
            0x70 | byte(random, 0) & 0x0F,  // version 7
            byte(random, 8),
            0x80 | byte(random, 16) & 0x3F,  // the RFC variant
            byte(random, 24)
        )
        count = (random >> 32) & 0x7FFF
        count <<= 32
        count |= UInt64(generator.next() as UInt32)
    }

    /// The next id, greater than every one before it.
    public mutating func next() -> UUID {
        let n = count
        count += 1
        let p = prefix
        return UUID(
            uuid: (
                p.0, p.1, p.2, p.3, p.4, p.5, p.6, p.7, p.8, p.9,
                UInt8(truncatingIfNeeded: n >> 40), UInt8(truncatingIfNeeded: n >> 32),
                UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)
            ))
    }
}
