import Foundation
import Testing

@testable import WellplanCore

@Suite struct ReportModelTests {
    let w = ReportWriting(.en)

    func sample(events: Int = 3, plans: Int = 82, internalLink: Bool = true) -> Report {
        let count = Report.Figure(
            key: "events", value: Double(events), text: String(events),
            link: internalLink ? .record(.event, UUID()) : nil)
        let findings = [
            Report.Finding(
                key: "attended",
                w.sentence(
                    "report_wg_attended",
                    [.figure(count), .text("community event"), .text("October 9, 2025"), .text("November 13, 2025")]),
                details: [
                    Report.Finding(
                        key: "plans", w.sentence("report_distributed_safety_plan", [.figure(w.count("count", plans))]))
                ]),
            Report.Finding(key: "small", w.sentence("report_st_discussions", [.figure(w.protected("discussions", 4))])),
            Report.Finding(key: "step", [.text("Launched a <community> survey & *more*")]),
        ]
        let table = Report.Table(
            key: "results", caption: "Counted work", columns: ["Count", "Period"],
            rows: [
                [Report.Cell("Events"), Report.Cell(w.count("n", events))],
                [Report.Cell("=SUM(A1)"), Report.Cell(w.withheld("n"))],
            ])
        return Report(
            kind: .workingGroupUpdate, language: .en, title: "Group",
            asOf: Timestamp(millisecondsSince1970: 1_764_000_000_000),
            sections: [
                Report.Section(
                    key: "project", title: "Project",
                    subsections: [
                        Report.Section(key: "accomplishments", title: "Accomplishments", blocks: [.findings(findings)]),
                        Report.Section(key: "results", title: "Results", blocks: [.table(table)]),
                    ])
            ])
    }

