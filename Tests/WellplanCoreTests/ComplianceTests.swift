import Foundation
import Testing

@testable import WellplanCore

@Suite struct ComplianceTests {
    let plan = Plan(
        titleEn: "P", municipality: "M", termStart: Day("2025-01-01")!, termEnd: Day("2028-12-31")!,
        adoptedOn: Day("2025-03-01")!)

    func member(_ seats: TagSet, endsOn: Day? = nil) -> (Membership, String) {
        (Membership(tableId: UUID(), personId: UUID(), role: "member", seats: seats, endsOn: endsOn), "Someone")
    }

    @Test func publishByIsAdoptionPlusThirtyDaysWithWarningsAsItNears() {
        let due = ComplianceReport.publishDeadline(plan, Day("2025-03-01")!)
        #expect(due.due == Day("2025-03-31"))
        #expect(due.daysRemaining == 30)
        #expect(due.state == .onTrack)
        #expect(ComplianceReport.publishDeadline(plan, Day("2025-03-20")!).state == .warning)
        #expect(ComplianceReport.publishDeadline(plan, Day("2025-03-27")!).state == .urgent)
        #expect(ComplianceReport.publishDeadline(plan, Day("2025-04-01")!).state == .overdue)
        var published = plan
        published.publishedOn = Day("2025-04-02")
        #expect(ComplianceReport.publishDeadline(published, Day("2025-05-01")!).state == .metLate)
        published.publishedOn = Day("2025-03-31")
        #expect(ComplianceReport.publishDeadline(published, Day("2025-05-01")!).state == .met)
    }

    @Test func reviewIsDueFourYearsAfterAdoptionOrRevisionWithReminders() {
        #expect(ComplianceReport.reviewDeadline(plan, Day("2025-06-01")!).due == Day("2029-03-01"))
        #expect(ComplianceReport.reviewDeadline(plan, Day("2028-02-28")!).state == .onTrack)
        #expect(ComplianceReport.reviewDeadline(plan, Day("2028-03-01")!).state == .notice)
        #expect(ComplianceReport.reviewDeadline(plan, Day("2028-09-01")!).state == .warning)
        #expect(ComplianceReport.reviewDeadline(plan, Day("2028-12-01")!).state == .urgent)
        #expect(ComplianceReport.reviewDeadline(plan, Day("2029-03-02")!).state == .overdue)
        var revised = plan
        revised.lastRevisedOn = Day("2027-01-15")
        #expect(ComplianceReport.reviewDeadline(revised, Day("2029-03-02")!).due == Day("2031-01-15"))
    }

    @Test func everySeatMustBeCoveredByAnActiveMemberOrMarkedAbsentWhereAllowed() {
        let today = Day("2026-01-01")!
        var members = [
            member(["health", "education"]), member(["community_social"]), member(["children_youth_services"]),
            member(["municipality"]), member(["police"]),
        ]
        var report = ComplianceReport.evaluate(
            plan: plan, hasAdvisoryCommittee: true, members: members, absentSeats: nil, heard: everyone, on: today)
        #expect(report.seats.first { $0.seat == .custodialYouth }?.state == .missing)
        #expect(!report.isCompliant)
        report = ComplianceReport.evaluate(
            plan: plan, hasAdvisoryCommittee: true, members: members, absentSeats: ["custodial_youth"], heard: everyone,
            on: today)
        #expect(report.seats.allSatisfy { $0.state != .missing })
        // One person may fill several seats, but a membership that has ended fills none.
        members[0] = member(["health", "education"], endsOn: Day("2025-12-31"))
        report = ComplianceReport.evaluate(
            plan: plan, hasAdvisoryCommittee: true, members: members, absentSeats: ["custodial_youth"], heard: everyone,
            on: today)
        #expect(report.seats.filter { $0.state == .missing }.map(\.seat) == [.health, .education])
    }

    let everyone: [(groups: [String], by: String)] = [(GroupCoverage.required, "Community survey")]

    @Test func everyGroupTheActNamesMustHaveBeenHeard() {
        let members = AdvisorySeat.allCases.map { member([$0.rawValue]) }
        var published = plan
        published.publishedOn = plan.adoptedOn
        func report(_ heard: [(groups: [String], by: String)]) -> ComplianceReport {
            ComplianceReport.evaluate(
                plan: published, hasAdvisoryCommittee: true, members: members, absentSeats: nil, heard: heard,
                on: Day("2026-01-01")!)
        }
        #expect(report(everyone).isCompliant)
        let partial = report([
            (["general_public", "youth"], "Survey"),
            (["youth", "first_nations", "advisory_committee"], "Focus groups"),
        ])
        #expect(!partial.isCompliant)
        #expect(partial.consultationGroups.first { $0.group == "youth" }?.heardIn == ["Survey", "Focus groups"])
        #expect(
            partial.consultationGroups.filter { !$0.isCovered }.map(\.group) == [
                "racialized_groups", "metis", "inuit", "community_organizations",
                "mental_health_addictions_service_users",
            ])
    }

    @Test func onlySeatsThreeToFiveMayBeMarkedAbsent() {
        let committee = PartnerTable(nameEn: "AC", kind: .advisoryCommittee, absentSeats: ["police"])
        #expect(committee.ruleProblems() == [FieldProblem("absentSeats", "error_seat_cannot_be_absent", ["police"])])
        let allowed = PartnerTable(
            nameEn: "AC", kind: .advisoryCommittee, absentSeats: ["custodial_youth", "community_social"])
        #expect(allowed.ruleProblems().isEmpty)
        #expect(
            AdvisorySeat.allCases.filter(\.mayBeAbsent) == [.communitySocial, .childrenYouthServices, .custodialYouth])
    }
}

