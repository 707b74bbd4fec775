import Foundation

/// Every table of a report as its own CSV file (charts as the tables they draw), named in order, with the
/// report's findings and their figures and a contents file naming each table: the bundle an analyst opens
/// in a spreadsheet. A withheld figure
/// is an empty value with its reason beside it, never a number.
public enum ReportCSV {
    public struct File: Sendable, Equatable {
        public let name: String
        public let text: String
    }

    public static func files(_ report: Report) -> [File] {
        let w = ReportWriting(report.language)
        let findings = report.allFindings.flatMap { f in
            f.figures.map { [f.key, f.text, $0.key, $0.value.map(number) ?? "", $0.text] }
        }
        var files = [
            File(
                name: "01-findings.csv",
                text: CSVWriter.document(
                    [
                        [
                            "finding", w.text("report_finding"), "figure", w.text("report_value"),
                            w.text("report_as_printed"),
                        ]
                    ] + findings))
        ]
        var contents = [["file", w.text("report_table")], [files[0].name, w.text("report_finding")]]
        let tables =
            report.allTables
            + report.allCharts.map { c in
                Report.Table(
                    key: c.key, caption: c.title, columns: ["", w.text("report_value")],
                    rows: c.bars.map { [Report.Cell($0.label), Report.Cell($0.figure)] })
            }
        for (i, table) in tables.enumerated() {
            var rows = [table.columns]
            for row in table.rows {
                rows.append(
                    row.enumerated().map { j, cell in
                        j < table.rowHeaders
                            ? cell.text : (cell.value.map(number) ?? (cell.text == "—" ? "" : cell.text))
                    })
            }
            let name = String(format: "%02d-", i + 2) + slug(table.key) + ".csv"
            files.append(File(name: name, text: CSVWriter.document(rows)))
            contents.append([name, table.caption])
        }
        return [File(name: "00-contents.csv", text: CSVWriter.document(contents))] + files
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func slug(_ key: String) -> String {
        String(key.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(60))
    }
}
