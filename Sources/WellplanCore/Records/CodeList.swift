import Foundation

/// A versioned list of codes with English and French labels, shipped in `Resources/code-lists.json`.
/// Entries not yet confirmed against their source are marked provisional and shown as such. Admins may
/// add, relabel, confirm and retire entries of the lists in `adminEditable`; those edits are kept with
/// their history by the app and laid over the shipped list here (`CodeListEdits`).
public struct CodeList: Sendable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public let code: String
        public let en: String
        public let fr: String
        public let group: String?
        public let provisional: Bool?
        /// No longer offered in forms; still read, and accepted, in records that hold it.
        public let retired: Bool?

        public init(
            code: String, en: String, fr: String, group: String? = nil, provisional: Bool? = nil, retired: Bool? = nil
        ) {
            self.code = code
            self.en = en
            self.fr = fr
            self.group = group
            self.provisional = provisional
            self.retired = retired
        }

        public func label(_ language: Language) -> String { language == .fr ? fr : en }
        public var isProvisional: Bool { provisional ?? false }
        public var isRetired: Bool { retired ?? false }
    }

    public let name: String
    public let source: String?

    public static func == (a: CodeList, b: CodeList) -> Bool { a.name == b.name }

    /// Every entry, retired ones included, as shipped and then edited.
    public var entries: [Entry] { CodeListEdits.current(name).entries }
    /// The shipped version, and how many edits were laid over it ("2026.1+3").
    public var version: String { CodeListEdits.current(name).version }
    /// The entries offered in forms and the API document.
    public var activeEntries: [Entry] { entries.filter { !$0.isRetired } }

    public func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }
    /// Whether input may hold the code. A retired code is still accepted, so records that hold it can be
    /// saved again; it is only no longer offered.
    public func contains(_ code: String) -> Bool { entry(code) != nil }
    public var codes: [String] { activeEntries.map(\.code) }

    public func label(_ code: String, _ language: Language) -> String { entry(code)?.label(language) ?? code }

    /// The lists an admin may edit. Statuses, seats and counts drive the app's own rules and stay as shipped.
    public static let adminEditable: Set<String> = [
        "risk_factors", "sectors", "discussion_types", "age_bands", "genders", "study_flags", "protective_factors",
        "services_mobilized", "affected_persons", "conclusion_outcomes", "conclusion_reasons", "disaggregations",
    ]

    struct Shipped: Decodable {
        let version: String
        let source: String?
        let entries: [Entry]
    }

    static let shipped: [String: Shipped] = {
        guard let url = Bundle.module.url(forResource: "code-lists", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url),
            let stored = try? JSONDecoder().decode([String: Shipped].self, from: data)
        else { fatalError("Resources/code-lists.json is missing or malformed") }
        return stored
    }()

    public static var all: [String: CodeList] {
        Dictionary(uniqueKeysWithValues: shipped.map { ($0.key, CodeList(name: $0.key, source: $0.value.source)) })
    }

    public static func named(_ name: String) -> CodeList {
        guard let list = shipped[name] else { fatalError("no code list named \(name)") }
        return CodeList(name: name, source: list.source)
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
    public static let eventKinds = named("event_kinds")
    public static let audienceGroups = named("audience_groups")
    public static let materialTypes = named("material_types")
    public static let consultationMethods = named("consultation_methods")
    public static let consultationTopics = named("consultation_topics")
    public static let questionKinds = named("question_kinds")
    public static let safetyPlanTopics = named("safety_plan_topics")
    public static let safetyPlanStatuses = named("safety_plan_statuses")
    public static let distributionChannels = named("distribution_channels")
    public static let layerKinds = named("layer_kinds")
    public static let auditMethods = named("audit_methods")
    public static let lightingConditions = named("lighting_conditions")
    public static let cptedPrinciples = named("cpted_principles")
    public static let checklistRatings = named("checklist_ratings")
    public static let findingSeverities = named("finding_severities")
    public static let recommendationCategories = named("recommendation_categories")
    public static let costBands = named("cost_bands")
    public static let recommendationPriorities = named("recommendation_priorities")
    public static let recommendationStatuses = named("recommendation_statuses")
    public static let measureTypes = named("measure_types")
    public static let rbaQuadrants = named("rba_quadrants")
    public static let polarities = named("polarities")
    public static let measureUnits = named("measure_units")
    public static let measureFrequencies = named("measure_frequencies")
    public static let measureCalculations = named("measure_calculations")
    public static let disaggregations = named("disaggregations")
    public static let statisticsSharing = named("statistics_sharing")
}
