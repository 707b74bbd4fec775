import Foundation

/// Where a discussion stands in the Four Filter approach (domain.md §1.3, §2.1).
public enum DiscussionStatus: String, Workflow {
    public static let list = CodeList.discussionStatuses

    case presented, accepted, rejected, returned
    case interventionPlanned = "intervention_planned"
    case active, concluded

    /// Accepted at some point: the table found acutely elevated risk.
    public var metThreshold: Bool { [.accepted, .interventionPlanned, .active, .concluded].contains(self) }
    /// Still needing the table's attention at its next meeting.
    public var isOpen: Bool { [.accepted, .interventionPlanned, .active].contains(self) }

    /// The Four Filter paths: a presented discussion is accepted, rejected or returned to its agency; a
    /// returned one may be presented again; an accepted one moves through intervention to its conclusion.
    public var next: Set<DiscussionStatus> {
        switch self {
        case .presented: [.accepted, .rejected, .returned]
        case .returned: [.presented]
        case .accepted: [.interventionPlanned]
        case .interventionPlanned: [.active]
        case .active: [.concluded]
        case .rejected, .concluded: []
        }
    }
}

/// What the table decides or records about a discussion.
public enum DiscussionEvent: Sendable, Equatable {
    case accept(on: Day)
    case reject
    case returnToAgency
    case presentAgain
    /// Filter 4: the lead and assisting agencies and when they plan to make first contact.
    case planIntervention(lead: UUID, assisting: [UUID], firstContactPlannedOn: Day)
    case recordFirstContact(on: Day)
    case conclude(outcome: String, reason: String, on: Day)

    /// The kinds of event by name, in the order a page offers them, each with the status it leads to.
    public enum Kind: String, CaseIterable, Sendable {
        case accept, reject
        case returnToAgency = "return"
        case presentAgain = "present_again"
        case planIntervention = "plan_intervention"
        case recordFirstContact = "record_first_contact"
        case conclude

        public var leadsTo: DiscussionStatus {
            switch self {
            case .accept: .accepted
            case .reject: .rejected
            case .returnToAgency: .returned
            case .presentAgain: .presented
            case .planIntervention: .interventionPlanned
            case .recordFirstContact: .active
            case .conclude: .concluded
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .accept: .accept
        case .reject: .reject
        case .returnToAgency: .returnToAgency
        case .presentAgain: .presentAgain
        case .planIntervention: .planIntervention
        case .recordFirstContact: .recordFirstContact
        case .conclude: .conclude
        }
    }

    public var name: String { kind.rawValue }
}

/// The discussion lifecycle as a state machine: which event may follow which status, what each
/// one sets, and which fields each status may hold. A refused event says why, in the reader's words.
public enum DiscussionLifecycle {
    /// The events that may follow a status: those that lead to a status the workflow allows next.
    public static func allowedEvents(from status: DiscussionStatus) -> [String] {
        DiscussionEvent.Kind.allCases.filter { status.next.contains($0.leadsTo) }.map(\.rawValue)
    }

    public static func apply(_ event: DiscussionEvent, to discussion: SituationDiscussion) throws(WellplanError)
        -> SituationDiscussion
    {
        let from = discussion.lifecycleStatus
        guard allowedEvents(from: from).contains(event.name) else { throw .invalid([refusal(event, from)]) }
        var next = discussion
        switch event {
        case .accept(let day):
            next.status = .accepted
            next.acceptedOn = day
        case .reject:
            next = redactedForRejection(discussion)
        case .returnToAgency:
            next.status = .returned
        case .presentAgain:
            next.status = .presented
        case .planIntervention(let lead, let assisting, let planned):
            next.status = .interventionPlanned
            next.leadOrganizationId = lead
            next.assistingOrganizationIds = TagSet(assisting.filter { $0 != lead }.map(\.uuidString))
            next.firstContactPlannedOn = planned
        case .recordFirstContact(let day):
            next.status = .active
            next.firstContactOn = day
        case .conclude(let outcome, let reason, let day):
            next.status = .concluded
            next.conclusionOutcome = outcome
            next.conclusionReason = reason
            next.concludedOn = day
        }
        let problems = problems(next)
        guard problems.isEmpty else { throw .invalid(problems) }
        return next
    }

