import Testing

@testable import WellplanCore

@Suite struct MarkupTests {
    /// Whatever the text, what is written holds no character that could open a tag, an entity or an
    /// attribute, and reads back as the text.
    @Test(arguments: ["plain", "<script>alert('x')</script>", "a & b", "\"quoted\" 'single'", "&amp; already", "é—à 😀"])
    func escapedTextOpensNothingAndReadsBack(text: String) {
        let written = Markup.escaped(text)
        #expect(!written.contains { "<>\"'".contains($0) })
        let entities = written.split(separator: "&").dropFirst()
        let known = ["amp;", "lt;", "gt;", "quot;", "#39;"]
        #expect(entities.allSatisfy { entity in known.contains { entity.hasPrefix($0) } })
        let readBack = written.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        #expect(readBack == text)
    }
}
