import Foundation
import Testing

@testable import WellplanCore

@Suite struct IdentifierGuardTests {
    let guardian = IdentifierGuard(names: IdentifierGuard.shippedNames)

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func theCorpusMeetsRecallAndFalsePositiveTargets() {
        let identifying = Self.lines(IdentifierCorpus.identifying).map { line -> (String, String) in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts[1])
        }
        let clean = Self.lines(IdentifierCorpus.clean)
        #expect(identifying.count + clean.count >= 200)
        #expect(Set(identifying.map(\.0)).count >= 9, "every kind of identifier is in the corpus")

        let missed = identifying.filter { guardian.findings(in: $0.1).isEmpty }
        let flagged = clean.filter { !guardian.findings(in: $0).isEmpty }
        let recall = Double(identifying.count - missed.count) / Double(identifying.count)
        let falsePositiveRate = Double(flagged.count) / Double(clean.count)
        print(
            "identifier guard: recall \(String(format: "%.3f", recall)) on \(identifying.count) identifying snippets;",
            "false positives \(String(format: "%.1f", falsePositiveRate * 100)) % on \(clean.count) clean narratives")
        for (kind, text) in missed { print("  missed [\(kind)]: \(text)") }
        for text in flagged { print("  flagged: \(text) → \(guardian.findings(in: text).map(\.kind))") }
        #expect(recall >= 0.95)
        #expect(falsePositiveRate <= 0.05)
    }

    @Test(arguments: [
        ("Call 519-555-0143 tonight", IdentifierGuard.Kind.phone, 6),
        ("write to a.b@example.com", .email, 10),
        ("Near N9A 6T3", .postalCode, 6),
        ("At 55 Elm St. again", .streetAddress, 4),
        ("Seen 2026-03-14", .fullDate, 6),
        ("DOB 2009-07-12", .dateOfBirth, 1),
        ("Card 1234-567-890 AB", .healthCard, 6),
        ("SIN 046 454 286", .socialInsurance, 5),
        ("Her son Kevin left", .titledName, 5),
        ("Mme Gagnon a appelé", .titledName, 1),
        ("Hier, Léonie est partie", .listedName, 7),
    ])
    func eachKindIsFoundWhereItIs(text: String, kind: IdentifierGuard.Kind, position: Int) {
        let findings = IdentifierGuard(names: ["Léonie"]).findings(in: text)
        #expect(findings.map(\.kind) == [kind])
        #expect(findings.first?.position == position)
    }

    @Test func aNineDigitNumberFailingLuhnIsNotASocialInsuranceNumber() {
        #expect(IdentifierGuard().findings(in: "file 123 456 789").filter { $0.kind == .socialInsurance }.isEmpty)
        #expect(IdentifierGuard().findings(in: "file 046 454 286").map(\.kind) == [.socialInsurance])
    }

    @Test func listedNamesMatchOnlyCapitalisedWholeWords() {
        let guardian = IdentifierGuard(names: ["Rose"])
        #expect(guardian.findings(in: "the risk rose sharply").isEmpty)
        #expect(guardian.findings(in: "Roseanne and Rosewood").isEmpty)
        #expect(guardian.findings(in: "Rose stayed out").map(\.kind) == [.listedName])
    }

    @Test func problemsNameTheFieldThePlaceAndTheKindInTheReadersLanguage() {
        let problems = IdentifierGuard().problems(in: ["summary": "Reach her at 519-555-0143", "area": "North end"])
        #expect(problems == [FieldProblem("summary", "error_identifier_found", ["@identifier_phone", "14"])])
        #expect(problems[0].message(.en).contains("phone number"))
        #expect(problems[0].message(.en).contains("14"))
        #expect(problems[0].message(.fr).contains("numéro de téléphone"))
    }
}
