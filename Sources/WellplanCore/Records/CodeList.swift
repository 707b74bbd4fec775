import Foundation

/// A versioned list of codes with English and French labels (`Resources/code-lists.json`).
/// Entries not yet confirmed against their source are marked provisional and shown as such.
public struct CodeList: Sendable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public let code: String
        public let en: String
        public let fr: String
        public let group: String?
        public let provisional: Bool?

        public func label(_ language: Language) -> String { language == .fr ? fr : en }
        public var isProvisional: Bool { provisional ?? false }
    }

    public let name: String
    public let version: String
    public let source: String?
    public let entries: [Entry]

    public static func == (a: CodeList, b: CodeList) -> Bool { a.name == b.name && a.version == b.version }

    public func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }
    public func contains(_ code: String) -> Bool { entry(code) != nil }
    public var codes: [String] { entries.map(\.code) }

    public func label(_ code: String, _ language: Language) -> String { entry(code)?.label(language) ?? code }

    public static let all: [String: CodeList] = {
        struct Stored: Decodable {
            let version: String
            let source: String?
            let entries: [Entry]
        }
        guard let url = Bundle.module.url(forResource: "code-lists", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url),
            let stored = try? JSONDecoder().decode([String: Stored].self, from: data)
        else { fatalError("Resources/code-lists.json is missing or malformed") }
        return Dictionary(
            uniqueKeysWithValues: stored.map {
                ($0.key, CodeList(name: $0.key, version: $0.value.version, source: $0.value.source, entries: $0.value.entries))
            })
    }()

    public static func named(_ name: String) -> CodeList {
        guard let list = all[name] else { fatalError("no code list named \(name)") }
        return list
    }

    public static let sectors = named("sectors")
    public static let planningAreas = named("planning_areas")
    public static let riskFactors = named("risk_factors")
    public static let tableKinds = named("table_kinds")
    public static let membershipRoles = named("membership_roles")
    public static let advisorySeats = named("advisory_seats")
    public static let planStatuses = named("plan_statuses")
    public static let projectStatuses = named("project_statuses")
    public static let actionItemStatuses = named("action_item_statuses")
    public static let actionItemKinds = named("action_item_kinds")
    public static let logicModelLevels = named("logic_model_levels")
    public static let activityCounts = named("activity_counts")
    public static let discussionStatuses = named("discussion_statuses")
    public static let discussionTypes = named("discussion_types")
    public static let ageBands = named("age_bands")
    public static let genders = named("genders")
    public static let studyFlags = named("study_flags")
    public static let protectiveFactors = named("protective_factors")
    public static let servicesMobilized = named("services_mobilized")
    public static let affectedPersons = named("affected_persons")
    public static let conclusionOutcomes = named("conclusion_outcomes")
    public static let conclusionReasons = named("conclusion_reasons")
}
