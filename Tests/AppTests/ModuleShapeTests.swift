import Foundation
import Testing

/// The module folders read alike because these rules are checked over every source file, not remembered.
@Suite struct ModuleShapeTests {
    static let app = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/App")

    /// Every Swift file under `Sources/App`, with its folder and text.
    static func sources() throws -> [(folder: String, name: String, text: String)] {
        let files = FileManager.default.enumerator(at: app, includingPropertiesForKeys: nil)
        var found: [(String, String, String)] = []
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let folder = url.deletingLastPathComponent().lastPathComponent
            found.append((folder, url.lastPathComponent, try String(contentsOf: url, encoding: .utf8)))
        }
        return found
    }

    /// The names of the route collections a file declares.
    static func routeCollections(in text: String) -> [String] {
        let pattern = /(?m)^(?:final )?(?:struct|class) (\w+)(?:<[^>]*>)?: RouteCollection/
        return text.matches(of: pattern).map { String($0.output.1) }
    }

    @Test func eachRouteCollectionIsItsOwnFileNamedPagesOrAPI() throws {
        let files = try Self.sources()
        #expect(files.count > 100)
        var collections = 0
        for file in files {
            let names = Self.routeCollections(in: file.text)
            collections += names.count
            #expect(names.count <= 1, "\(file.name) declares \(names)")
            for name in names {
                #expect(file.name == name + ".swift", "\(name) lives in \(file.name)")
                #expect(name.hasSuffix("Pages") || name.hasSuffix("API"), "\(name) is neither pages nor API")
            }
        }
        #expect(collections >= 30)
    }

    /// Services are named for what they keep (`Records`, `Codings`), not `…Store` or `…Loader`; route
    /// files are `…Pages` or `…API`, not `…Routes`.
    @Test func noFileOrTypeUsesTheRetiredSuffixes() throws {
        let declaration = /(?m)^(?:final )?(?:struct|class|enum|actor) (\w+)/
        for file in try Self.sources() {
            for suffix in ["Store", "Loader", "Routes"] {
                #expect(!file.name.hasSuffix(suffix + ".swift"), "\(file.folder)/\(file.name)")
                for match in file.text.matches(of: declaration) where match.output.1.hasSuffix(suffix) {
                    #expect(Bool(false), "\(match.output.1) in \(file.name)")
                }
            }
        }
    }

    /// Infrastructure folders hold no feature's routes: a page about plans lives in `Plans/`.
    @Test func infrastructureFoldersHoldNoFeatureRoutes() throws {
        let infrastructure: Set = ["Web", "Configure", "Files", "Imports", "Migrations", "Commands", "Demo"]
        for file in try Self.sources() where infrastructure.contains(file.folder) {
            #expect(Self.routeCollections(in: file.text).isEmpty, "\(file.folder)/\(file.name)")
        }
    }
}
