import Foundation

extension PlanSnapshot {
    /// The plan's progress rolled up: projects → recommendations → priorities → plan,
    /// each level a weighted mean of the level below with its formula.
    public func progress(_ language: Language) -> Progress {
        func text(_ en: String, _ fr: String?) -> String { language == .fr ? (fr ?? en) : en }
        func project(_ p: Project) -> Progress {
            .of(
                p, outputs: outputs.filter { $0.projectId == p.id },
                actionItems: actionItems.filter { $0.projectId == p.id },
                outputValues: outputValues, language: language)
        }
        func recommendation(_ r: GuidingRecommendation) -> Progress {
            Progress.combine(
                title: "\(r.number) — \(text(r.statementEn, r.statementFr))", weight: r.weight,
                parts: projects.filter { $0.recommendationId == r.id }.map(project), language: language
            )
            .about(.recommendation, r.id)
        }
        func priority(_ a: PriorityRiskArea) -> Progress {
            Progress.combine(
                title: "\(a.number). \(text(a.titleEn, a.titleFr))", weight: a.weight,
                parts: recommendations.filter { $0.priorityId == a.id }.map(recommendation), language: language
            )
            .about(.priority, a.id)
        }
        let known = Set(recommendations.map(\.id))
        let parts =
            priorities.map(priority)
            + recommendations.filter { $0.priorityId == nil }.map(recommendation)
            + projects.filter { $0.recommendationId == nil || !known.contains($0.recommendationId!) }.map(project)
        return Progress.combine(title: text(plan.titleEn, plan.titleFr), weight: 1, parts: parts, language: language)
            .about(.plan, plan.id)
    }
}

extension Progress {
    /// One project's progress, from its own outputs (with their values by output id) and action items.
    public static func of(
        _ p: Project, outputs: [Output], actionItems: [ActionItem], outputValues: [String: Double],
        language: Language
    ) -> Progress {
        project(
            title: language == .fr ? (p.titleFr ?? p.titleEn) : p.titleEn, weight: p.weight, actionItems: actionItems,
            outputs: outputs.map { ($0, outputValues[$0.id.uuidString]) }, language: language
        )
        .about(.project, p.id)
    }

    /// The same figure, linked to the record it is about.
    func about(_ kind: RecordKind, _ id: UUID) -> Progress {
        var p = self
        p.kind = kind
        p.id = id
        return p
    }

    /// The tree as rows with their depth, for a table on a page or in a report.
    public func flattened(depth: Int = 0) -> [(depth: Int, progress: Progress)] {
        [(depth, self)] + parts.filter { $0.kind != nil }.flatMap { $0.flattened(depth: depth + 1) }
    }
}
