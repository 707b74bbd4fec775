import Foundation
import SQLKit
import WellplanCore

/// Loads a plan's whole tree as it stands now, with each output's current value.
enum PlanLoader {
    static func snapshot(_ planId: UUID, _ store: RecordStore) async throws -> PlanSnapshot? {
        guard let plan = try await store.find(Plan.self, planId) else { return nil }
        let byPlan = ["planId": planId]
        let priorities = try await store.list(PriorityRiskArea.self, filters: byPlan)
        let recommendations = try await store.list(GuidingRecommendation.self, filters: byPlan)
        var goals: [Goal] = []
        for r in recommendations { goals += try await store.list(Goal.self, filters: ["recommendationId": r.id]) }
        let projects = try await store.list(Project.self, filters: byPlan)
        var outputs: [Output] = [], items: [ActionItem] = [], values: [String: Double] = [:]
        for p in projects {
            let parts = try await projectParts(p.id, store)
            outputs += parts.outputs
            items += parts.actionItems
            values.merge(parts.outputValues) { a, _ in a }
        }
        return PlanSnapshot(
            plan: plan, priorities: priorities, recommendations: recommendations, goals: goals,
            projects: projects, outputs: outputs, actionItems: items, outputValues: values)
    }

    /// A project's outputs with their current values, and its action items: what its progress is made of.
    static func projectParts(_ projectId: UUID, _ store: RecordStore) async throws
        -> (outputs: [Output], actionItems: [ActionItem], outputValues: [String: Double])
    {
        let outputs = try await store.list(Output.self, filters: ["projectId": projectId])
        var work: [CountedWork] = []
        if outputs.contains(where: { $0.computedFrom != nil }) {
            work = try await store.list(Activity.self, filters: ["projectId": projectId]).map(CountedWork.init)
            for audit in try await store.list(CptedAudit.self, filters: ["projectId": projectId]) {
                work.append(CountedWork(audit, recommendations: try await store.list(CptedRecommendation.self, filters: ["auditId": audit.id])))
            }
            for event in try await store.list(Event.self, filters: ["projectId": projectId]) {
                work.append(CountedWork(event, materials: try await store.list(EventMaterial.self, filters: ["eventId": event.id])))
            }
        }
        var values: [String: Double] = [:]
        for o in outputs { values[o.id.uuidString] = o.value(work: work) }
        let items = try await store.list(ActionItem.self, filters: ["projectId": projectId])
        return (outputs, items, values)
    }
}