    @Test func aSentenceKeepsItsFiguresAsFigures() {
        let spans = w.sentence(
            "report_wg_attended", [.figure(w.count("n", 3)), .text("community event"), .text("A"), .text("B")])
        #expect(spans.map(\.text).joined() == "Attended 3 community events from A to B")
        #expect(spans.compactMap { if case .figure(let f) = $0 { f.value } else { nil } } == [3])
        #expect(ReportWriting(.fr).day(Day("2025-10-01")!) == "1er octobre 2025")
        #expect(w.day(Day("2025-12-16")!) == "December 16, 2025")
        #expect(w.list(["a", "b", "c"]) == "a, b and c" && ReportWriting(.fr).list(["a", "b"]) == "a et b")
        #expect(w.number(12_345) == "12,345" && ReportWriting(.fr).number(12_345) == "12\u{202F}345")
        #expect(
            w.inSentence(.audienceGroups, "first_responders") == "first responders"
                && w.inSentence(.audienceGroups, "first_nations") == "First Nations")
    }

    @Test func aProtectedCountUnderTheMinimumHasNoNumber() {
        let hidden = w.protected("d", 4), shown = w.protected("d", 12), none = w.protected("d", 0)
        #expect(hidden.isWithheld && hidden.value == nil && hidden.text == "withheld")
        #expect(shown.value == 12 && none.value == 0)
        #expect(ReportWriting(.en, audience: .partners).protected("d", 5).value == 5)
    }

    @Test func everyRendererSaysWithheldAndNeverTheNumber() throws {
        let report = sample()
        let md = ReportMarkdown(reader: .everyone).render(report)
        let csv = ReportCSV.files(report).map(\.text).joined()
        #expect(md.contains("*withheld* situations discussed"))
        #expect(csv.contains("small,withheld situations discussed,discussions,,withheld"))
        for text in [md, csv] { #expect(!text.contains("4 situations"), "\(text.prefix(80))") }
    }

    @Test func linksAreKeptOnlyForReadersWhoMayFollowThem() {
        let report = sample()
        #expect(!ReportMarkdown(reader: .everyone).render(report).contains("](/events/"))
        #expect(ReportMarkdown(reader: .partners).render(report).contains("](/events/"))
    }

    @Test func textIsEscapedInEveryFormat() {
        let report = sample()
        #expect(
            ReportMarkdown(reader: .everyone).render(report).contains(#"Launched a \<community\> survey & \*more\*"#))
        let files = ReportCSV.files(report)
        #expect(files.map(\.name) == ["00-contents.csv", "01-findings.csv", "02-results.csv"])
        #expect(
            files[2].text == "Count,Period\r\nEvents,3\r\n'=SUM(A1),withheld\r\n"
                && files[0].text.contains("02-results.csv,Counted work"))
    }

    @Test func editsChooseOrderAndAnnotateFindingsAndAddNarrative() {
        var edits = ReportEdits(order: ["step", "attended"])
        edits.hidden = ["small"]
        edits.annotations["attended"] = .init(en: "Most at the fair.", fr: "Surtout à la foire.")
        edits.narrative["results"] = .init(en: "Counted from events.", fr: nil)
        let report = edits.applied(to: sample())
        #expect(report.allFindings.map(\.key) == ["step", "attended", "plans"])
        #expect(report.allFindings[1].annotation == "Most at the fair.")
        #expect(report.sections[0].subsections[1].narrative == "Counted from events.")
        var french = sample()
        french.language = .fr
        #expect(
            edits.applied(to: french).allFindings.first { $0.key == "attended" }?.annotation == "Surtout à la foire.")
        #expect(edits.applied(to: french).sections[0].subsections[1].narrative == "Counted from events.")
        edits.hidden.insert("results")
        #expect(edits.applied(to: sample()).sections[0].subsections.map(\.key) == ["accomplishments"])
        #expect(
            ReportEdits(narrative: ["x": .init(en: String(repeating: "a", count: 10_001))]).problems().map(\.field) == [
                "narrative-x"
            ])
    }

    @Test func aNewEditionListsWhatChanged() {
        let old = sample(events: 3, plans: 82), new = sample(events: 4, plans: 82)
        let changes = ReportChanges(from: old, to: new)
        #expect(changes.lines.contains { $0.before == "3" && $0.now == "4" && $0.what.hasPrefix("Attended") })
        #expect(
            changes.lines.contains { $0.what == "Counted work: Events, Period" && $0.before == "3" && $0.now == "4" })
        #expect(!changes.lines.contains { $0.what.contains("safety plans") })
        #expect(ReportChanges(from: old, to: old).lines.isEmpty)
        var fewer = sample()
        fewer.sections[0].subsections[0].blocks = [.findings([])]
        #expect(ReportChanges(from: old, to: fewer).lines.contains { $0.what.hasPrefix("Launched") && $0.now == "" })
        let section = changes.section(since: 1, on: Day("2025-09-30")!, w)
        #expect(
            section.title == "Changes since edition 1 (September 30, 2025)"
                && section.allTables.first?.rows.count == changes.lines.count)
    }

    @Test func theWorkingGroupUpdateCountsOnlyItsPeriodAndSaysWhatIsScheduled() throws {
        let plan = UUID(), table = PartnerTable(nameEn: "Working group", kind: .workingGroup, planId: plan)
        let project = Project(planId: plan, leadTableId: table.id, titleEn: "Safety plans", status: .active)
        func event(_ day: String, _ kind: String = "community_event", _ title: String = "Fair") -> Event {
            Event(
                kind: kind, titleEn: title, occurredOn: Day(day)!, place: "Windsor",
                audienceGroups: ["first_responders"], projectId: project.id)
        }
        let before = event("2025-09-01"), first = event("2025-10-09"), second = event("2025-11-13"),
            later = event("2025-12-16", "webinar", "Webinar")
        let question = FeedbackQuestion(questionKind: .likert, textEn: "I feel more confident")
        func forms(_ n: Int, agree: Int) -> [FeedbackSubmission] {
            (0..<n).map {
                .init(channel: .paper, answers: [.init(questionId: question.id, likert: $0 < agree ? 5 : 2, text: nil)])
            }
        }
        let update = WorkingGroupUpdate(
            table: table, from: Day("2025-10-01")!, to: Day("2025-12-02")!,
            projects: [
                .init(
                    project: project,
                    events: [
                        .init(
                            event: before,
                            materials: [EventMaterial(eventId: before.id, materialType: "safety_plan", count: 500)]),
                        .init(
                            event: first,
                            materials: [EventMaterial(eventId: first.id, materialType: "safety_plan", count: 31)],
                            submissions: forms(6, agree: 6)
                        ),
                        .init(
                            event: second,
                            materials: [EventMaterial(eventId: second.id, materialType: "safety_plan", count: 51)],
                            submissions: forms(6, agree: 3)),
                        .init(event: later),
                    ])
            ], questions: [question], asOf: Timestamp(millisecondsSince1970: 1_780_000_000_000))
        let report = update.report(w)
        let texts = report.allFindings.map(\.text)
        #expect(texts.contains("Attended 2 community events from October 9, 2025 to November 13, 2025"))
        #expect(texts.contains("82 neighbourhood safety plans distributed"))
        #expect(texts.contains("75% agreed: “I feel more confident” (n = 12)"))
        #expect(texts.contains("“Webinar” scheduled for December 16, 2025 for first responders"))
        // Fewer answers than the public minimum: the share is withheld, not printed.
        let few = WorkingGroupUpdate(
            table: table, from: Day("2025-10-01")!, to: Day("2025-12-02")!,
            projects: [.init(project: project, events: [.init(event: first, submissions: forms(4, agree: 4))])],
            questions: [question], asOf: Timestamp(millisecondsSince1970: 1_780_000_000_000)
        ).report(w)
        #expect(few.allFindings.map(\.text).contains("withheld agreed: “I feel more confident” (n = 4)"))
        let results = try #require(report.allTables.first)
        #expect(
            results.rows.first { $0[0].text == "Materials distributed" }?.map(\.text) == [
                "Materials distributed", "82", "582",
            ])
    }

    @Test func aSmallSituationTableYearIsWithheldEverywhereInItsReport() {
        var tallies = DiscussionTallies()
        tallies.byStatus = ["accepted": 3, "rejected": 1]
        tallies.originatingSectors = ["police": 3, "education": 1]
        let stats = DiscussionStatistics(tallies, policy: DisclosurePolicy(), audience: .publicRelease)
        let report = SituationTableAnnualReport(
            table: PartnerTable(nameEn: "Situation table", kind: .situationTable, planId: UUID()),
            from: Day("2025-01-01")!, to: Day("2025-12-31")!,
            statistics: stats, asOf: Timestamp(millisecondsSince1970: 1_780_000_000_000)
        ).report(w)
        #expect(report.allFindings.first { $0.key == "discussions" }?.figures.first?.isWithheld == true)
        for table in report.allTables {
            for row in table.rows {
                #expect(
                    row.dropFirst().allSatisfy { $0.value == nil || $0.value == 0 || $0.value! >= 10 }, "\(table.key)")
            }
        }
    }
}
