import Foundation

/// De-identified discussions as the Risk-driven Tracking Database takes them: one row per discussion,
/// English labels, multi-valued fields in one cell separated by semicolons, and "N/A" where a rejected
/// discussion's data is redacted. No narrative, no area, and nothing from the compartment.
public enum RTDFormat {
    public static let columns = [
        "discussion_id", "date_presented", "status", "discussion_type", "age_group", "gender", "originating_sector",
        "lead_agency", "lead_sector", "assisting_agencies", "assisting_sectors", "risk_factors", "study_flags",
        "protective_factors",
        "affected_persons", "services_mobilized", "date_accepted", "date_first_contact", "date_concluded",
        "conclusion_outcome",
        "conclusion_reason", "mobilization_days",
    ]

    public static let notApplicable = "N/A"
    static let multiSeparator = "; "

    /// Organizations by id: their name and sector, for the agency columns.
    public typealias Agencies = [UUID: (name: String, sector: String)]

    public static func row(_ d: SituationDiscussion, agencies: Agencies) -> [String] {
        let rejected = d.lifecycleStatus == .rejected
        func labels(_ set: TagSet?, _ list: CodeList) -> String {
            rejected ? notApplicable : (set?.codes ?? []).map { list.label($0, .en) }.joined(separator: multiSeparator)
        }
        func label(_ code: String?, _ list: CodeList) -> String { code.map { list.label($0, .en) } ?? "" }
        let assisting = d.assistingOrganizations.compactMap { agencies[$0] }
        let lead = d.leadOrganizationId.flatMap { agencies[$0] }
        return [
            d.number.map(String.init) ?? "", d.presentedOn.description, label(d.status?.rawValue, .discussionStatuses),
            label(d.discussionType, .discussionTypes), label(d.ageBand, .ageBands), label(d.gender, .genders),
            label(d.originatingSector, .sectors), lead?.name ?? "", label(lead?.sector, .sectors),
            rejected ? notApplicable : assisting.map(\.name).joined(separator: multiSeparator),
            rejected
                ? notApplicable
                : Array(Set(assisting.map(\.sector))).sorted().map { CodeList.sectors.label($0, .en) }.joined(
                    separator: multiSeparator),
            labels(d.riskFactors, .riskFactors), labels(d.studyFlags, .studyFlags),
            labels(d.protectiveFactors, .protectiveFactors),
            labels(d.affectedPersons, .affectedPersons), labels(d.servicesMobilized, .servicesMobilized),
            d.acceptedOn?.description ?? "", d.firstContactOn?.description ?? "", d.concludedOn?.description ?? "",
            label(d.conclusionOutcome, .conclusionOutcomes), label(d.conclusionReason, .conclusionReasons),
            d.mobilizationDays.map(String.init) ?? "",
        ]
    }

    /// A code from its code, or its English or French label, compared without case.
    /// A label may stand in more than one group ("Other" is a reason under each outcome): `group` picks among them.
    static func code(_ text: String, _ list: CodeList, group: String? = nil) -> String? {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        func same(_ a: String) -> Bool {
            a.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded
        }
        return list.entries.first {
            (group == nil || $0.group == group) && (same($0.code) || same($0.en) || same($0.fr))
        }?.code
    }
}

/// Reads a table's earlier history from an RTD-style CSV into discussions in their final state.
/// Agencies are matched by name, or else by sector among the agencies that sit at the table.
public struct RTDHistoryImporter: RowImporter {
    public let requiredColumns = [
        "date_presented", "status", "discussion_type", "age_group", "gender", "originating_sector",
    ]
    let table: UUID
    let agencies: RTDFormat.Agencies
    let agenciesAtTable: [UUID]
    var taken: Set<Int>
    let guardian: IdentifierGuard

    public init(
        table: UUID, agencies: RTDFormat.Agencies, agenciesAtTable: [UUID], takenNumbers: Set<Int>,
        guardian: IdentifierGuard
    ) {
        self.table = table
        self.agencies = agencies
        self.agenciesAtTable = agenciesAtTable
        self.taken = takenNumbers
        self.guardian = guardian
    }

    /// The CSV column a record field comes from, so a rule's problem names what the file calls it.
    static let columns = [
        "presentedOn": "date_presented", "acceptedOn": "date_accepted", "firstContactOn": "date_first_contact",
        "concludedOn": "date_concluded",
        "riskFactors": "risk_factors", "studyFlags": "study_flags", "protectiveFactors": "protective_factors",
        "affectedPersons": "affected_persons",
        "servicesMobilized": "services_mobilized", "leadOrganizationId": "lead_agency",
        "assistingOrganizationIds": "assisting_agencies",
        "firstContactPlannedOn": "date_first_contact", "conclusionOutcome": "conclusion_outcome",
        "conclusionReason": "conclusion_reason",
    ]

