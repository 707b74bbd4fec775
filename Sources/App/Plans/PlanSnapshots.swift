import Foundation
import SQLKit
import WellplanCore

/// Loads a plan's whole tree as it stands now, with each output's current value: one statement per
/// kind of record, however many projects the plan holds.
enum PlanSnapshots {
    static func snapshot(_ planId: UUID, _ store: Records) async throws -> PlanSnapshot? {
        guard let plan = try await store.find(Plan.self, planId) else { return nil }
        let byPlan = ["planId": planId]
        let priorities = try await store.list(PriorityRiskArea.self, filters: byPlan)
        let recommendations = try await store.list(GuidingRecommendation.self, filters: byPlan)
        let goals = try await store.list(Goal.self, among: ("recommendationId", recommendations.map(\.id)))
        let projects = try await store.list(Project.self, filters: byPlan)
        let parts = try await projectParts(projects.map(\.id), store)
        return PlanSnapshot(
            plan: plan, priorities: priorities, recommendations: recommendations, goals: goals,
            projects: projects, outputs: parts.outputs, actionItems: parts.actionItems, outputValues: parts.outputValues
        )
    }

    /// Projects' outputs with their current values, and their action items: what their progress is made of.
    static func projectParts(_ projectIds: [UUID], _ store: Records) async throws
        -> (outputs: [Output], actionItems: [ActionItem], outputValues: [String: Double])
    {
        let byProject = (field: "projectId", ids: projectIds)
        let outputs = try await store.list(Output.self, among: byProject)
        // The work each project did, which outputs computed from it count.
        var work: [UUID: [CountedWork]] = [:]
        if outputs.contains(where: { $0.computedFrom != nil }) {
            for activity in try await store.list(Activity.self, among: byProject) {
                work[activity.projectId, default: []].append(CountedWork(activity))
            }
            let audits = try await store.list(CptedAudit.self, among: byProject)
            let recommendations = try await store.list(CptedRecommendation.self, among: ("auditId", audits.map(\.id)))
            for audit in audits {
                work[audit.projectId, default: []].append(
                    CountedWork(audit, recommendations: recommendations.filter { $0.auditId == audit.id }))
            }
            let events = try await store.list(Event.self, among: byProject)
            let materials = try await store.list(EventMaterial.self, among: ("eventId", events.map(\.id)))
            for event in events {
                guard let project = event.projectId else { continue }
                work[project, default: []].append(CountedWork(event, materials: materials))
            }
        }
        var values: [String: Double] = [:]
        for o in outputs { values[o.id.uuidString] = o.value(work: work[o.projectId] ?? []) }
        let items = try await store.list(ActionItem.self, among: byProject)
        return (outputs, items, values)
    }
}
