import Foundation
import Testing

@testable import WellplanCore

/// The one CSV writer: every formula start made inert, one line ending, and what it writes the one
/// reader reads back as it was.
@Suite struct CSVWriterTests {
    static let attacks = [
        "=HYPERLINK(\"http://x.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR",
        "\r\nCRLF",
    ]

    @Test(arguments: attacks) func aFormulaStartIsMadeInert(_ text: String) throws {
        let line = CSVWriter.line(["x", text])
        let cell = String(line.dropFirst(2).dropLast(2))
        // Quoted or not, the first character a spreadsheet reads in the cell is the inert quote.
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"), "\(line.debugDescription)")
        let read = try CSVDocument(data: Data(("a,b\r\n" + line).utf8))
        #expect(read.rows[0].fields == ["x", text])
    }

    @Test func numbersAndPlainTextAreLeftAsTheyAre() {
        #expect(CSVWriter.line(["-3.5", "+2", "1e5", "plain", "O'Brien"]) == "-3.5,+2,1e5,plain,O'Brien\r\n")
    }

    /// Random rows of separators, quotes, line breaks, formula starts, texts that already begin with the
    /// inert quote and accents: written, then read by the importers' reader, they come back the same.
    @Test func whatIsWrittenReadsBackAsItWas() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = [",", "\"", "\n", "\r\n", "'", "'=", "''", "=", "+", "-", "@", "\t", "é", "✓", "a", "1", " ", ";"]
        for _ in 0..<200 {
            let width = Int.random(in: 1...5, using: &generator)
            let header = (0..<width).map { "c\($0)" }
            var rows: [[String]] = []
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                rows.append(
                    (0..<width).map { _ in
                        (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                            pieces.randomElement(using: &generator)!
                        }.joined()
                    })
            }
            rows.removeAll { $0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
            let text = CSVWriter.document([header] + rows)
            let read = try CSVDocument(data: Data(text.utf8))
            #expect(read.header == header)
            #expect(read.rows.map(\.fields) == rows, "\(text.debugDescription)")
            // One line ending: outside quotes, every line break is CR LF.
            var quoted = false
            for (previous, c) in zip([" "] + Array(text.unicodeScalars), Array(text.unicodeScalars)) {
                if c == "\"" { quoted.toggle() }
                if !quoted, c == "\n" { #expect(previous == "\r") }
            }
        }
    }

    /// No other file writes CSV: the quoting, the line ending and the inert quote live in `CSVWriter` alone.
    @Test func noOtherCodeWritesCSV() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap {
            $0 as? URL
        }
        .filter { $0.pathExtension == "swift" && $0.lastPathComponent != "CSVWriter.swift" }
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains(#"with: "\"\"")"#), "\(file.lastPathComponent) doubles quotes itself")
            #expect(
                !text.contains(#"joined(separator: ",") + "\r\n""#), "\(file.lastPathComponent) ends CSV lines itself")
        }
    }
}
