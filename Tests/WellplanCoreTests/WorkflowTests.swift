import Foundation
import Testing

@testable import WellplanCore

/// One workflow mechanism (`Workflow`), checked over every enum that is one and every record kind whose
/// status is one, so a new kind with a workflow is held to it without anyone remembering to.
@Suite struct WorkflowTests {
    static let workflows: [any Workflow.Type] = LogicCodes.all.compactMap { $0 as? any Workflow.Type }

    static func reachable<W: Workflow>(_ type: W.Type) -> Set<W> {
        var seen: Set<W> = [], queue = [W.allCases.first!]
        while let status = queue.popLast() {
            if seen.insert(status).inserted { queue += status.next }
        }
        return seen
    }

    static func mayMove<W: Workflow>(_ type: W.Type, _ from: String, _ to: String) -> Bool {
        W(rawValue: from)!.mayMove(to: W(rawValue: to)!)
    }

    @Test func everyStatusIsReachedFromTheFirstAndNoneLeadsToItself() {
        #expect(Self.workflows.count >= 3)
        func check<W: Workflow>(_ type: W.Type) {
            #expect(Self.reachable(type) == Set(W.allCases), "\(W.self): a status no path reaches")
            for status in W.allCases {
                #expect(!status.next.contains(status), "\(W.self).\(status) leads to itself")
            }
        }
        for type in Self.workflows { check(type) }
    }

    /// For every kind with a status field, every move from one code to another: refused exactly when the
    /// kind's status is a workflow and the move is off its paths.
    @Test(arguments: RecordKind.allCases)
    func aRecordsStatusMovesOnlyAlongItsWorkflow(kind: RecordKind) {
        func check<R: Record>(_ type: R.Type) {
            guard let field = R.fields.first(where: { $0.name == "status" }),
                case .choice(let list) = field.kind
            else { return }
            let workflow = Self.workflows.first { $0.list.name == list.name }
            for from in list.codes {
                for to in list.codes {
                    var before = R.blank, after = R.blank
                    field.set(.code(from), in: &before)
                    field.set(.code(to), in: &after)
                    let allowed = workflow.map { Self.mayMove($0, from, to) } ?? true
                    let problem = after.statusProblem(since: before)
                    #expect((problem == nil) == allowed, "\(kind): \(from) → \(to)")
                    if let problem { #expect(problem.field == "status" && problem.values == [from, to]) }
                }
            }
        }
        check(kind.recordType)
    }

    @Test func aDiscussionsEventsAreExactlyTheStepsItsStatusAllows() {
        for status in DiscussionStatus.allCases {
            let led = DiscussionLifecycle.allowedEvents(from: status).map { name in
                DiscussionEvent.Kind(rawValue: name)!.leadsTo
            }
            #expect(Set(led) == status.next, "\(status)")
        }
    }
}
