import Foundation

/// The two languages every interface string and every public content field carries.
public enum Language: String, CaseIterable, Sendable, Codable {
    case en, fr

    /// The best match for an `Accept-Language` header, English when nothing matches.
    public static func preferred(acceptLanguage header: String?) -> Language {
        guard let header else { return .en }
        let ranked = header.split(separator: ",").compactMap { part -> (Language, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(),
                let lang = Language(rawValue: String(tag.prefix(2)))
            else { return nil }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (lang, q)
        }
        return ranked.max { $0.1 < $1.1 }?.0 ?? .en
    }
}

/// Every interface string in both languages, from one file (`Resources/catalogue.json`).
public struct Catalogue: Sendable {
    public let entries: [String: [String: String]]

    public static let shared: Catalogue = {
        guard let url = Bundle.module.url(forResource: "catalogue", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url),
            let entries = try? JSONDecoder().decode([String: [String: String]].self, from: data)
        else { fatalError("Resources/catalogue.json is missing or malformed") }
        return Catalogue(entries: entries)
    }()

    public init(entries: [String: [String: String]]) { self.entries = entries }

    /// The string for `key`; the key itself when it is missing, so a gap shows instead of hiding.
    public func text(_ key: String, _ language: Language) -> String {
        entries[key]?[language.rawValue] ?? entries[key]?["en"] ?? key
    }

    /// The string for `key` with `{0}`, `{1}` … replaced by `values`.
    public func text(_ key: String, _ language: Language, _ values: [String]) -> String {
        values.enumerated().reduce(text(key, language)) { text, item in
            text.replacingOccurrences(of: "{\(item.offset)}", with: item.element)
        }
    }

    /// The strings of `keys` in one language, for a page template.
    public func strings(_ language: Language, _ keys: Set<String>) -> [String: String] {
        var strings: [String: String] = [:]
        for key in keys { if let texts = entries[key] { strings[key] = texts[language.rawValue] ?? texts["en"] ?? "" } }
        return strings
    }

    /// Keys whose text is missing or blank in some language.
    public var untranslated: [String] {
        entries.filter { _, texts in
            Language.allCases.contains { (texts[$0.rawValue] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        }.keys.sorted()
    }
}
