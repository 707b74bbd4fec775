import Foundation
import WellplanCore

/// Turns what a form or a JSON body says about a discussion into its record or its next event,
/// so that pages and API read input the same way.
enum DiscussionInput {
    /// JSON values as lists of text, the shape a form arrives in.
    static func lists(_ json: [String: JSONValue]) -> [String: [String]] {
        json.mapValues { value in
            switch value {
            case .string(let text): [text]
            case .array(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            case .null: []
            case .number(let n): FieldValue.number(n).formTexts
            case .bool(let flag): [String(flag)]
            case .object: []
            }
        }
    }

    static func event(_ values: [String: [String]], today: Day) throws(WellplanError) -> DiscussionEvent {
        var problems: [FieldProblem] = []
        func text(_ name: String) -> String? { values[name]?.first?.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        func day(_ name: String, default fallback: Day? = nil) -> Day {
            guard let text = text(name) else {
                if let fallback { return fallback }
                problems.append(FieldProblem(name, "error_required"))
                return today
            }
            guard let day = Day(text) else {
                problems.append(FieldProblem(name, "error_not_day"))
                return today
            }
            return day
        }
        func code(_ name: String, _ list: CodeList) -> String {
            guard let code = text(name) else {
                problems.append(FieldProblem(name, "error_required"))
                return ""
            }
            if !list.contains(code) { problems.append(FieldProblem(name, "error_not_in_list", [code])) }
            return code
        }
        func organization(_ text: String?, _ name: String) -> UUID? {
            guard let text else { return nil }
            guard let id = UUID(uuidString: text) else {
                problems.append(FieldProblem(name, "error_not_reference", [text]))
                return nil
            }
            return id
        }
        let event: DiscussionEvent
        switch text("event") {
        case "accept": event = .accept(on: day("acceptedOn", default: today))
        case "reject": event = .reject
        case "return": event = .returnToAgency
        case "present_again": event = .presentAgain
        case "plan_intervention":
            let lead = organization(text("leadOrganizationId"), "leadOrganizationId")
            if text("leadOrganizationId") == nil {
                problems.append(FieldProblem("leadOrganizationId", "error_required"))
            }
            let assisting = (values["assistingOrganizationIds"] ?? []).flatMap {
                $0.split(separator: ",").map(String.init)
            }
            .compactMap { organization($0, "assistingOrganizationIds") }
            event = .planIntervention(
                lead: lead ?? UUID(), assisting: assisting, firstContactPlannedOn: day("firstContactPlannedOn"))
        case "record_first_contact": event = .recordFirstContact(on: day("firstContactOn", default: today))
        case "conclude":
            event = .conclude(
                outcome: code("conclusionOutcome", .conclusionOutcomes),
                reason: code("conclusionReason", .conclusionReasons),
                on: day("concludedOn", default: today))
        case let other:
            throw .invalid([FieldProblem("event", other == nil ? "error_required" : "error_unknown_event")])
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return event
    }

    static func identifiers(_ values: [String: [String]]) throws(WellplanError) -> LimitedIdentifiers {
        var problems: [FieldProblem] = []
        func text(_ name: String, _ limit: Int) -> String? {
            guard let text = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
                return nil
            }
            if text.count > limit { problems.append(FieldProblem(name, "error_too_long", [String(limit)])) }
            return text
        }
        var birth: Day?
        if let text = text("dateOfBirth", 10) {
            birth = Day(text)
            if birth == nil { problems.append(FieldProblem("dateOfBirth", "error_not_day")) }
        }
        let identifiers = LimitedIdentifiers(
            name: text("name", 200), dateOfBirth: birth, address: text("address", 300),
            contactNotes: text("contactNotes", 5000))
        if !problems.isEmpty { throw .invalid(problems) }
        return identifiers
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