    /// A rejected discussion keeps only table, date, type, age band, gender, originating sector and status.
    public static func redactedForRejection(_ discussion: SituationDiscussion) -> SituationDiscussion {
        var kept = SituationDiscussion(
            id: discussion.id, tableId: discussion.tableId, number: discussion.number,
            presentedOn: discussion.presentedOn,
            discussionType: discussion.discussionType, ageBand: discussion.ageBand, gender: discussion.gender,
            originatingSector: discussion.originatingSector)
        kept.status = .rejected
        return kept
    }

    /// Whether the discussion's fields agree with its status: a rejected one holds nothing more than it
    /// may keep, an open one nothing from a later stage, and dates run in order.
    public static func problems(_ d: SituationDiscussion) -> [FieldProblem] {
        let values = d.values
        func present(_ field: String) -> Bool { values[field] != nil }
        let status = d.lifecycleStatus
        if status == .rejected {
            return SituationDiscussion.fields.map(\.name).filter {
                !SituationDiscussion.keptWhenRejected.contains($0) && present($0)
            }
            .map { FieldProblem($0, "error_rejected_keeps_only") }
        }
        // The fields each stage adds, in order; a field from a later stage than the status is refused.
        let stages: [(DiscussionStatus, [String])] = [
            (.accepted, ["acceptedOn"]),
            (.interventionPlanned, ["leadOrganizationId", "assistingOrganizationIds", "firstContactPlannedOn"]),
            (.active, ["firstContactOn"]),
            (.concluded, ["concludedOn", "conclusionOutcome", "conclusionReason"]),
        ]
        let order: [DiscussionStatus] = [.presented, .accepted, .interventionPlanned, .active, .concluded]
        let reached = order.firstIndex(of: status == .returned ? .presented : status) ?? 0
        var problems: [FieldProblem] = []
        for (stage, fields) in stages {
            let stageIndex = order.firstIndex(of: stage)!
            for field in fields where field != "assistingOrganizationIds" {
                if stageIndex > reached, present(field) { problems.append(FieldProblem(field, "error_field_not_yet")) }
                if stageIndex <= reached, !present(field) { problems.append(FieldProblem(field, "error_required")) }
            }
        }
        if let accepted = d.acceptedOn, accepted < d.presentedOn {
            problems.append(FieldProblem("acceptedOn", "error_before_presented"))
        }
        if let accepted = d.acceptedOn {
            if let planned = d.firstContactPlannedOn, planned < accepted {
                problems.append(FieldProblem("firstContactPlannedOn", "error_before_accepted"))
            }
            if let contact = d.firstContactOn, contact < accepted {
                problems.append(FieldProblem("firstContactOn", "error_before_accepted"))
            }
        }
        if let concluded = d.concludedOn, let contact = d.firstContactOn, concluded < contact {
            problems.append(FieldProblem("concludedOn", "error_before_first_contact"))
        }
        if let reason = d.conclusionReason, let outcome = d.conclusionOutcome,
            CodeList.conclusionReasons.entry(reason)?.group != outcome
        {
            problems.append(FieldProblem("conclusionReason", "error_reason_not_for_outcome"))
        }
        if let lead = d.leadOrganizationId, d.assistingOrganizations.contains(lead) {
            problems.append(FieldProblem("assistingOrganizationIds", "error_lead_also_assisting"))
        }
        return problems
    }

    /// Why an event cannot follow a status, worded for the reader.
    static func refusal(_ event: DiscussionEvent, _ from: DiscussionStatus) -> FieldProblem {
        let key: String =
            switch from {
            case .rejected: "error_transition_rejected"
            case .concluded: "error_transition_concluded"
            default:
                switch event {
                case .accept, .reject, .returnToAgency: "error_transition_not_presented"
                case .presentAgain: "error_transition_not_returned"
                case .planIntervention: "error_transition_not_accepted"
                case .recordFirstContact: "error_transition_not_planned"
                case .conclude: "error_transition_not_active"
                }
            }
        return FieldProblem("status", key)
    }
}
