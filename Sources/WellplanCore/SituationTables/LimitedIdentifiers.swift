import Crypto
import Foundation

/// The few identifiers an intervention needs once a situation is accepted (Filters 3 and 4).
/// They never sit in the database as plaintext: see `CompartmentCipher`.
public struct LimitedIdentifiers: Codable, Sendable, Equatable {
    public static let fields: [RecordField] = [
        .init("name", .text(maxLength: 200)),
        .init("dateOfBirth", .day),
        .init("address", .text(maxLength: 300)),
        .init("contactNotes", .longText),
    ]

    public var name: String?
    public var dateOfBirth: Day?
    public var address: String?
    public var contactNotes: String?

    /// The filled fields as text, keyed by field name, for pages and forms.
    public var texts: [String: String] {
        [
            ("name", name), ("dateOfBirth", dateOfBirth?.description), ("address", address),
            ("contactNotes", contactNotes),
        ]
        .reduce(into: [:]) { texts, pair in if let value = pair.1 { texts[pair.0] = value } }
    }

    public init(name: String? = nil, dateOfBirth: Day? = nil, address: String? = nil, contactNotes: String? = nil) {
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.address = address
        self.contactNotes = contactNotes
    }
}

/// A compartment as stored: its own key, wrapped by the master key, and the sealed identifiers.
/// Destroying the wrapped key (crypto-shredding) leaves ciphertext nobody can open.
public struct SealedCompartment: Sendable, Equatable {
    public var wrappedKey: Data?
    public var ciphertext: Data

    public init(wrappedKey: Data?, ciphertext: Data) { (self.wrappedKey, self.ciphertext) = (wrappedKey, ciphertext) }
}

/// AES-GCM with one 256-bit key per discussion, itself sealed by the master key. The discussion's id is
/// bound in as authenticated data, so a compartment copied onto another discussion does not open.
public struct CompartmentCipher: Sendable {
    public enum Failure: Error, Equatable { case badMasterKey, shredded, tampered }

    /// Kept as bytes: `SymmetricKey` is not `Sendable`.
    let masterBytes: Data
    var master: SymmetricKey { SymmetricKey(data: masterBytes) }

    /// - Parameter masterKey: 32 bytes, base64 (what `WELLPLAN_MASTER_KEY` or the key file holds).
    public init(base64 masterKey: String) throws(Failure) {
        guard let data = Data(base64Encoded: masterKey.trimmingCharacters(in: .whitespacesAndNewlines)),
            data.count == 32
        else {
            throw .badMasterKey
        }
        masterBytes = data
    }

    public static func newMasterKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Seals the identifiers, keeping the discussion's existing key when it has one.
    public func seal(_ identifiers: LimitedIdentifiers, discussion: UUID, wrappedKey: Data?) throws -> SealedCompartment
    {
        let key: SymmetricKey
        let wrapped: Data
        if let wrappedKey {
            key = try unwrap(wrappedKey, discussion)
            wrapped = wrappedKey
        } else {
            key = SymmetricKey(size: .bits256)
            wrapped = try AES.GCM.seal(
                key.withUnsafeBytes { Data($0) }, using: master, authenticating: Self.bound(discussion)
            ).combined!
        }
        let plaintext = try JSONEncoder().encode(identifiers)
        let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: Self.bound(discussion))
        return SealedCompartment(wrappedKey: wrapped, ciphertext: sealed.combined!)
    }

    public func open(_ compartment: SealedCompartment, discussion: UUID) throws(Failure) -> LimitedIdentifiers {
        guard let wrappedKey = compartment.wrappedKey else { throw .shredded }
        do {
            let key = try unwrap(wrappedKey, discussion)
            let box = try AES.GCM.SealedBox(combined: compartment.ciphertext)
            return try JSONDecoder().decode(
                LimitedIdentifiers.self, from: AES.GCM.open(box, using: key, authenticating: Self.bound(discussion)))
        } catch {
            throw .tampered
        }
    }

    private func unwrap(_ wrapped: Data, _ discussion: UUID) throws -> SymmetricKey {
        SymmetricKey(
            data: try AES.GCM.open(
                AES.GCM.SealedBox(combined: wrapped), using: master, authenticating: Self.bound(discussion)))
    }

    private static func bound(_ discussion: UUID) -> Data { Data(discussion.uuidString.utf8) }
}