@Suite struct ProgressTests {
    @Test func aParentIsTheWeightedMeanOfItsMeasuredPartsWithItsFormula() {
        let a = Progress(title: "a", fraction: 0.4, weight: 1, formula: "")
        let b = Progress(title: "b", fraction: 0.7, weight: 2, formula: "")
        let none = Progress(title: "c", fraction: nil, weight: 5, formula: "")
        let p = Progress.combine(title: "p", weight: nil, parts: [a, b, none], language: .en)
        #expect(abs(p.fraction! - 0.6) < 1e-9)
        #expect(p.formula == "(1 × 40% + 2 × 70%) ÷ 3 = 60%")
        #expect(
            Progress.combine(title: "p", weight: nil, parts: [a, b], language: .fr).formula
                == "(1 × 40 % + 2 × 70 %) ÷ 3 = 60 %")
        #expect(Progress.combine(title: "p", weight: nil, parts: [none], language: .en).fraction == nil)
    }

    @Test func aProjectCountsItsActionItemsAndItsOutputsAgainstTargets() {
        let project = UUID()
        let items = [
            ActionItem(projectId: project, descriptionEn: "a", status: .done),
            ActionItem(projectId: project, descriptionEn: "b", status: .open),
            ActionItem(projectId: project, descriptionEn: "c", status: .cancelled),
        ]
        let output = Output(projectId: project, statementEn: "plans", computedFrom: .materialsDistributed, target: 150)
        let activities = [
            Activity(
                projectId: project, occurredOn: Day("2025-10-09")!, summaryEn: "x", counts: [.materialsDistributed: 82]),
            Activity(
                projectId: project, occurredOn: Day("2025-10-10")!, summaryEn: "y", counts: [.materialsDistributed: 68]),
        ]
        #expect(output.value(activities: activities) == 150)
        let p = Progress.project(title: "p", weight: 2, actionItems: items, outputs: [(output, 300)], language: .en)
        // cancelled items do not count; an output over target counts as 100 %
        #expect(p.parts.count == 3)
        #expect(abs(p.fraction! - 2.0 / 3.0) < 1e-9)
        #expect(p.weight == 2)
    }
}

@Suite struct AccessPolicyTests {
    let tableA = UUID(), tableB = UUID()

    @Test func thePublicReadsOnlyPublishedPlans() {
        #expect(AccessPolicy.permits(.anonymous, .read, .publishedPlan))
        for action in Action.allCases {
            #expect(!AccessPolicy.permits(.anonymous, action, .record(.project, owningTable: tableA)))
        }
        #expect(!AccessPolicy.permits(.anonymous, .read, .compliance))
    }

    @Test func aMemberWritesOnlyWithinTheTablesTheySitOn() {
        let member = Actor(userId: UUID(), role: .member, tables: [tableA])
        #expect(AccessPolicy.permits(member, .update, .record(.project, owningTable: tableA)))
        #expect(AccessPolicy.permits(member, .create, .record(.activity, owningTable: tableA)))
        #expect(!AccessPolicy.permits(member, .update, .record(.project, owningTable: tableB)))
        #expect(!AccessPolicy.permits(member, .update, .record(.project, owningTable: nil)))
        #expect(!AccessPolicy.permits(member, .delete, .record(.project, owningTable: tableA)))
        #expect(!AccessPolicy.permits(member, .create, .record(.organization, owningTable: tableA)))
        #expect(AccessPolicy.permits(member, .read, .record(.organization, owningTable: nil)))
        #expect(!AccessPolicy.permits(member, .create, .planVersions))
    }

    @Test func onlyAdminsSeeTheAuditLogAndManageAccounts() {
        for role in Role.allCases {
            let actor = Actor(userId: UUID(), role: role)
            #expect(AccessPolicy.permits(actor, .read, .auditLog) == (role == .admin))
            #expect(AccessPolicy.permits(actor, .create, .accounts) == (role == .admin))
        }
        #expect(
            AccessPolicy.permits(
                Actor(userId: UUID(), role: .coordinator), .delete, .record(.project, owningTable: nil)))
    }
}

@Suite struct AuditChainTests {
    func chain(_ n: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for i in 1...n {
            entries.append(
                AuditEntry(
                    seq: i, at: Timestamp(millisecondsSince1970: Int64(i) * 1000), actorId: nil, actorLabel: "a",
                    action: "update", subject: "project", recordId: "r\(i)", before: "{}", after: "{\"n\":\(i)}",
                    prevHash: entries.last?.hash ?? AuditChain.genesisHash))
        }
        return entries
    }

    @Test func anIntactChainVerifies() { #expect(AuditChain.firstBrokenLink(chain(20)) == nil) }

    @Test func aChangedRemovedOrReorderedEntryIsFound() {
        var edited = chain(20)
        edited[7].after = "{\"n\":999}"
        #expect(AuditChain.firstBrokenLink(edited) == 8)
        var removed = chain(20)
        removed.remove(at: 4)
        #expect(AuditChain.firstBrokenLink(removed) == 6)
        var rehashed = chain(20)
        rehashed[9].actorLabel = "mallory"
        rehashed[9].hash = rehashed[9].computedHash
        #expect(AuditChain.firstBrokenLink(rehashed) == 11)
    }
}
