import Foundation
import WellplanCore

/// The names of the records on a page and of the records they link to, read by the set: each kind they
/// link to is read with one statement (and the kinds those link to, for names made of links), however
/// many records the page shows.
struct Titles {
    let language: Language
    private var linked: [UUID: any Record] = [:]
    /// Each record's own words for a title, worked out once: a record with none holds nil here.
    private var ownTitles: [UUID: String?] = [:]

    /// Names made of links follow them this many steps; a name deeper than that shows the id.
    static let depth = 3

    /// For naming `records`: only the links of those without words of their own are read.
    static func load(for records: [any Record], _ store: Records, _ language: Language) async throws -> Titles {
        var titles = Titles(language: language)
        let unnamed = records.filter { titles.remember($0) == nil }
        return try await titles.following(unnamed, store)
    }

    /// For naming `record` and every record it links to (a record's page).
    static func load(linkedFrom record: any Record, _ store: Records, _ language: Language) async throws -> Titles {
        var titles = Titles(language: language)
        titles.remember(record)
        return try await titles.following([record], store)
    }

    /// Reads what `records` link to, and what those link to in turn for names made of links.
    private func following(_ records: [any Record], _ store: Records) async throws -> Titles {
        var titles = self
        var unnamed = records
        for _ in 0..<Self.depth where !unnamed.isEmpty {
            var wanted: [RecordKind: Set<UUID>] = [:]
            for record in unnamed {
                for (kind, id) in Self.links(of: record) where titles.linked[id] == nil {
                    wanted[kind, default: []].insert(id)
                }
            }
            unnamed = []
            for (kind, ids) in wanted {
                for record in try await store.records(kind, ids) {
                    titles.linked[record.id] = record
                    if titles.remember(record) == nil { unnamed.append(record) }
                }
            }
        }
        return titles
    }

    /// Keeps a record's own title (nil when it has none) and returns it.
    @discardableResult
    private mutating func remember(_ record: any Record) -> String? {
        let own = record.ownTitle(language)
        ownTitles[record.id] = own
        return own
    }

    /// A record's name: its own words, or else what it links to and its codes
    /// ("Alex Morin · Windsor Police Service · Chair"), leaving out the link the page already shows.
    func of(_ record: any Record, omitting omitted: String? = nil) -> String {
        name(record, omitting: omitted, depth: 0)
    }

    /// The name of a record one of the page's records links to; nil when it does not exist.
    func of(link id: UUID) -> String? {
        linked[id].map { name($0, omitting: nil, depth: 1) }
    }

    private func name(_ record: any Record, omitting omitted: String?, depth: Int) -> String {
        // A remembered nil (no words of its own) stays nil; a record never seen is asked.
        if let own = ownTitles[record.id] ?? record.ownTitle(language) { return own }
        let values = record.values
        var parts: [String] = []
        for field in type(of: record).descriptions where field.name != omitted {
            switch (field.kind, values[field.name]) {
            case (.reference, .reference(let id)?):
                if depth < Self.depth, let target = linked[id] {
                    parts.append(name(target, omitting: nil, depth: depth + 1))
                }
            case (.choice(let list), .code(let code)?):
                parts.append(list.label(code, language))
            default: break
            }
        }
        return parts.isEmpty ? record.id.uuidString : parts.joined(separator: " · ")
    }

    /// Every record a record links to, one or many per field.
    private static func links(of record: any Record) -> [(RecordKind, UUID)] {
        let values = record.values
        return type(of: record).descriptions.flatMap { field -> [(RecordKind, UUID)] in
            switch (field.kind, values[field.name]) {
            case (.reference(let kind), .reference(let id)?): [(kind, id)]
            case (.references(let kind), .references(let ids)?): ids.map { (kind, $0) }
            default: []
            }
        }
    }
}
