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
            let projectOutputs = try await store.list(Output.self, filters: ["projectId": p.id])
            let activities = projectOutputs.contains { $0.computedFrom != nil }
                ? try await store.list(Activity.self, filters: ["projectId": p.id]) : []
            for o in projectOutputs { values[o.id.uuidString] = o.value(activities: activities) }
            outputs += projectOutputs
            items += try await store.list(ActionItem.self, filters: ["projectId": p.id])
        }
        return PlanSnapshot(plan: plan, priorities: priorities, recommendations: recommendations, goals: goals,
                            projects: projects, outputs: outputs, actionItems: items, outputValues: values)
    }
}
