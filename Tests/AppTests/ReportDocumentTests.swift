import Foundation
import Testing
import VaporTesting
import WellplanCore

@testable import App

/// The report document is drawn by Leaf, the engine of every page, from the report model.
@Suite struct ReportDocumentTests {
    static let w = ReportWriting(.en)

    /// A report with nested sections and findings, a withheld figure, a linked figure, hostile text, a
    /// narrative over two paragraphs, a table and a chart.
    static func sample() -> Report {
        let events = Report.Figure(key: "events", value: 3, text: "3", link: .record(.event, UUID()))
        let findings = [
            Report.Finding(
                key: "attended",
                w.sentence(
                    "report_wg_attended",
                    [.figure(events), .text("community event"), .text("October 9, 2025"), .text("November 13, 2025")]),
                details: [
                    Report.Finding(
                        key: "plans", w.sentence("report_distributed_safety_plan", [.figure(w.count("count", 82))]))
                ]),
            Report.Finding(key: "small", w.sentence("report_st_discussions", [.figure(w.protected("discussions", 4))])),
            Report.Finding(
                key: "step", [.text("Launched a <community> survey & *more*")], link: .record(.project, UUID())),
        ]
        let table = Report.Table(
            key: "results", caption: "Counted work", columns: ["Count", "Period"],
            rows: [
                [Report.Cell("Events"), Report.Cell(w.count("n", 3))],
                [Report.Cell("=SUM(A1)"), Report.Cell(w.withheld("n"))],
            ])
        let chart = Report.Chart(
            key: "by-area", title: "Events by area", description: "Events held in each area",
            bars: [
                .init(label: "Leamington", figure: w.count("a", 2)),
                .init(label: "Essex \"north\"", figure: w.withheld("b")),
            ], reference: 3, referenceLabel: "Target")
        return Report(
            kind: .workingGroupUpdate, language: .en, title: "Group <one>", subtitle: "Update & more",
            asOf: Timestamp(millisecondsSince1970: 1_764_000_000_000),
            sections: [
                Report.Section(
                    key: "project", title: "Project", narrative: "First line\nsecond line\n\nNext paragraph",
                    subsections: [
                        Report.Section(key: "accomplishments", title: "Accomplishments", blocks: [.findings(findings)]),
                        Report.Section(key: "results", title: "Results", blocks: [.table(table), .note("n = 3")]),
                    ]),
                Report.Section(key: "charts", title: "Charts", blocks: [.chart(chart)]),
                Report.Section(key: "empty", title: "Nothing here"),
                Report.Section(key: "words", title: "Words", blocks: [.paragraph("Plain words.")]),
            ],
            sources: [Report.Source("Events (3 records)", link: Report.Link(SiteURL.records(.event)))])
    }

    /// The first element that does not close where it should, or nil when every element opened is closed
    /// in order (void elements aside): the walk from tree to flat parts must lose no end tag.
    static func unbalancedTag(_ html: String) -> String? {
        let void: Set = ["meta", "br", "input", "link", "img", "hr", "rect", "line", "path", "circle"]
        var open: [String] = []
        for match in html.matches(of: /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(\/?)>/) {
            let name = String(match.output.2).lowercased()
            if void.contains(name) || !match.output.3.isEmpty { continue }
            if match.output.1.isEmpty {
                open.append(name)
            } else if open.last == name {
                open.removeLast()
            } else {
                return "</\(name)> after <\(open.last ?? "nothing")>"
            }
        }
        return open.last.map { "<\($0)> never closed" }
    }

    @Test func theDocumentIsOneAccessibleWellFormedPage() async throws {
        try await withApp { app in
            let document = ReportDocument(
                Self.sample(), reader: .everyone, alternate: "/x?lang=fr", status: "Edition 1")
            let html = try await document.render(app.view)
            #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
            #expect(Self.unbalancedTag(html.replacingOccurrences(of: "<!doctype html>", with: "")) == nil)
            #expect(html.components(separatedBy: "<h1>").count == 2 && html.contains("<main>"))
            #expect(html.contains("<caption>Counted work</caption>") && html.contains("<th scope=\"col\">"))
            #expect(html.contains("<th scope=\"row\">Events</th><td class=\"number\">3</td>"))
            #expect(html.contains("hreflang=\"fr\" lang=\"fr\">Français</a>"))
            #expect(html.contains("Edition 1 · Data as of"))
            #expect(!html.contains("<script") && !html.contains("src=\"http"))
            // Sections nest as headings do; an empty section is left out; more than two make a contents list.
            #expect(html.contains("<h2 id=\"h-project\">Project</h2>") && html.contains("<h3 id=\"h-results\">"))
            #expect(!html.contains("Nothing here") && html.contains("<li><a href=\"#charts\">Charts</a></li>"))
            #expect(html.contains("<p class=\"narrative\">First line<br>second line</p>"))
            #expect(html.contains("<p class=\"narrative\">Next paragraph</p>"))
            // A detail is a list inside its finding's item.
            #expect(
                html.contains(
                    "November 13, 2025<ul class=\"findings\"><li><strong class=\"figure\">82</strong> neighbourhood"))
            // The chart is BarChart's picture followed by its figures as a table.
            #expect(html.contains("<figure") && html.contains("<caption>Data of the chart: Events by area</caption>"))
            // The style sheet is exactly the one the Content-Security-Policy allows by its digest.
            #expect(html.contains("<style>" + ReportDocument.style + "</style>"))
        }
    }

    @Test func withheldFiguresHaveNoNumberAndTextIsEscaped() async throws {
        try await withApp { app in
            let html = try await ReportDocument(Self.sample(), reader: .everyone).render(app.view)
            #expect(html.contains("<em class=\"withheld\">withheld</em> situations discussed"))
            #expect(!html.contains("4 situations"))
            #expect(html.contains("Launched a &lt;community&gt; survey &amp; *more*") && !html.contains("<community>"))
            #expect(html.contains("<title>Group &lt;one&gt;</title>") && html.contains("Update &amp; more"))
            #expect(!html.contains("Essex \"north\""))
        }
    }

    @Test func linksAreKeptOnlyForReadersWhoMayFollowThem() async throws {
        try await withApp { app in
            let report = Self.sample()
            let forPublic = try await ReportDocument(report, reader: .everyone).render(app.view)
            let forPartners = try await ReportDocument(report, reader: .partners).render(app.view)
            #expect(!forPublic.contains("href=\"/events/") && !forPublic.contains("href=\"/projects/"))
            #expect(forPartners.contains("<strong class=\"figure\"><a href=\"/events/"))
            // A finding without figures links to its records beside its text.
            #expect(forPartners.contains("*more* <a class=\"records\" href=\"/projects/"))
            #expect(forPartners.contains("<a href=\"/events\">Events (3 records)</a>"))
        }
    }
}
