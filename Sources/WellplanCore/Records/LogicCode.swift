/// Codes the product's own rules read (a table's kind, an action item's status): a Swift enum, so the
/// compiler checks every comparison and every switch, with the shipped code list it stands for giving the
/// labels. The two hold the same codes; a test over every record kind sees to it.
public protocol LogicCode: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable {
    /// The code list whose labels the codes take; never one an admin edits.
    static var list: CodeList { get }
}

extension LogicCode {
    public func label(_ language: Language) -> String { Self.list.label(rawValue, language) }
}

/// Every enum that stands for a code list, for the test that keeps them equal.
public enum LogicCodes {
    public static let all: [any LogicCode.Type] = [
        TableKind.self, ProjectStatus.self, ActionItemStatus.self, DiscussionStatus.self, AdvisorySeat.self,
        ActivityCount.self,
        MeasureType.self, MeasureUnit.self, Polarity.self, MeasureCalculation.self, Period.Frequency.self,
        QuestionKind.self,
        DistributionChannel.self, ActionItemKind.self, RecommendationStatus.self, SafetyPlanStatus.self,
    ]
}
