import Foundation

extension PlanSnapshot {
    /// The plan's progress rolled up: projects → recommendations → priorities → plan,
    /// each level a weighted mean of the level below with its formula.
    public func progress(_ language: Language) -> Progress {
        func text(_ en: String, _ fr: String?) -> String { language == .fr ? (fr ?? en) : en }
        func tagged(_ p: Progress, _ kind: RecordKind, _ id: UUID) -> Progress {
            var p = p
            (p.kind, p.id) = (kind, id)
            return p
        }
        func project(_ p: Project) -> Progress {
            let outs = outputs.filter { $0.projectId == p.id }.map { ($0, outputValues[$0.id.uuidString]) }
            return tagged(.project(title: text(p.titleEn, p.titleFr), weight: p.weight,
                                   actionItems: actionItems.filter { $0.projectId == p.id }, outputs: outs, language: language),
                          .project, p.id)
        }
        func recommendation(_ r: GuidingRecommendation) -> Progress {
            tagged(.combine(title: "\(r.number) — \(text(r.statementEn, r.statementFr))", weight: r.weight,
                            parts: projects.filter { $0.recommendationId == r.id }.map(project), language: language),
                   .recommendation, r.id)
        }
        func priority(_ a: PriorityRiskArea) -> Progress {
            tagged(.combine(title: "\(a.number). \(text(a.titleEn, a.titleFr))", weight: a.weight,
                            parts: recommendations.filter { $0.priorityId == a.id }.map(recommendation), language: language),
                   .priority, a.id)
        }
        let known = Set(recommendations.map(\.id))
        let parts = priorities.map(priority)
            + recommendations.filter { $0.priorityId == nil }.map(recommendation)
            + projects.filter { $0.recommendationId == nil || !known.contains($0.recommendationId!) }.map(project)
        return tagged(.combine(title: text(plan.titleEn, plan.titleFr), weight: 1, parts: parts, language: language), .plan, plan.id)
    }
}

extension Progress {
    /// The tree as rows with their depth, for a table on a page or in a report.
    public func flattened(depth: Int = 0) -> [(depth: Int, progress: Progress)] {
        [(depth, self)] + parts.filter { $0.kind != nil }.flatMap { $0.flattened(depth: depth + 1) }
    }
}
