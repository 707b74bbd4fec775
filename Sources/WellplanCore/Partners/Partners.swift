import Foundation

/// An agency, service or group that takes part in the plan.
public struct Organization: Record {
    public static let kind = RecordKind.organization
    public static let path = "organizations"
    public static var listOrder: [PartialKeyPath<Organization>] { [\.nameEn] }
    public static let blank = Organization(id: .none, nameEn: "", sector: "")
    public static let fields: [Field<Organization>] = [
        .text(\.nameEn, max: 200),
        .text(\.nameFr, max: 200),
        .choice(\.sector, .sectors),
        .text(\.website, max: 300),
        .longText(\.notes),
    ]
    public var id: UUID
    public var nameEn: String
    public var nameFr: String?
    public var sector: String
    public var website: String?
    public var notes: String?

    public init(
        id: UUID = UUID(), nameEn: String, nameFr: String? = nil, sector: String, website: String? = nil,
        notes: String? = nil
    ) {
        self.id = id
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.sector = sector
        self.website = website
        self.notes = notes
    }

    public func ruleProblems() -> [FieldProblem] {
        guard let website, !(website.hasPrefix("https://") || website.hasPrefix("http://")) else { return [] }
        return [FieldProblem("website", "error_not_web_address")]
    }
}

/// Someone who sits on a table for an organization. Partners' staff, not residents.
public struct Person: Record {
    public static let kind = RecordKind.person
    public static let path = "people"
    public static var listOrder: [PartialKeyPath<Person>] { [\.name] }
    public static let blank = Person(id: .none, name: "")
    public static let fields: [Field<Person>] = [
        .text(\.name, max: 200),
        .text(\.jobTitle, max: 200),
        .text(\.email, max: 254),
        .reference(\.organizationId, .organization),
    ]
    public var id: UUID
    public var name: String
    public var jobTitle: String?
    public var email: String?
    public var organizationId: UUID?

    public init(
        id: UUID = UUID(), name: String, jobTitle: String? = nil, email: String? = nil, organizationId: UUID? = nil
    ) {
        self.id = id
        self.name = name
        self.jobTitle = jobTitle
        self.email = email
        self.organizationId = organizationId
    }

    public func ruleProblems() -> [FieldProblem] {
        guard let email else { return [] }
        let parts = email.split(separator: "@")
        return parts.count == 2 && parts[1].contains(".") && !email.contains(" ")
            ? [] : [FieldProblem("email", "error_not_email")]
    }
}

/// A table of any kind: advisory committee, leadership council, action table, working group, situation table.
public struct PartnerTable: Record {
    public static let kind = RecordKind.partnerTable
    public static let path = "tables"
    public static let table = "partner_tables"
    public static var listOrder: [PartialKeyPath<PartnerTable>] { [\.nameEn] }
    public static let blank = PartnerTable(id: .none, nameEn: "", kind: .advisoryCommittee)
    public static let fields: [Field<PartnerTable>] = [
        .text(\.nameEn, max: 200),
        .text(\.nameFr, max: 200),
        .code(\.kind),
        .reference(\.planId, .plan),
        .longText(\.purposeEn),
        .longText(\.purposeFr),
        .tags(\.absentSeats, .advisorySeats),
        .choice(\.statisticsShared, .statisticsSharing),
    ]
    public var id: UUID
    public var nameEn: String
    public var nameFr: String?
    public var kind: TableKind
    public var planId: UUID?
    public var purposeEn: String?
    public var purposeFr: String?
    /// Advisory seats marked "no such entity in the municipality" (allowed for seats 3–5 only).
    public var absentSeats: TagSet?
    /// Who beyond a situation table's own members sees its released statistics; nobody when empty.
    public var statisticsShared: String?

    /// Who beyond its members a situation table's statistics are released to.
    public enum StatisticsSharing: String, Sendable {
        case partners
        case `public`
    }

    public init(
        id: UUID = UUID(), nameEn: String, nameFr: String? = nil, kind: TableKind, planId: UUID? = nil,
        purposeEn: String? = nil, purposeFr: String? = nil, absentSeats: TagSet? = nil,
        statisticsShared: StatisticsSharing? = nil
    ) {
        self.id = id
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.kind = kind
        self.planId = planId
        self.purposeEn = purposeEn
        self.purposeFr = purposeFr
        self.absentSeats = absentSeats
        self.statisticsShared = statisticsShared?.rawValue
    }

    /// Whether `audience` may see this table's released statistics.
    public func sharesStatistics(with audience: Audience) -> Bool {
        switch statisticsShared.flatMap(StatisticsSharing.init(rawValue:)) {
        case .public: true
        case .partners: audience == .partners
        case nil: false
        }
    }

    public func ruleProblems() -> [FieldProblem] {
        if statisticsShared != nil, kind != .situationTable {
            return [FieldProblem("statisticsShared", "error_only_situation_tables")]
        }
        guard let absentSeats, !absentSeats.isEmpty else { return [] }
        if kind != .advisoryCommittee { return [FieldProblem("absentSeats", "error_seats_only_advisory")] }
        if let seat = absentSeats.codes.first(where: { !(AdvisorySeat(rawValue: $0)?.mayBeAbsent ?? false) }) {
            return [FieldProblem("absentSeats", "error_seat_cannot_be_absent", [seat])]
        }
        return []
    }
}

/// What a table is for: the code list `table_kinds`.
public enum TableKind: String, LogicCode {
    public static let list = CodeList.tableKinds

    case advisoryCommittee = "advisory_committee"
    case leadershipCouncil = "leadership_council"
    case actionTable = "action_table"
    case workingGroup = "working_group"
    case situationTable = "situation_table"
}

/// A person's place on a table, with a role and, on the advisory committee, the seats they fill.
public struct Membership: Record {
    public static let kind = RecordKind.membership
    public static let path = "memberships"
    public static var listOrder: [PartialKeyPath<Membership>] { [\.tableId, \.role] }
    public static let blank = Membership(id: .none, tableId: .none, personId: .none, role: "")
    public static let fields: [Field<Membership>] = [
        .reference(\.tableId, .partnerTable),
        .reference(\.personId, .person),
        .reference(\.organizationId, .organization),
        .choice(\.role, .membershipRoles),
        .tags(\.seats, .advisorySeats),
        .day(\.startsOn),
        .day(\.endsOn),
    ]
    public var id: UUID
    public var tableId: UUID
    public var personId: UUID
    public var organizationId: UUID?
    public var role: String
    public var seats: TagSet?
    public var startsOn: Day?
    public var endsOn: Day?

    public init(
        id: UUID = UUID(), tableId: UUID, personId: UUID, organizationId: UUID? = nil, role: String,
        seats: TagSet? = nil, startsOn: Day? = nil, endsOn: Day? = nil
    ) {
        self.id = id
        self.tableId = tableId
        self.personId = personId
        self.organizationId = organizationId
        self.role = role
        self.seats = seats
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    public func isActive(on day: Day) -> Bool {
        (startsOn.map { $0 <= day } ?? true) && (endsOn.map { day <= $0 } ?? true)
    }

    public func ruleProblems() -> [FieldProblem] {
        if let startsOn, let endsOn, endsOn < startsOn { return [FieldProblem("endsOn", "error_ends_before_start")] }
        return []
    }
}
