import Foundation

/// A community event, workshop, webinar, training, presentation or community conversation. Counts only,
/// never names: how many registered and came (optionally by audience group) and what was handed out.
/// An event serving a project counts into that project's outputs like an activity does.
public struct Event: Record {
    public static let kind = RecordKind.event
    public static let path = "events"
    public static var listOrder: [PartialKeyPath<Event>] { [\.occurredOn, \.titleEn] }
    public static let blank = Event(id: .none, kind: "", titleEn: "", occurredOn: .first)
    public var owner: Owner { projectId.map { .project($0) } ?? .table(tableId) }
    public static let fields: [Field<Event>] = [
        .choice(\.kind, .eventKinds),
        .text(\.titleEn, max: 300),
        .text(\.titleFr, max: 300),
        .day(\.occurredOn),
        .text(\.startTime, max: 5),
        .text(\.endTime, max: 5),
        .text(\.place, max: 300),
        .flag(\.online, default: false),
        .tags(\.audienceGroups, .audienceGroups),
        .references(\.partnerOrganizationIds, .organization),
        .reference(\.tableId, .partnerTable),
        .reference(\.projectId, .project),
        .integer(\.registrations, 0...1_000_000),
        .integer(\.attendance, 0...1_000_000),
        .integer(\.participantsTrained, 0...1_000_000),
    ]
    public var id: UUID
    public var kind: String
    public var titleEn: String
    public var titleFr: String?
    public var occurredOn: Day
    public var startTime: String?
    public var endTime: String?
    public var place: String?
    public var online: Bool
    public var audienceGroups: TagSet?
    public var partnerOrganizationIds: TagSet?
    public var tableId: UUID?
    public var projectId: UUID?
    public var registrations: Int?
    public var attendance: Int?
    public var participantsTrained: Int?

    public init(
        id: UUID = UUID(), kind: String, titleEn: String, titleFr: String? = nil, occurredOn: Day,
        startTime: String? = nil,
        endTime: String? = nil, place: String? = nil, online: Bool = false, audienceGroups: TagSet? = nil,
        tableId: UUID? = nil,
        projectId: UUID? = nil, registrations: Int? = nil, attendance: Int? = nil, participantsTrained: Int? = nil
    ) {
        self.id = id
        self.kind = kind
        self.titleEn = titleEn
        self.titleFr = titleFr
        self.occurredOn = occurredOn
        self.startTime = startTime
        self.endTime = endTime
        self.place = place
        self.online = online
        self.audienceGroups = audienceGroups
        self.tableId = tableId
        self.projectId = projectId
        self.registrations = registrations
        self.attendance = attendance
        self.participantsTrained = participantsTrained
    }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        for (field, time) in [("startTime", startTime), ("endTime", endTime)]
        where time != nil && Self.minutes(time!) == nil {
            problems.append(FieldProblem(field, "error_not_time"))
        }
        if let start = startTime.flatMap(Self.minutes), let end = endTime.flatMap(Self.minutes), end < start {
            problems.append(FieldProblem("endTime", "error_ends_before_start"))
        }
        if !online, (place ?? "").isEmpty { problems.append(FieldProblem("place", "error_place_or_online")) }
        if let trained = participantsTrained, let attendance, trained > attendance {
            problems.append(FieldProblem("participantsTrained", "error_more_than_attendance"))
        }
        return problems
    }

    /// "HH:MM" on a 24-hour clock, as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}

/// Materials an event handed out, by type: 82 safety plans, 40 naloxone kits.
public struct EventMaterial: Record {
    public static let kind = RecordKind.eventMaterial
    public static let path = "event-materials"
    public static var listOrder: [PartialKeyPath<EventMaterial>] { [\.eventId] }
    public static let blank = EventMaterial(id: .none, eventId: .none, materialType: "", count: 0)
    public var owner: Owner { .event(eventId) }
    public static let fields: [Field<EventMaterial>] = [
        .reference(\.eventId, .event),
        .choice(\.materialType, .materialTypes),
        .integer(\.count, 1...10_000_000),
    ]
    public var id: UUID
    public var eventId: UUID
    public var materialType: String
    public var count: Int

    public init(id: UUID = UUID(), eventId: UUID, materialType: String, count: Int) {
        self.id = id
        self.eventId = eventId
        self.materialType = materialType
        self.count = count
    }
}

/// How many of an event's attendance came from one audience group, where the organizers counted it.
public struct EventAttendance: Record {
    public static let kind = RecordKind.eventAttendance
    public static let path = "event-attendance"
    public static var listOrder: [PartialKeyPath<EventAttendance>] { [\.eventId] }
    public static let blank = EventAttendance(id: .none, eventId: .none, audienceGroup: "", count: 0)
    public var owner: Owner { .event(eventId) }
    public static let fields: [Field<EventAttendance>] = [
        .reference(\.eventId, .event),
        .choice(\.audienceGroup, .audienceGroups),
        .integer(\.count, 0...1_000_000),
    ]
    public var id: UUID
    public var eventId: UUID
    public var audienceGroup: String
    public var count: Int

    public init(id: UUID = UUID(), eventId: UUID, audienceGroup: String, count: Int) {
        self.id = id
        self.eventId = eventId
        self.audienceGroup = audienceGroup
        self.count = count
    }
}

/// Work that outputs count: an activity's typed counts, or an event's (one event held, its attendance as
/// people reached, those trained, and its materials).
public struct CountedWork: Sendable, Equatable {
    public var counts: [ActivityCount: Int]

    public init(_ activity: Activity) {
        counts = Dictionary(
            uniqueKeysWithValues: ActivityCount.allCases.compactMap { c in activity[c].map { (c, $0) } })
    }

    public init(_ event: Event, materials: [EventMaterial]) {
        counts = [.eventsHeld: 1]
        if let attendance = event.attendance { counts[.peopleReached] = attendance }
        if let trained = event.participantsTrained { counts[.participantsTrained] = trained }
        let handedOut = materials.filter { $0.eventId == event.id }.map(\.count).reduce(0, +)
        if handedOut > 0 { counts[.materialsDistributed] = handedOut }
    }
}
