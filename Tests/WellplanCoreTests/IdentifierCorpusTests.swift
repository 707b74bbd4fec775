import Foundation
import Testing

@testable import WellplanCore

/// The guard measured like a classifier on `Tests/corpus/identifiers.json`: snippets in English and French,
/// written for this without reading the guard's code, each identifier labelled with its kind. Recall per
/// kind and the share of ordinary snippets refused, by language; the same corpus is run beside Presidio by
/// `scripts/bench --only guard`.
@Suite struct IdentifierCorpusTests {
    struct Corpus: Decodable {
        struct Snippet: Decodable {
            struct Label: Decodable {
                let kind: String
                let text: String
            }
            let id: String
            let lang: String
            let text: String
            let labels: [Label]
        }
        let snippets: [Snippet]
    }

    static let corpus: Corpus = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../corpus/identifiers.json")
        return try! JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url))
    }()

    let guardian = IdentifierGuard(names: IdentifierGuard.shippedNames)

    /// Whether a finding covers any character of the label (offsets in characters).
    func found(_ label: Corpus.Snippet.Label, in text: String, _ findings: [IdentifierGuard.Finding]) -> Bool {
        guard let range = text.range(of: label.text) else { return false }
        let start = text.distance(from: text.startIndex, to: range.lowerBound), end = start + label.text.count
        return findings.contains { $0.position - 1 < end && start < $0.position - 1 + $0.length }
    }

    @Test func everyKindIsFoundAtLeast97TimesIn100AndAtMost3In100OrdinarySnippetsAreRefused() {
        #expect(Self.corpus.snippets.count >= 400)
        for language in ["en", "fr"] {
            let snippets = Self.corpus.snippets.filter { $0.lang == language }
            var labelled: [String: Int] = [:], caught: [String: Int] = [:]
            var ordinary = 0, refused: [String] = []
            for snippet in snippets {
                let findings = guardian.findings(in: snippet.text)
                if snippet.labels.isEmpty {
                    ordinary += 1
                    if !findings.isEmpty { refused.append("\(snippet.id): \(snippet.text) → \(findings.map(\.kind))") }
                }
                for label in snippet.labels {
                    labelled[label.kind, default: 0] += 1
                    if found(label, in: snippet.text, findings) {
                        caught[label.kind, default: 0] += 1
                    } else {
                        print("  missed \(snippet.id) [\(label.kind)] \(label.text): \(snippet.text)")
                    }
                }
            }
            for line in refused { print("  refused \(line)") }
            for kind in labelled.keys.sorted() {
                let recall = Double(caught[kind, default: 0]) / Double(labelled[kind]!)
                print(
                    "identifier guard [\(language)] \(kind): \(caught[kind, default: 0])/\(labelled[kind]!) = \(String(format: "%.3f", recall))"
                )
                #expect(recall >= 0.97, "\(language) \(kind)")
            }
            let rate = Double(refused.count) / Double(ordinary)
            print(
                "identifier guard [\(language)] ordinary snippets refused: \(refused.count)/\(ordinary) = \(String(format: "%.3f", rate))"
            )
            #expect(rate <= 0.03, "\(language)")
        }
    }
}
