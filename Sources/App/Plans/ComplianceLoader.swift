import SQLKit
import WellplanCore

/// Gathers what the compliance check needs: the plan, its advisory committee and who fills each seat.
enum ComplianceLoader {
    static func report(_ plan: Plan, _ store: RecordStore, on day: Day = .today) async throws -> ComplianceReport {
        let tables = try await store.list(PartnerTable.self, filters: ["planId": plan.id]).filter { $0.kind == "advisory_committee" }
        var members: [(Membership, String)] = []
        for table in tables {
            for membership in try await store.list(Membership.self, filters: ["tableId": table.id]) {
                let name = try await store.find(Person.self, membership.personId)?.name ?? "?"
                members.append((membership, name))
            }
        }
        let absent = TagSet(tables.flatMap { $0.absentSeats?.codes ?? [] })
        return ComplianceReport.evaluate(
            plan: plan, hasAdvisoryCommittee: !tables.isEmpty, members: members,
            absentSeats: absent, on: day)
    }
}