    public mutating func item(_ row: ImportRow) throws(WellplanError) -> SituationDiscussion {
        var problems: [FieldProblem] = []
        func code(_ column: String, _ list: CodeList, required: Bool = true, group: String? = nil) -> String? {
            let text = row[column]
            if text.isEmpty || text == RTDFormat.notApplicable {
                if required { problems.append(FieldProblem(column, "error_required")) }
                return nil
            }
            guard let code = RTDFormat.code(text, list, group: group) ?? RTDFormat.code(text, list) else {
                problems.append(FieldProblem(column, "error_not_in_list", [text]))
                return nil
            }
            return code
        }
        func codes(_ column: String, _ list: CodeList) -> TagSet? {
            let text = row[column]
            if text.isEmpty || text == RTDFormat.notApplicable { return nil }
            let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            var found: [String] = []
            for part in parts {
                if let c = RTDFormat.code(part, list) {
                    found.append(c)
                } else {
                    problems.append(FieldProblem(column, "error_not_in_list", [part]))
                }
            }
            return TagSet(found)
        }
        func day(_ column: String, required: Bool = false) -> Day? {
            let text = row[column]
            if text.isEmpty {
                if required { problems.append(FieldProblem(column, "error_required")) }
                return nil
            }
            guard let day = Day(text) else {
                problems.append(FieldProblem(column, "error_not_day"))
                return nil
            }
            return day
        }
        func agency(name: String, sector: String?, column: String) -> UUID? {
            if !name.isEmpty {
                if let id = agencies.first(where: { $0.value.name.caseInsensitiveCompare(name) == .orderedSame })?.key {
                    return id
                }
                problems.append(FieldProblem(column, "error_unknown_agency", [name]))
                return nil
            }
            guard let sector else { return nil }
            if let id = agenciesAtTable.first(where: { agencies[$0]?.sector == sector }) { return id }
            problems.append(FieldProblem(column, "error_no_agency_of_sector", [CodeList.sectors.label(sector, .en)]))
            return nil
        }

        var number: Int?
        if !row["discussion_id"].isEmpty {
            if let n = Int(row["discussion_id"]), n > 0 {
                if taken.contains(n) {
                    problems.append(FieldProblem("discussion_id", "error_discussion_number_taken", [String(n)]))
                }
                number = n
            } else {
                problems.append(FieldProblem("discussion_id", "error_not_integer"))
            }
        }
        var d = SituationDiscussion(
            tableId: table, number: number,
            presentedOn: day("date_presented", required: true) ?? Day(year: 2000, month: 1, day: 1)!,
            discussionType: code("discussion_type", .discussionTypes) ?? "",
            ageBand: code("age_group", .ageBands) ?? "",
            gender: code("gender", .genders) ?? "", originatingSector: code("originating_sector", .sectors) ?? "",
            area: row["area"].isEmpty ? nil : row["area"],
            summary: row["summary"].isEmpty ? nil : row["summary"],
            riskFactors: codes("risk_factors", .riskFactors), studyFlags: codes("study_flags", .studyFlags),
            protectiveFactors: codes("protective_factors", .protectiveFactors),
            affectedPersons: codes("affected_persons", .affectedPersons),
            servicesMobilized: codes("services_mobilized", .servicesMobilized))
        d.status = code("status", .discussionStatuses).flatMap(DiscussionStatus.init(rawValue:))
        d.acceptedOn = day("date_accepted")
        d.firstContactOn = day("date_first_contact")
        d.concludedOn = day("date_concluded")
        d.conclusionOutcome = code("conclusion_outcome", .conclusionOutcomes, required: false)
        d.conclusionReason = code("conclusion_reason", .conclusionReasons, required: false, group: d.conclusionOutcome)
        if d.lifecycleStatus.metThreshold, d.lifecycleStatus != .accepted {
            d.leadOrganizationId = agency(
                name: row["lead_agency"], sector: code("lead_sector", .sectors, required: false),
                column: "lead_agency")
            var assisting = row["assisting_agencies"].split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
                .compactMap { agency(name: $0, sector: nil, column: "assisting_agencies") }
            if assisting.isEmpty, let sectors = codes("assisting_sectors", .sectors) {
                assisting = sectors.codes.compactMap { agency(name: "", sector: $0, column: "assisting_sectors") }
            }
            d.assistingOrganizationIds = TagSet(assisting.filter { $0 != d.leadOrganizationId }.map(\.uuidString))
            // The plan date is not in the RTD; the first contact stands in for it.
            d.firstContactPlannedOn = d.firstContactOn ?? d.acceptedOn
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        let ruleProblems = d.ruleProblems() + guardian.problems(in: ["area": d.area, "summary": d.summary])
        guard ruleProblems.isEmpty else {
            throw .invalid(
                ruleProblems.map { FieldProblem(Self.columns[$0.field] ?? $0.field, $0.messageKey, $0.values) })
        }
        if let number { taken.insert(number) }
        return d
    }
}
