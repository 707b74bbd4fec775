import Foundation

/// A report as one self-contained HTML document: its own styles, no script, no fetched resource, so the
/// same bytes serve the page, the printed copy, the PDF and the archive. Landmarks, one h1, captions and
/// header cells, charts as SVG with a title, a description and the table they draw.
public struct ReportHTML: Sendable {
    /// Who reads it: a figure's link is kept only when this reader may follow it.
    public let reader: Report.Link.Reader
    /// Where the same report is in the other language, when it is.
    public let alternate: String?
    /// The line under the title: "Edition 2, published …" or "Draft".
    public let status: String?

    public init(reader: Report.Link.Reader, alternate: String? = nil, status: String? = nil) {
        (self.reader, self.alternate, self.status) = (reader, alternate, status)
    }

    public func render(_ report: Report) -> String {
        let w = ReportWriting(report.language)
        var html = """
            <!doctype html>
            <html lang="\(report.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escaped(report.title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header>
            <p class="kind">\(Markup.escaped(w.text(report.kind.titleKey)))</p>
            <h1>\(Markup.escaped(report.title))</h1>

            """
        if let subtitle = report.subtitle { html += "<p class=\"subtitle\">\(Markup.escaped(subtitle))</p>\n" }
        var facts = [w.text("report_as_of", Self.instant(report.asOf, w))]
        if let status { facts.insert(status, at: 0) }
        html += "<p class=\"facts\">\(facts.map(Markup.escaped).joined(separator: " · "))</p>\n"
        if let alternate {
            let other: Language = report.language == .en ? .fr : .en
            html +=
                "<p><a href=\"\(Markup.escaped(alternate))\" hreflang=\"\(other.rawValue)\" lang=\"\(other.rawValue)\">\(Markup.escaped(Catalogue.shared.text("language_name", other)))</a></p>\n"
        }
        html += "</header>\n<main>\n"
        let contents = report.sections.filter { !$0.isEmpty }
        if contents.count > 2 {
            html +=
                "<nav aria-label=\"\(Markup.escaped(w.text("report_contents")))\"><h2>\(Markup.escaped(w.text("report_contents")))</h2><ol>"
            html += contents.map { "<li><a href=\"#\(anchor($0.key))\">\(Markup.escaped($0.title))</a></li>" }.joined()
            html += "</ol></nav>\n"
        }
        for section in contents { html += render(section, level: 2, w) }
        html += "</main>\n<footer>\n"
        if !report.sources.isEmpty {
            html += "<h2>\(Markup.escaped(w.text("report_sources")))</h2>\n<ul class=\"sources\">"
            html += report.sources.map { "<li>\(linked($0.text, $0.link))</li>" }.joined()
            html += "</ul>\n"
        }
        html +=
            "<p class=\"note\">\(Markup.escaped(w.text("report_disclosure_note")))</p>\n</footer>\n</body>\n</html>\n"
        return html
    }

    private func render(_ section: Report.Section, level: Int, _ w: ReportWriting) -> String {
        let h = min(level, 6)
        var html = "<section id=\"\(anchor(section.key))\" aria-labelledby=\"h-\(anchor(section.key))\">\n"
        html += "<h\(h) id=\"h-\(anchor(section.key))\">\(Markup.escaped(section.title))</h\(h)>\n"
        if let narrative = section.narrative { html += paragraphs(narrative, cssClass: "narrative") }
        for block in section.blocks {
            switch block {
            case .paragraph(let text): html += paragraphs(text, cssClass: nil)
            case .note(let text): html += "<p class=\"note\">\(Markup.escaped(text))</p>\n"
            case .findings(let findings): html += list(findings, w) + "\n"
            case .table(let table): html += render(table)
            case .chart(let chart): html += render(chart, w)
            }
        }
        for sub in section.subsections where !sub.isEmpty { html += render(sub, level: level + 1, w) }
        return html + "</section>\n"
    }

    private func list(_ findings: [Report.Finding], _ w: ReportWriting) -> String {
        guard !findings.isEmpty else { return "" }
        return "<ul class=\"findings\">"
            + findings.map { f in
                // A figure links to its own records, or else to its finding's; a finding without figures links beside it.
                var item = "<li>" + f.spans.map { span($0, otherwise: f.link) }.joined()
                if let link = f.link, may(link), f.figures.isEmpty {
                    item +=
                        " <a class=\"records\" href=\"\(Markup.escaped(link.path))\">\(Markup.escaped(w.text("report_records")))</a>"
                }
                if let note = f.annotation { item += "<p class=\"annotation\">\(Markup.escaped(note))</p>" }
                return item + list(f.details, w) + "</li>"
            }.joined() + "</ul>"
    }

    private func span(_ span: Report.Span, otherwise link: Report.Link?) -> String {
        switch span {
        case .text(let t): Markup.escaped(t)
        case .figure(let f):
            f.isWithheld
                ? "<em class=\"withheld\">\(Markup.escaped(f.text))</em>"
                : "<strong class=\"figure\">\(linked(f.text, f.link ?? link))</strong>"
        }
    }

    private func render(_ table: Report.Table) -> String {
        var html =
            "<div class=\"table\"><table id=\"t-\(anchor(table.key))\">\n<caption>\(Markup.escaped(table.caption))</caption>\n<thead><tr>"
        html += table.columns.map { "<th scope=\"col\">\(Markup.escaped($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (i, cell) in row.enumerated() {
                let text = linked(cell.text, cell.link)
                if i < table.rowHeaders {
                    html += "<th scope=\"row\">\(text)</th>"
                } else {
                    html += "<td\(cell.value != nil ? " class=\"number\"" : "")>\(text)</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    /// The chart as `BarChart` draws it everywhere, then its figures as a table.
    private func render(_ chart: Report.Chart, _ w: ReportWriting) -> String {
        let bars = chart.bars.map { BarChart.Bar(label: $0.label, value: $0.figure.value, text: $0.figure.text) }
        let reference = chart.reference.map { BarChart.Reference(value: $0, label: chart.referenceLabel ?? "") }
        let picture = BarChart(
            id: "c-" + anchor(chart.key), title: chart.title, description: chart.description, bars: bars,
            reference: reference)
        let table = Report.Table(
            key: chart.key + "-data", caption: w.text("report_chart_data", chart.title),
            columns: ["", w.text("report_value")],
            rows: chart.bars.map { [Report.Cell($0.label), Report.Cell($0.figure)] })
        return picture.figure + "\n" + render(table)
    }

    private func may(_ link: Report.Link) -> Bool { reader == .partners || link.reader == .everyone }

    private func linked(_ text: String, _ link: Report.Link?) -> String {
        guard let link, may(link) else { return Markup.escaped(text) }
        return "<a href=\"\(Markup.escaped(link.path))\">\(Markup.escaped(text))</a>"
    }

    private func paragraphs(_ text: String, cssClass: String?) -> String {
        text.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            "<p\(cssClass.map { " class=\"\($0)\"" } ?? "")>\(Markup.escaped($0).replacingOccurrences(of: "\n", with: "<br>"))</p>\n"
        }.joined()
    }

    private func anchor(_ key: String) -> String {
        String(key.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    static func instant(_ t: Timestamp, _ w: ReportWriting) -> String {
        let text = t.description
        return w.day(t.day) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }

    /// The document's whole style sheet; the server allows it by its SHA-256 and nothing else.
    public static let style = """
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
