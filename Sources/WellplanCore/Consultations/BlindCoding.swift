import Foundation

/// Coders read each answer without seeing how others coded it, so that their agreement measures two
/// independent readings. A coder sees another's codings of an answer once both have finished it, or
/// when the lead reveals every coding (to settle differences, after the agreement is taken).
public struct BlindCoding: Sendable, Equatable {
    /// The answers each coder has finished.
    public let finished: [UUID: Set<UUID>]
    /// Whether the lead has revealed every coding to every coder.
    public let revealed: Bool

    public init(finished: [UUID: Set<UUID>], revealed: Bool) { (self.finished, self.revealed) = (finished, revealed) }

    /// The codings `coder` may see: their own, and others' on answers both have finished.
    public func visible(_ codings: [Coding], to coder: UUID?) -> [Coding] {
        guard !revealed else { return codings }
        return codings.filter {
            $0.coderId == coder || (hasFinished($0.answerId, coder) && hasFinished($0.answerId, $0.coderId))
        }
    }

    /// Whether `coder` has finished `answer`.
    public func hasFinished(_ answer: UUID, _ coder: UUID?) -> Bool {
        coder.map { finished[$0]?.contains(answer) ?? false } ?? false
    }
}
