/// A status that moves only along set paths: the one workflow mechanism. A CPTED recommendation's and a
/// safety plan's status are edited in their forms and the record writer refuses a move off the paths; a
/// situation-table discussion moves by the table's events, each allowed exactly when it leads to a next status.
public protocol Workflow: LogicCode {
    /// The statuses this one may move to.
    var next: Set<Self> { get }
}

extension Workflow {
    public func mayMove(to other: Self) -> Bool { other == self || next.contains(other) }

    /// Why a record may not move from this status to `other`, or nil when it may.
    public func problem(movingTo other: Self) -> FieldProblem? {
        mayMove(to: other) ? nil : FieldProblem("status", "error_status_transition", [rawValue, other.rawValue])
    }
}
