import Foundation

/// A plan as it stood when a version was published: frozen, so what council adopted and the
/// public read stays as it was whatever changes later.
public struct PlanSnapshot: Sendable, Codable, Equatable {
    public var plan: Plan
    public var priorities: [PriorityRiskArea]
    public var recommendations: [GuidingRecommendation]
    public var goals: [Goal]
    public var projects: [Project]
    public var outputs: [Output]
    public var actionItems: [ActionItem]
    /// Each output's value when the version was frozen (computed outputs included), by output id.
    public var outputValues: [String: Double]

    public init(
        plan: Plan, priorities: [PriorityRiskArea], recommendations: [GuidingRecommendation], goals: [Goal],
        projects: [Project], outputs: [Output], actionItems: [ActionItem], outputValues: [String: Double]
    ) {
        self.plan = plan
        self.priorities = priorities.sorted { $0.number < $1.number }
        self.recommendations = recommendations.sorted { $0.number < $1.number }
        self.goals = goals
        self.projects = projects.sorted { $0.titleEn < $1.titleEn }
        self.outputs = outputs
        self.actionItems = actionItems
        self.outputValues = outputValues
    }

    var allRecords: [any Record] {
        [plan] + priorities + recommendations + goals + projects + outputs + actionItems
    }

    /// What differs between two versions, record by record and field by field.
    public static func changes(from old: PlanSnapshot, to new: PlanSnapshot, language: Language) -> [SnapshotChange] {
        func index(_ s: PlanSnapshot) -> [UUID: any Record] {
            Dictionary(s.allRecords.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let before = index(old), after = index(new)
        var changes: [SnapshotChange] = []
        for record in new.allRecords {
            let kind = type(of: record).kind
            guard let previous = before[record.id] else {
                changes.append(
                    SnapshotChange(kind: kind, id: record.id, title: record.title(language), change: .added, fields: [])
                )
                continue
            }
            let a = previous.values
            let b = record.values
            let differing = type(of: record).descriptions.map(\.name).filter {
                describe(a[$0], language) != describe(b[$0], language)
            }
            if !differing.isEmpty {
                changes.append(
                    SnapshotChange(
                        kind: kind, id: record.id, title: record.title(language), change: .changed,
                        fields: differing.map {
                            .init(name: $0, before: describe(a[$0], language), after: describe(b[$0], language))
                        }))
            }
        }
        for record in old.allRecords where after[record.id] == nil {
            changes.append(
                SnapshotChange(
                    kind: type(of: record).kind, id: record.id, title: record.title(language), change: .removed,
                    fields: []))
        }
        for (id, value) in new.outputValues.sorted(by: { $0.key < $1.key }) where old.outputValues[id] != value {
            if let uuid = UUID(uuidString: id), let output = after[uuid] {
                changes.append(
                    SnapshotChange(
                        kind: .output, id: uuid, title: output.title(language), change: .changed,
                        fields: [
                            .init(
                                name: "value", before: old.outputValues[id].map { Progress.number($0, language) } ?? "",
                                after: Progress.number(value, language))
                        ]))
            }
        }
        return changes
    }

    private static func describe(_ value: FieldValue?, _ language: Language) -> String {
        switch value {
        case nil: ""
        case .number(let number): Progress.number(number, language)
        case .flag(let flag): String(flag)
        case let value?: value.formTexts.joined(separator: ", ")
        }
    }
}

public struct SnapshotChange: Sendable, Codable, Equatable {
    public enum Change: String, Sendable, Codable { case added, removed, changed }
    public struct Field: Sendable, Codable, Equatable {
        public let name: String
        public let before: String
        public let after: String
    }
    public let kind: RecordKind
    public let id: UUID
    public let title: String
    public let change: Change
    public let fields: [Field]
}
