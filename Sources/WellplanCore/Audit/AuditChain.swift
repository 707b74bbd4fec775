import Crypto
import Foundation

/// One line of the append-only audit log. Each line's hash covers its own content and the
/// previous line's hash, so changing or removing any line breaks every link after it.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var seq: Int
    public var at: Timestamp
    public var actorId: UUID?
    public var actorLabel: String
    public var action: String
    public var subject: String
    public var recordId: String?
    public var before: String?
    public var after: String?
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int, at: Timestamp, actorId: UUID?, actorLabel: String, action: String, subject: String,
        recordId: String?, before: String?, after: String?, prevHash: String
    ) {
        self.seq = seq
        self.at = at
        self.actorId = actorId
        self.actorLabel = actorLabel
        self.action = action
        self.subject = subject
        self.recordId = recordId
        self.before = before
        self.after = after
        self.prevHash = prevHash
        self.hash = ""
        self.hash = computedHash
    }

    /// SHA-256 over every field, each prefixed by its length so no two entries can read the same.
    public var computedHash: String {
        let fields = [
            String(seq), at.description, actorId?.uuidString ?? "", actorLabel, action, subject,
            recordId ?? "", before ?? "", after ?? "", prevHash,
        ]
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hash(data: Data(canonical.utf8)).hexadecimal
    }
}

public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The sequence number of the first entry whose hash, link or numbering is wrong; nil when the chain holds.
    public static func firstBrokenLink(_ entries: some Sequence<AuditEntry>) -> Int? {
        var verifier = Verifier()
        return entries.first { !verifier.accept($0) }?.seq
    }

    /// Checks entries one at a time, in order, so a long log can be read in pages.
    public struct Verifier: Sendable {
        private var previous = AuditChain.genesisHash
        public private(set) var checked = 0

        public init() {}

        /// False at the first entry that is out of sequence, links to the wrong hash, or was altered.
        public mutating func accept(_ entry: AuditEntry) -> Bool {
            guard entry.seq == checked + 1, entry.prevHash == previous, entry.hash == entry.computedHash else {
                return false
            }
            previous = entry.hash
            checked += 1
            return true
        }
    }
}

/// The secret that signs the audit log's head wherever it is kept outside the database it guards (in
/// every backup), so that a log cut short, or edited and chained anew, no longer matches what was signed.
public struct AuditKey: Sendable {
    private let secret: Data

    /// At least 32 bytes of secret.
    public init?(_ secret: String) {
        guard secret.utf8.count >= 32 else { return nil }
        self.secret = Data(secret.utf8)
    }

    /// HMAC-SHA256 of the message, in hexadecimal.
    public func sign(_ message: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)).hexadecimal
    }

    public func verifies(_ signature: String, of message: Data) -> Bool {
        // Compared in constant time: the code is recomputed and both are checked whole.
        let expected = Array(sign(message).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
