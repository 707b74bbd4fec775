import Vapor
import WellplanCore

/// A report as one self-contained HTML document, drawn by the `report-document` template with the same
/// engine as every page: its own styles, no script, no fetched resource, so the same bytes serve the page,
/// the printed copy, the PDF and the archive. Landmarks, one h1, captions and header cells, charts as SVG
/// with a title, a description and the table they draw.
///
/// Leaf does not recurse, so the report's tree of sections and findings is walked here into parts in
/// reading order: a section or list opens, its content follows, it closes.
struct ReportDocument: Encodable {
    let lang: String
    let title: String
    let kind: String
    let subtitle: String?
    let facts: String
    let alternate: Alternate?
    let contents: Linked.List?
    let parts: [Part]
    let sources: Linked.List?
    let disclosureNote: String
    let style: String

    /// The same report in the other language.
    struct Alternate: Encodable {
        let href: String
        let lang: String
        let label: String
    }

    /// Text with the link a reader may follow, if any.
    struct Linked: Encodable {
        let text: String
        let href: String?

        struct List: Encodable {
            let heading: String
            let items: [Linked]
        }
    }

    struct Section: Encodable {
        let id: String
        let level: Int
        let title: String
    }

    struct Paragraph: Encodable {
        let style: String?
        let lines: [String]
    }

    /// One finding's own line: its spans, the link beside it when no figure carries one, its note.
    struct Item: Encodable {
        let spans: [Span]
        let records: Linked?
        let annotation: String?
    }

    struct Span: Encodable {
        let text: String
        let isFigure: Bool
        let isWithheld: Bool
        let href: String?
    }

    struct Table: Encodable {
        let id: String
        let caption: String
        let columns: [String]
        let rows: [[Cell]]
    }

    struct Cell: Encodable {
        let text: String
        let href: String?
        let isHeader: Bool
        let isNumber: Bool
    }

    /// One piece of the document; exactly one of its fields is set.
    struct Part: Encodable {
        var sectionStart: Section?
        var sectionEnd: Bool?
        var paragraph: Paragraph?
        var note: String?
        var listStart: Bool?
        var item: Item?
        var itemEnd: Bool?
        var listEnd: Bool?
        var table: Table?
        var chart: String?
    }

    /// Who reads it decides which links stay; `alternate` is where the other language is; `status` is the
    /// line under the title ("Edition 2, published …" or "Draft").
    init(_ report: Report, reader: Report.Link.Reader, alternate: String? = nil, status: String? = nil) {
        let walk = Walk(reader: reader, writing: ReportWriting(report.language))
        let w = walk.writing
        lang = report.language.rawValue
        title = report.title
        kind = w.text(report.kind.titleKey)
        subtitle = report.subtitle
        facts = ([status].compactMap { $0 } + [w.text("report_as_of", w.instant(report.asOf))])
            .joined(separator: " · ")
        self.alternate = alternate.map { href in
            let other: Language = report.language == .en ? .fr : .en
            let label = Catalogue.shared.text("language_name", other)
            return Alternate(href: href, lang: other.rawValue, label: label)
        }
        let shown = report.sections.filter { !$0.isEmpty }
        let entries = shown.map { Linked(text: $0.title, href: "#" + Walk.anchor($0.key)) }
        contents = shown.count > 2 ? Linked.List(heading: w.text("report_contents"), items: entries) : nil
        parts = shown.flatMap { walk.parts($0, level: 2) }
        let sourceItems = report.sources.map { walk.linked($0.text, $0.link) }
        sources = sourceItems.isEmpty ? nil : Linked.List(heading: w.text("report_sources"), items: sourceItems)
        disclosureNote = w.text("report_disclosure_note")
        style = Self.style
    }

    /// The document's HTML, drawn by the views the server uses for its pages.
    func render(_ views: any ViewRenderer) async throws -> String {
        let view = try await views.render("report-document", self)
        return String(buffer: view.data)
    }

    /// Turns a report's sections into parts for one reader.
    private struct Walk {
        let reader: Report.Link.Reader
        let writing: ReportWriting

        func parts(_ section: Report.Section, level: Int) -> [Part] {
            let opening = Section(id: Self.anchor(section.key), level: min(level, 6), title: section.title)
            var parts = [Part(sectionStart: opening)]
            if let narrative = section.narrative {
                parts += paragraphs(narrative, style: "narrative")
            }
            for block in section.blocks {
                switch block {
                case .paragraph(let text): parts += paragraphs(text, style: nil)
                case .note(let text): parts.append(Part(note: text))
                case .findings(let findings): parts += list(findings)
                case .table(let table): parts.append(Part(table: self.table(table)))
                case .chart(let chart): parts += self.chart(chart)
                }
            }
            for subsection in section.subsections where !subsection.isEmpty {
                parts += self.parts(subsection, level: level + 1)
            }
            parts.append(Part(sectionEnd: true))
            return parts
        }

