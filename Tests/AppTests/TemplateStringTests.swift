import Foundation
import Leaf
import LeafKit
import Testing
import VaporTesting
import WellplanCore

@testable import App

/// Each page is given the interface strings its template uses, and only those: every template's strings,
/// its layout's included, exist in the catalogue in both languages.
@Suite struct TemplateStringTests {
    static let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../Sources/App/Resources/Views")

    @Test func everyTemplateIsGivenEveryStringItUsesAndNoOther() throws {
        let templates = try FileManager.default.contentsOfDirectory(atPath: Self.views.path).filter {
            $0.hasSuffix(".leaf")
        }
        #expect(templates.count > 40)
        let layout = TemplateStrings.keys("layout")
        #expect(!layout.isEmpty)
        for file in templates {
            let name = String(file.dropLast(5))
            let text = try String(contentsOf: Self.views.appendingPathComponent(file), encoding: .utf8)
            let keys = TemplateStrings.keys(name)
            if text.contains(#"#extend("layout")"#) {
                #expect(layout.isSubset(of: keys), "\(name) lacks its layout's strings")
            }
            for language in Language.allCases {
                let given = Catalogue.shared.strings(language, keys)
                #expect(Set(given.keys) == keys, "\(name): no text for \(keys.subtracting(given.keys).sorted())")
                #expect(given.count < Catalogue.shared.entries.count)
            }
        }
    }

    /// Templates are read and parsed once, also in the development environment that `serve` runs in by
    /// default (Leaf's own provider switched the cache off there, so every page read and lexed them again).
    @Test func pagesAreDrawnFromTemplatesParsedOnceInEveryEnvironment() async throws {
        try await withApp(environment: .development) { app in
            for _ in 0..<2 {
                let page = try await app.testing().sendRequest(.GET, "/signin")
                #expect(page.status == .ok)
            }
            #expect(app.leaf.cache.isEnabled)
            #expect(((app.leaf.cache as? DefaultLeafCache)?.count ?? 0) > 0)
        }
    }
}
