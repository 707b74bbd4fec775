import Foundation
import WellplanCore

/// Seed 000's WECOSS Action Plan Consultation as its slides report it: four topics with their questions,
/// the four methods with their counts, the key strengths, the pressing issues grouped, and the priority
/// areas with their actions, each a theme built from codes. The summary page shows the same shape.
extension DemoRegion {
    static let wecossQuestions: [(topic: String, code: String, text: String)] = [
        (
            "strengths", "S1",
            "What is our community and/or the WECOSS currently doing well to address substance use at the community level?"
        ),
        ("strengths", "S2", "Where are there existing resources and capacity to support this work?"),
        (
            "issues", "I1",
            "What are the most pressing issues and concerns currently impacting our community as it relates to substance use?"
        ),
        ("needs", "N1", "What community-level actions need to be taken to address substance use in the future?"),
        ("needs", "N2", "What unique gaps in services and supports can the WECOSS help to address?"),
        (
            "coordination", "C1",
            "What strategies can be used to improve coordination between the WECOSS and other community groups with similar goals?"
        ),
    ]

    static let wecossThemes: [(section: String, name: String, items: [String])] = [
        ("strengths", "Sustained collaboration and diverse partnerships", []),
        ("strengths", "Data sharing and communication", []),
        ("strengths", "Harm reduction and anti-stigma efforts", []), ("strengths", "Education and prevention", []),
        ("strengths", "Accessible and transparent information", []),
        ("strengths", "Community & peer engagement and outreach", []),
        ("strengths", "Community Safety", []),
        (
            "issues", "Stigma and Discrimination",
            [
                "Service delivery approaches and practices",
                "Lack of community understanding and misconceptions about substance use and harm reduction",
            ]
        ),
        (
            "issues", "Systems and Policies",
            [
                "Current legislative frameworks", "Funding and capacity challenges",
                "Lack of investment in social determinants of health",
                "Fragmented service systems",
            ]
        ),
        (
            "issues", "Barriers to Access Existing Services",
            [
                "Wait times", "Transportation barriers",
                "Geographical gaps in rural communities and outside of downtown core",
                "Utilization of best practices in service delivery",
            ]
        ),
        (
            "needs", "Service Gaps",
            [
                "Treatment for youth and justice-involved individuals", "System navigation",
                "Substance use support in primary care",
                "Follow-up and aftercare services", "Safer consumption options",
                "School-aged and family systems supports",
                "Culturally sensitive and trauma-informed services",
            ]
        ),
        (
            "priorities", "Harm Reduction",
            [
                "Standardize harm reduction practices", "Expand harm reduction efforts to county areas",
                "Address stigma",
                "Prioritize trauma and violence-informed care",
            ]
        ),
        (
            "priorities", "Prevention & Education",
            [
                "Early school and family intervention", "Incorporate voices of youth",
                "Professional development opportunities", "Public awareness campaigns",
            ]
        ),
        (
            "priorities", "Data & Accountability",
            [
                "Increase data and surveillance efforts", "Transparent data sharing",
                "Increased accountability of organizations",
            ]
        ),
        (
            "priorities", "Advocacy & Policy",
            [
                "Advocate for healthy public policy", "Justice-involved support", "Workforce inclusion for PWLLE",
                "Streamlining resources",
            ]
        ),
    ]

    static func loadWECOSSConsultation(_ w: RecordWriter, plan: UUID, substance: UUID) async throws {
        let c = Consultation(
            planId: plan, titleEn: "WECOSS Action Plan Consultation",
            titleFr: "Consultation sur le plan d'action de la WECOSS",
            purposeEn:
                "Guide the development of the new WECOSS Action Plan: almost four years after the last one, substance use issues have greatly evolved.",
            startsOn: day("2025-09-01"), endsOn: day("2025-10-31"))
        try await w.create(c)
        for q in wecossQuestions {
            try await w.create(
                ConsultationQuestion(
                    consultationId: c.id, code: q.code, topic: q.topic, questionKind: .freeText, textEn: q.text))
        }
        for (method, sessions, participants, groups, note) in [
            (
                "key_informant_interview", 13, 13, ["community_organizations"],
                "WECOSS-LC members and other community leaders"
            ),
            (
                "focus_group", 4, 38, ["service_providers", "community_organizations"],
                "WECOSS pillar working group members"
            ),
            (
                "focus_group", 3, 15, ["mental_health_addictions_service_users"],
                "WECHU's Substance Use Peer Advisory Committee"
            ),
            ("survey", 1, 3, ["community_organizations"], "WECOSS Community Partner Survey"),
        ] as [(String, Int, Int, TagSet, String)] {
            try await w.create(
                ConsultationMethod(
                    consultationId: c.id, method: method, sessions: sessions, participants: participants,
                    audienceGroups: groups, notesEn: note))
        }
        var csv = "path\nStrengths\nIssues\nNeeds\nPriorities\n"
        for theme in wecossThemes {
            let group = theme.section.prefix(1).uppercased() + theme.section.dropFirst()
            csv +=
                "\"\(group) > \(theme.name)\"\n" + theme.items.map { "\"\(group) > \(theme.name) > \($0)\"\n" }.joined()
        }
        let book = Codebook(try Codebook([]).adding(csv: Data(csv.utf8), consultationId: c.id))
        for code in book.codes { try await w.create(code) }
        func code(_ path: [String]) -> UUID? { book.outline.first { $0.path == path }?.code.id }
        for theme in wecossThemes {
            let group = theme.section.prefix(1).uppercased() + theme.section.dropFirst()
            let codes =
                theme.items.isEmpty ? [code([group, theme.name])] : theme.items.map { code([group, theme.name, $0]) }
            try await w.create(
                Theme(
                    consultationId: c.id, section: theme.section, nameEn: theme.name, codeIds: codes.compactMap { $0 },
                    priorityId: theme.section == "priorities" ? substance : nil))
        }
    }
}
