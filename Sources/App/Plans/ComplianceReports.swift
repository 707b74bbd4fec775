import SQLKit
import WellplanCore

/// Gathers what the compliance check needs: the plan, its advisory committee and who fills each seat.
enum ComplianceReports {
    static func report(_ plan: Plan, _ store: Records, on day: Day, language: Language = .en) async throws
        -> ComplianceReport
    {
        // Publishing a version in Wellplan publishes the plan: the first version meets the publish-by deadline
        // when no earlier day was recorded.
        var plan = plan
        if let first = try await PlanVersions.all(plan.id, on: store.db).last?.publishedAt.day,
            plan.publishedOn.map({ first < $0 }) ?? true
        {
            plan.publishedOn = first
        }
        let tables = try await store.list(PartnerTable.self, filters: ["planId": plan.id]).filter {
            $0.kind == .advisoryCommittee
        }
        var members: [(Membership, String)] = []
        for table in tables {
            for membership in try await store.list(Membership.self, filters: ["tableId": table.id]) {
                let name = try await store.find(Person.self, membership.personId)?.name ?? "?"
                members.append((membership, name))
            }
        }
        let absent = TagSet(tables.flatMap { $0.absentSeats?.codes ?? [] })
        var heard: [(groups: [String], by: String)] = []
        for consultation in try await store.list(Consultation.self, filters: ["planId": plan.id]) {
            for method in try await store.list(ConsultationMethod.self, filters: ["consultationId": consultation.id]) {
                heard.append(
                    (
                        method.audienceGroups?.codes ?? [],
                        "\(consultation.title(language)) · \(CodeList.consultationMethods.label(method.method, language))"
                    ))
            }
        }
        return ComplianceReport.evaluate(
            plan: plan, hasAdvisoryCommittee: !tables.isEmpty, members: members,
            absentSeats: absent, heard: heard, on: day)
    }
}
