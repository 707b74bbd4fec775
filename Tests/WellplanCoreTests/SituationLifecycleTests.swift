import Foundation
import Testing

@testable import WellplanCore

@Suite struct SituationLifecycleTests {
    let lead = UUID(), helper = UUID()

    func presented() -> SituationDiscussion {
        SituationDiscussion(
            tableId: UUID(), number: 7, presentedOn: Day("2026-03-02")!, discussionType: "person", ageBand: "16-17",
            gender: "female", originatingSector: "education", area: "North end",
            summary: "Chronic absence, negative peers.",
            riskFactors: ["missing_school.truancy", "negative_peers.associating"], studyFlags: ["opioids"],
            protectiveFactors: ["adult_relationship"], affectedPersons: ["sibling"], servicesMobilized: ["education"])
    }

    func run(_ events: [DiscussionEvent]) throws(WellplanError) -> SituationDiscussion {
        var d = presented()
        for event in events { d = try DiscussionLifecycle.apply(event, to: d) }
        return d
    }

    var toConclusion: [DiscussionEvent] {
        [
            .accept(on: Day("2026-03-02")!),
            .planIntervention(lead: lead, assisting: [helper, lead], firstContactPlannedOn: Day("2026-03-03")!),
            .recordFirstContact(on: Day("2026-03-04")!),
            .conclude(outcome: "risk_lowered", reason: "risk_lowered.connected", on: Day("2026-04-01")!),
        ]
    }

    @Test func theWholeWayFromPresentedToConcluded() throws {
        let d = try run(toConclusion)
        #expect(d.lifecycleStatus == .concluded)
        #expect(d.assignedOrganizations == [lead, helper])
        #expect(d.assistingOrganizations == [helper])  // the lead is not also an assisting agency
        #expect(d.mobilizationDays == 2)
    }

    @Test func rejectionKeepsOnlyWhatTheRTDKeeps() throws {
        let d = try run([.reject])
        #expect(Set(d.values.keys) == SituationDiscussion.keptWhenRejected.subtracting(["id"]))
        #expect(d.summary == nil && d.riskFactors == nil && d.area == nil)
    }

    @Test func aRejectedDiscussionRefusesEveryOtherField() throws {
        var d = try run([.reject])
        d.riskFactors = ["alcohol.use_by_person"]
        d.summary = "More detail"
        #expect(
            d.ruleProblems() == [
                FieldProblem("summary", "error_rejected_keeps_only"),
                FieldProblem("riskFactors", "error_rejected_keeps_only"),
            ])
    }

    @Test(arguments: [
        ([DiscussionEvent.reject], DiscussionEvent.accept(on: Day("2026-03-02")!), "error_transition_rejected"),
        ([.accept(on: Day("2026-03-02")!)], .reject, "error_transition_not_presented"),
        ([.accept(on: Day("2026-03-02")!)], .returnToAgency, "error_transition_not_presented"),
        (
            [], .planIntervention(lead: UUID(), assisting: [], firstContactPlannedOn: Day("2026-03-03")!),
            "error_transition_not_accepted"
        ),
        ([], .recordFirstContact(on: Day("2026-03-03")!), "error_transition_not_planned"),
        (
            [.accept(on: Day("2026-03-02")!)], .recordFirstContact(on: Day("2026-03-03")!),
            "error_transition_not_planned"
        ),
        (
            [.accept(on: Day("2026-03-02")!)],
            .conclude(outcome: "still_aer", reason: "still_aer.refused", on: Day("2026-03-09")!),
            "error_transition_not_active"
        ),
        ([], .presentAgain, "error_transition_not_returned"),
        ([.returnToAgency], .accept(on: Day("2026-03-02")!), "error_transition_not_presented"),
    ])
    func impossibleTransitionsAreRefusedWithTheirReason(before: [DiscussionEvent], event: DiscussionEvent, key: String)
        throws
    {
        let d = try run(before)
        #expect(throws: WellplanError.invalid([FieldProblem("status", key)])) {
            try DiscussionLifecycle.apply(event, to: d)
        }
    }

    @Test func aConcludedDiscussionCannotMove() throws {
        let d = try run(toConclusion)
        for event in [DiscussionEvent.reject, .presentAgain, .recordFirstContact(on: Day("2026-05-01")!)] {
            #expect(throws: WellplanError.invalid([FieldProblem("status", "error_transition_concluded")])) {
                try DiscussionLifecycle.apply(event, to: d)
            }
        }
    }

    @Test func aReturnedDiscussionMayBePresentedAgain() throws {
        #expect(
            try run([.returnToAgency, .presentAgain, .accept(on: Day("2026-03-09")!)]).lifecycleStatus == .accepted)
    }

    @Test func transitionsCheckTheirDatesAndCodes() throws {
        #expect(throws: WellplanError.invalid([FieldProblem("acceptedOn", "error_before_presented")])) {
            try run([.accept(on: Day("2026-03-01")!)])
        }
        let active = try run(Array(toConclusion.prefix(3)))
        #expect(throws: WellplanError.invalid([FieldProblem("conclusionReason", "error_reason_not_for_outcome")])) {
            try DiscussionLifecycle.apply(
                .conclude(outcome: "risk_lowered", reason: "still_aer.refused", on: Day("2026-04-01")!), to: active)
        }
    }

    @Test func fieldsOfALaterStageAreRefused() {
        var d = presented()
        d.leadOrganizationId = lead
        d.concludedOn = Day("2026-04-01")
        #expect(
            d.ruleProblems() == [
                FieldProblem("leadOrganizationId", "error_field_not_yet"),
                FieldProblem("concludedOn", "error_field_not_yet"),
            ])
    }

    @Test func refusalsAreWordedInBothLanguages() throws {
        let problem = FieldProblem("status", "error_transition_not_accepted")
        #expect(problem.message(.en).contains("accepted"))
        #expect(problem.message(.fr).contains("accept"))
        #expect(problem.message(.en) != problem.message(.fr))
    }
}
