import Foundation
import Testing

@testable import WellplanCore

@Suite struct CompartmentCipherTests {
    let cipher = try! CompartmentCipher(base64: CompartmentCipher.newMasterKey())
    let discussion = UUID()
    let identifiers = LimitedIdentifiers(
        name: "Jordan Example", dateOfBirth: Day("2009-07-12"), address: "1 Test Street", contactNotes: "Prefers texts")

    @Test func sealedIdentifiersOpenOnlyForTheirDiscussion() throws {
        let sealed = try cipher.seal(identifiers, discussion: discussion, wrappedKey: nil)
        #expect(try cipher.open(sealed, discussion: discussion) == identifiers)
        #expect(!String(decoding: sealed.ciphertext, as: UTF8.self).contains("Jordan"))
        #expect(throws: CompartmentCipher.Failure.tampered) { try cipher.open(sealed, discussion: UUID()) }
    }

    @Test func anotherMasterKeyCannotOpen() throws {
        let sealed = try cipher.seal(identifiers, discussion: discussion, wrappedKey: nil)
        let other = try CompartmentCipher(base64: CompartmentCipher.newMasterKey())
        #expect(throws: CompartmentCipher.Failure.tampered) { try other.open(sealed, discussion: discussion) }
    }

    @Test func resealingKeepsTheDiscussionsKey() throws {
        let first = try cipher.seal(identifiers, discussion: discussion, wrappedKey: nil)
        var changed = identifiers
        changed.contactNotes = "Call the aunt"
        let second = try cipher.seal(changed, discussion: discussion, wrappedKey: first.wrappedKey)
        #expect(second.wrappedKey == first.wrappedKey)
        #expect(try cipher.open(second, discussion: discussion) == changed)
    }

    @Test func withoutItsKeyTheCiphertextIsUseless() throws {
        var sealed = try cipher.seal(identifiers, discussion: discussion, wrappedKey: nil)
        sealed.wrappedKey = nil
        #expect(throws: CompartmentCipher.Failure.shredded) { try cipher.open(sealed, discussion: discussion) }
        // Even a fresh key for the same discussion does not open the old ciphertext.
        let fresh = try cipher.seal(LimitedIdentifiers(), discussion: discussion, wrappedKey: nil)
        #expect(throws: CompartmentCipher.Failure.tampered) {
            try cipher.open(
                SealedCompartment(wrappedKey: fresh.wrappedKey, ciphertext: sealed.ciphertext), discussion: discussion)
        }
    }

    @Test func aMasterKeyMustBeThirtyTwoBytes() {
        #expect(throws: CompartmentCipher.Failure.badMasterKey) { try CompartmentCipher(base64: "c2hvcnQ=") }
        #expect(throws: CompartmentCipher.Failure.badMasterKey) { try CompartmentCipher(base64: "not base64!") }
    }
}
