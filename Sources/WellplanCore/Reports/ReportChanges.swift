import Foundation

/// What changed from one edition of a report to the next: every figure and table cell compared by its
/// stable key, and findings that appeared or went. The next edition carries this as its last section.
public struct ReportChanges: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let what: String
        public let before: String
        public let now: String
    }
    public let lines: [Line]

    public init(from old: Report, to new: Report) {
        func entries(_ r: Report) -> [(key: String, what: String, text: String)] {
            let findings = r.allFindings.flatMap { finding in
                finding.figures.map { (finding.key + "/" + $0.key, finding.text, $0.text) }
            }
            let cells = r.allTables.flatMap { table in
                table.rows.flatMap { row -> [(String, String, String)] in
                    let name = row.prefix(table.rowHeaders).map(\.text).joined(separator: " — ")
                    return zip(table.columns, row).dropFirst(table.rowHeaders).map { column, cell in
                        ("\(table.key)/\(name)/\(column)", "\(table.caption): \(name), \(column)", cell.text)
                    }
                }
            }
            return findings + cells
        }
        let before = Dictionary(entries(old).map { ($0.key, $0) }) { a, _ in a }
        let after = entries(new)
        let afterKeys = Set(after.map(\.key))
        var lines: [Line] = []
        for entry in after {
            let previous = before[entry.key]
            if previous?.text != entry.text {
                lines.append(Line(what: entry.what, before: previous?.text ?? "", now: entry.text))
            }
        }
        for entry in entries(old) where !afterKeys.contains(entry.key) {
            lines.append(Line(what: entry.what, before: entry.text, now: ""))
        }
        // Findings without figures (a step completed, a next step) count as text.
        let oldTexts = Dictionary(old.allFindings.filter { $0.figures.isEmpty }.map { ($0.key, $0.text) }) { a, _ in a }
        let newTexts = Dictionary(new.allFindings.filter { $0.figures.isEmpty }.map { ($0.key, $0.text) }) { a, _ in a }
        for finding in new.allFindings where finding.figures.isEmpty && oldTexts[finding.key] != finding.text {
            lines.append(Line(what: finding.text, before: oldTexts[finding.key] ?? "", now: finding.text))
        }
        for finding in old.allFindings where finding.figures.isEmpty && newTexts[finding.key] == nil {
            lines.append(Line(what: finding.text, before: finding.text, now: ""))
        }
        self.lines = lines
    }

    /// The section the new edition ends with.
    public func section(since edition: Int, on day: Day, _ w: ReportWriting) -> Report.Section {
        let title = w.text("report_changes_since", String(edition), w.day(day))
        guard !lines.isEmpty else {
            return Report.Section(key: "changes", title: title, blocks: [.paragraph(w.text("report_no_changes"))])
        }
        let table = Report.Table(
            key: "changes", caption: title,
            columns: [w.text("report_change_what"), w.text("report_change_before"), w.text("report_change_now")],
            rows: lines.map {
                [
                    Report.Cell($0.what), Report.Cell($0.before.isEmpty ? "—" : $0.before),
                    Report.Cell($0.now.isEmpty ? "—" : $0.now),
                ]
            })
        return Report.Section(key: "changes", title: title, blocks: [.table(table)])
    }
}
