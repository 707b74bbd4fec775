import Foundation
import Testing

@testable import WellplanCore

/// Every interface string has its French, every label the code uses exists, every code list is bilingual.
@Suite struct LanguageTests {
    static let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/App/Resources/Views").standardized

    @Test func everyCatalogueEntryHasEnglishAndFrench() {
        #expect(Catalogue.shared.untranslated == [])
    }

    @Test func theCheckCatchesAMissingTranslation() {
        let broken = Catalogue(entries: ["a": ["en": "A", "fr": "A"], "b": ["en": "B", "fr": " "], "c": ["en": "C"]])
        #expect(broken.untranslated == ["b", "c"])
    }

    /// An error's key written in the code (`FieldProblem("changedOn", "error_not_day")`) names a catalogue entry;
    /// a missing one would show the reader the key itself.
    @Test func everyErrorKeyTheCodeNamesIsInTheCatalogue() throws {
        let sources = Self.views.appendingPathComponent("../..").standardized
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap {
            $0 as? URL
        }
        .filter { $0.pathExtension == "swift" }
        #expect(files.count >= 50)
        let pattern = try NSRegularExpression(pattern: #""(error_[a-z0-9_]*[a-z0-9])""#)
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if Catalogue.shared.entries[key] == nil { missing.append("\(file.lastPathComponent): \(key)") }
            }
        }
        #expect(missing == [])
    }

    @Test func everyStringATemplateUsesIsInTheCatalogue() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.views.path).filter {
            $0.hasSuffix(".leaf")
        }
        #expect(files.count >= 10)
        let pattern = try NSRegularExpression(pattern: #"(?<![\w.])t\.(\w+)"#)
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.views.appendingPathComponent(file), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if Catalogue.shared.entries[key] == nil { missing.append("\(file): \(key)") }
            }
        }
        #expect(missing == [])
    }

    @Test func everyFieldKindAndRoleHasALabel() {
        var keys = RecordKind.allCases.flatMap { [$0.labelKey, $0.pluralKey] + $0.fields.map(\.labelKey) }
        keys += Role.allCases.map { "role_\($0.rawValue)" }
        #expect(keys.filter { Catalogue.shared.entries[$0] == nil } == [])
    }

    @Test func everyCodeListEntryIsBilingualAndRiskFactorsBelongToACategory() {
        for list in CodeList.all.values {
            #expect(list.entries.allSatisfy { !$0.en.isEmpty && !$0.fr.isEmpty }, "\(list.name)")
            #expect(Set(list.codes).count == list.codes.count, "\(list.name) has duplicate codes")
        }
        let categories = Set(CodeList.riskFactors.entries.filter { $0.group == nil }.map(\.code))
        #expect(categories.count == 27)
        #expect(CodeList.riskFactors.entries.count > 100)
        #expect(CodeList.riskFactors.entries.allSatisfy { $0.group == nil || categories.contains($0.group!) })
        #expect(CodeList.riskFactors.entry("gambling.harm_to_self")?.isProvisional == false)
        #expect(CodeList.riskFactors.entry("gangs.member")?.isProvisional == true)
    }

    @Test func acceptLanguagePicksTheBestSupportedLanguage() {
        #expect(Language.preferred(acceptLanguage: "fr-CA,fr;q=0.9,en;q=0.8") == .fr)
        #expect(Language.preferred(acceptLanguage: "de-DE,en;q=0.5,fr;q=0.7") == .fr)
        #expect(Language.preferred(acceptLanguage: "de") == .en)
        #expect(Language.preferred(acceptLanguage: nil) == .en)
    }
}
