import Foundation
import Testing

@testable import WellplanCore

@Suite struct RecordInputTests {
    let plan = UUID()

    @Test func aValidProjectParses() throws {
        let project = try RecordInput.parse(
            Project.self, json: ["planId": .string(plan.uuidString), "titleEn": "  Safety plans ", "status": "active"],
            id: UUID())
        #expect(project.titleEn == "Safety plans")
        #expect(project.planId == plan)
    }

    @Test func eachBadFieldIsNamed() {
        #expect(
            throws: WellplanError.invalid([
                FieldProblem("colour", "error_unknown_field"), FieldProblem("planId", "error_not_reference"),
                FieldProblem("titleEn", "error_required"), FieldProblem("status", "error_not_in_list", ["finished"]),
                FieldProblem("weight", "error_not_number"),
            ])
        ) {
            try RecordInput.parse(
                Project.self,
                json: ["planId": "nope", "titleEn": "  ", "status": "finished", "weight": "heavy", "colour": 1],
                id: UUID())
        }
    }

    @Test func datesMustBeRealAndOrdered() {
        #expect(Day("2026-02-29") == nil)
        #expect(Day("2028-02-29") != nil)
        #expect(Day("2026-2-1") == nil)
        #expect(throws: WellplanError.invalid([FieldProblem("termEnd", "error_not_day")])) {
            try RecordInput.parse(
                Plan.self,
                json: [
                    "titleEn": "P", "municipality": "M", "termStart": "2026-01-01", "termEnd": "31/12/2029",
                    "status": "draft",
                ], id: UUID())
        }
        #expect(throws: WellplanError.invalid([FieldProblem("termEnd", "error_ends_before_start")])) {
            try RecordInput.parse(
                Plan.self,
                json: [
                    "titleEn": "P", "municipality": "M", "termStart": "2026-01-01", "termEnd": "2025-12-31",
                    "status": "draft",
                ], id: UUID())
        }
    }

    @Test func formsTurnTextIntoTypedValuesAndNameWhatDidNotParse() throws {
        let form: [String: [String]] = [
            "projectId": [plan.uuidString], "occurredOn": ["2025-10-09"], "summaryEn": ["Events"],
            "eventsHeld": ["3"], "materialsDistributed": ["eighty-two"],
        ]
        #expect(throws: WellplanError.invalid([FieldProblem("materialsDistributed", "error_not_integer")])) {
            try RecordInput.parse(Activity.self, form: form, id: UUID())
        }
        var good = form
        good["materialsDistributed"] = ["82"]
        let activity = try RecordInput.parse(Activity.self, form: good, id: UUID())
        #expect(activity[.materialsDistributed] == 82 && activity.eventsHeld == 3)
        let tagged = try RecordInput.parse(
            PriorityRiskArea.self,
            form: [
                "planId": [plan.uuidString], "number": ["1"], "titleEn": ["Substance use"],
                "planningAreas": ["prevention", "risk_intervention"],
            ], id: UUID())
        #expect(tagged.planningAreas == ["prevention", "risk_intervention"])
    }

    @Test func messagesReadInBothLanguages() {
        let problem = FieldProblem("titleEn", "error_too_long", ["300"])
        #expect(problem.message(.en) == "is too long (at most 300 characters)")
        #expect(problem.message(.fr) == "est trop long (300 caractères au plus)")
    }
}

@Suite struct SnapshotTests {
    @Test func comparingTwoVersionsListsAddedRemovedAndChangedFields() {
        let plan = Plan(titleEn: "P", municipality: "M", termStart: Day("2025-01-01")!, termEnd: Day("2028-12-31")!)
        let kept = Project(planId: plan.id, titleEn: "Kept", status: .planned)
        let dropped = Project(planId: plan.id, titleEn: "Dropped")
        let old = PlanSnapshot(
            plan: plan, priorities: [], recommendations: [], goals: [], projects: [kept, dropped], outputs: [],
            actionItems: [], outputValues: [:])
        var moved = kept
        moved.status = .active
        let added = Project(planId: plan.id, titleEn: "Added")
        let new = PlanSnapshot(
            plan: plan, priorities: [], recommendations: [], goals: [], projects: [moved, added], outputs: [],
            actionItems: [], outputValues: [:])
        let changes = PlanSnapshot.changes(from: old, to: new, language: .en)
        #expect(changes.count == 3)
        #expect(changes.contains { $0.title == "Added" && $0.change == .added })
        #expect(changes.contains { $0.title == "Dropped" && $0.change == .removed })
        #expect(
            changes.contains {
                $0.title == "Kept" && $0.change == .changed
                    && $0.fields == [.init(name: "status", before: "planned", after: "active")]
            })
    }
}