        func list(_ findings: [Report.Finding]) -> [Part] {
            guard !findings.isEmpty else { return [] }
            var parts = [Part(listStart: true)]
            for finding in findings {
                parts.append(Part(item: item(finding)))
                parts += list(finding.details)
                parts.append(Part(itemEnd: true))
            }
            parts.append(Part(listEnd: true))
            return parts
        }

        /// A figure links to its own records, or else to its finding's; a finding without figures links
        /// beside its text.
        func item(_ finding: Report.Finding) -> Item {
            let spans = finding.spans.map { span -> Span in
                switch span {
                case .text(let text):
                    return Span(text: text, isFigure: false, isWithheld: false, href: nil)
                case .figure(let figure):
                    let href = figure.isWithheld ? nil : self.href(figure.link ?? finding.link)
                    return Span(text: figure.text, isFigure: true, isWithheld: figure.isWithheld, href: href)
                }
            }
            var records: Linked? = nil
            if finding.figures.isEmpty, let href = href(finding.link) {
                records = Linked(text: writing.text("report_records"), href: href)
            }
            return Item(spans: spans, records: records, annotation: finding.annotation)
        }

        func table(_ table: Report.Table) -> Table {
            let rows = table.rows.map { row in
                row.enumerated().map { column, cell in
                    Cell(
                        text: cell.text, href: href(cell.link), isHeader: column < table.rowHeaders,
                        isNumber: cell.value != nil)
                }
            }
            return Table(id: "t-" + Self.anchor(table.key), caption: table.caption, columns: table.columns, rows: rows)
        }

        /// The chart as `BarChart` draws it everywhere, then its figures as a table.
        func chart(_ chart: Report.Chart) -> [Part] {
            let bars = chart.bars.map {
                BarChart.Bar(label: $0.label, value: $0.figure.value, text: $0.figure.text)
            }
            let reference = chart.reference.map {
                BarChart.Reference(value: $0, label: chart.referenceLabel ?? "")
            }
            let picture = BarChart(
                id: "c-" + Self.anchor(chart.key), title: chart.title, description: chart.description, bars: bars,
                reference: reference)
            let data = Report.Table(
                key: chart.key + "-data", caption: writing.text("report_chart_data", chart.title),
                columns: ["", writing.text("report_value")],
                rows: chart.bars.map { [Report.Cell($0.label), Report.Cell($0.figure)] })
            return [Part(chart: picture.figure), Part(table: table(data))]
        }

        func paragraphs(_ text: String, style: String?) -> [Part] {
            let blocks = text.components(separatedBy: "\n\n").filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
            return blocks.map { block in
                Part(paragraph: Paragraph(style: style, lines: block.components(separatedBy: "\n")))
            }
        }

        func linked(_ text: String, _ link: Report.Link?) -> Linked {
            Linked(text: text, href: href(link))
        }

        /// The link's address when this reader may follow it.
        func href(_ link: Report.Link?) -> String? {
            guard let link, reader == .partners || link.reader == .everyone else { return nil }
            return link.path
        }

        static func anchor(_ key: String) -> String {
            String(key.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        }
    }

    /// The document's whole style sheet; the server allows it by its SHA-256 and nothing else.
    static let style = """
        :root{--ink:#1b1b1b;--muted:#4a4a4a;--accent:#0b5394;--line:#c8c8c8}
        body{margin:0 auto;max-width:52rem;padding:1.5rem;font:16px/1.5 system-ui,sans-serif;color:var(--ink);background:#fff}
        a{color:var(--accent)}a:focus{outline:3px solid #ffbf47;outline-offset:1px}
        h1{font-size:1.8rem;margin:.2rem 0}h2{border-bottom:2px solid var(--accent);padding-bottom:.2rem;margin-top:2rem}
        .kind,.facts,.subtitle,.note{color:var(--muted)}.kind{margin:0;text-transform:uppercase;letter-spacing:.05em;font-size:.85rem}
        .narrative{border-left:4px solid var(--accent);padding-left:.8rem}
        .annotation{margin:.2rem 0;font-style:italic;color:var(--muted)}
        .findings li{margin:.35rem 0}.withheld{color:var(--muted)}
        table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.95rem}caption{text-align:left;font-weight:bold;padding:.25rem 0}
        th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top}td.number{text-align:right}
        figure{margin:1rem 0}svg{max-width:100%;height:auto;font:13px system-ui,sans-serif}figcaption{color:var(--muted)}
        @media print{body{max-width:none;padding:0}a{color:inherit;text-decoration:none}h2{break-after:avoid}table,figure{break-inside:avoid}nav{display:none}}
        """
}
