import Foundation

/// A report as Markdown, for a wiki, an e-mail or a pull request: headings, bulleted findings with bold
/// figures, pipe tables, and each chart as the table it draws.
public struct ReportMarkdown: Sendable {
    public let reader: Report.Link.Reader
    public let status: String?

    public init(reader: Report.Link.Reader, status: String? = nil) { (self.reader, self.status) = (reader, status) }

    public func render(_ report: Report) -> String {
        let w = ReportWriting(report.language)
        var md = "*\(inline(w.text(report.kind.titleKey)))*\n\n# \(inline(report.title))\n\n"
        if let subtitle = report.subtitle { md += "\(inline(subtitle))\n\n" }
        md +=
            ([status].compactMap { $0 } + [w.text("report_as_of", w.instant(report.asOf))]).map(inline)
            .joined(separator: " · ") + "\n\n"
        for section in report.sections where !section.isEmpty { md += render(section, level: 2, w) }
        if !report.sources.isEmpty {
            md +=
                "## \(inline(w.text("report_sources")))\n\n"
                + report.sources.map { "- \(linked($0.text, $0.link))\n" }.joined() + "\n"
        }
        return md + "*\(inline(w.text("report_disclosure_note")))*\n"
    }

    private func render(_ section: Report.Section, level: Int, _ w: ReportWriting) -> String {
        var md = String(repeating: "#", count: min(level, 6)) + " " + inline(section.title) + "\n\n"
        if let narrative = section.narrative {
            md +=
                narrative.components(separatedBy: "\n\n").map { "> " + inline($0) }.joined(separator: "\n>\n") + "\n\n"
        }
        for block in section.blocks {
            switch block {
            case .paragraph(let text): md += inline(text) + "\n\n"
            case .note(let text): md += "*\(inline(text))*\n\n"
            case .findings(let findings): md += list(findings, depth: 0, w) + "\n"
            case .table(let table): md += render(table)
            case .chart(let chart):
                md += render(
                    Report.Table(
                        key: chart.key, caption: chart.title, columns: ["", w.text("report_value")],
                        rows: chart.bars.map { [Report.Cell($0.label), Report.Cell($0.figure)] }))
            }
        }
        for sub in section.subsections where !sub.isEmpty { md += render(sub, level: level + 1, w) }
        return md
    }

    private func list(_ findings: [Report.Finding], depth: Int, _ w: ReportWriting) -> String {
        findings.map { f in
            let indent = String(repeating: "  ", count: depth)
            var line = indent + "- " + f.spans.map(span).joined()
            if let link = f.link, may(link) { line += " ([\(inline(w.text("report_records")))](\(link.path)))" }
            line += "\n"
            if let note = f.annotation { line += indent + "  *\(inline(note))*\n" }
            return line + list(f.details, depth: depth + 1, w)
        }.joined()
    }

    private func span(_ span: Report.Span) -> String {
        switch span {
        case .text(let t): inline(t)
        case .figure(let f): f.isWithheld ? "*\(inline(f.text))*" : "**\(linked(f.text, f.link))**"
        }
    }

    private func render(_ table: Report.Table) -> String {
        var md = "**\(inline(table.caption))**\n\n"
        md += "| " + table.columns.map(cell).joined(separator: " | ") + " |\n"
        // A column of figures is right-aligned; a column of words is not.
        let numeric = table.columns.indices.map { i in
            i >= table.rowHeaders && table.rows.contains { $0.indices.contains(i) && $0[i].value != nil }
        }
        md += "|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows {
            md += "| " + row.map { linked(cell($0.text), $0.link, escaped: true) }.joined(separator: " | ") + " |\n"
        }
        return md + "\n"
    }

    private func may(_ link: Report.Link) -> Bool { reader == .partners || link.reader == .everyone }

    private func linked(_ text: String, _ link: Report.Link?, escaped: Bool = false) -> String {
        let shown = escaped ? text : inline(text)
        guard let link, may(link) else { return shown }
        return "[\(shown)](\(link.path))"
    }

    private func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Characters that would start Markdown syntax inside running text are escaped.
    private func inline(_ text: String) -> String {
        var out = ""
        for c in text {
            if "\\`*_[]<>#".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
