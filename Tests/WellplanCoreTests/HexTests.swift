import Foundation
import Testing

@testable import WellplanCore

/// Hexadecimal and UUID text by table write what Foundation's formatting wrote, which stored keys, ids
/// and digests were made with.
@Suite struct HexTests {
    @Test func bytesAndUUIDsAreWrittenAsFoundationWroteThem() {
        for _ in 0..<10_000 {
            let id = UUID()
            #expect(id.text == id.uuidString)
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            #expect(bytes.hexadecimal == bytes.map { String(format: "%02x", $0) }.joined())
        }
        #expect([UInt8]().hexadecimal.isEmpty && [0, 255, 16].hexadecimal == "00ff10")
    }

    /// Random UUIDs are version 4 of the RFC 4122 variant, read back from their text, and never repeat.
    @Test func randomUUIDsAreVersionFourAndDistinct() {
        var seen: Set<UUID> = []
        for _ in 0..<10_000 {
            let id = UUID.random()
            let text = id.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
            #expect(UUID(uuidString: text) == id)
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    /// An import's ids are version 7 of the RFC variant and each greater than the one before, as bytes and
    /// as the text SQLite keeps them in, while the count carries over into higher bytes; two imports differ.
    @Test func orderedIDsRiseInTheOrderTheyAreMade() {
        var ids = OrderedIDs()
        var previous = ids.next()
        for _ in 0..<70_000 {
            let id = ids.next()
            let text = id.uuidString
            #expect(Array(text)[14] == "7")
            #expect("89AB".contains(Array(text)[19]))
            #expect(previous.uuidString < text)
            previous = id
        }
        var other = OrderedIDs()
        #expect(other.next() != ids.next())
    }
}
