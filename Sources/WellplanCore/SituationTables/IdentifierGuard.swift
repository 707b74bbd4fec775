import Foundation

/// Finds direct identifiers in free text that must stay de-identified (Filter 2): the check that
/// Saskatchewan's privacy commissioner found missing at the first Hub (domain.md §2.3).
/// Patterns cover English and French writing; names come from an admin-managed list.
public struct IdentifierGuard: Sendable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case phone, email, postalCode, streetAddress, fullDate, dateOfBirth, healthCard, socialInsurance, titledName, listedName

        /// The catalogue key naming the kind: `identifier_phone`.
        public var labelKey: String { "identifier_\(RecordField.snakeCase(rawValue))" }
    }

    public struct Finding: Sendable, Equatable {
        public let kind: Kind
        /// 1-based character position in the text, so the writer can find it.
        public let position: Int
        public let length: Int
    }

    /// Lower-cased names the guard refuses wherever they appear capitalised.
    public let names: Set<String>

    public init(names: some Sequence<String> = []) {
        self.names = Set(names.map { $0.lowercased() }.filter { !$0.isEmpty })
    }

    /// Every finding in the text, in reading order, overlapping findings merged into the first.
    public func findings(in text: String) -> [Finding] {
        let ns = text as NSString
        var found: [(NSRange, Kind)] = []
        let whole = NSRange(location: 0, length: ns.length)
        for (kind, regex) in Self.patterns {
            for match in regex.matches(in: text, range: whole) {
                let digits = ns.substring(with: match.range).filter(\.isNumber)
                switch kind {
                case .socialInsurance: if !Self.luhn(digits) { continue }
                case .titledName:
                    let group = (1..<match.numberOfRanges).map { match.range(at: $0) }.first { $0.location != NSNotFound }
                    let name = group.map { ns.substring(with: $0) } ?? ""
                    if Self.notNames.contains(name.lowercased()) { continue }
                default: break
                }
                found.append((match.range, kind))
            }
        }
        if !names.isEmpty {
            for match in Self.word.matches(in: text, range: whole) {
                var token = ns.substring(with: match.range)
                // "Priya's mother": the possessive belongs to the name.
                for suffix in ["'s", "’s"] where token.hasSuffix(suffix) { token.removeLast(2) }
                if token.first?.isUppercase == true, names.contains(token.lowercased()) { found.append((match.range, .listedName)) }
            }
        }
        found.sort { ($0.0.location, -$0.0.length) < ($1.0.location, -$1.0.length) }
        var merged: [(NSRange, Kind)] = []
        for item in found {
            if let last = merged.last, NSIntersectionRange(last.0, item.0).length > 0 { continue }
            merged.append(item)
        }
        return merged.map { range, kind in
            let start = Range(NSRange(location: 0, length: range.location), in: text).map { text[$0].count } ?? range.location
            return Finding(kind: kind, position: start + 1, length: range.length)
        }
    }

    /// The problems to report for a record's free-text fields: one per finding, naming field, place and kind.
    public func problems(in values: [String: String?]) -> [FieldProblem] {
        values.keys.sorted().flatMap { field in
            findings(in: values[field].flatMap { $0 } ?? "").map {
                FieldProblem(field, "error_identifier_found", ["@" + $0.kind.labelKey, String($0.position)])
            }
        }
    }

    // MARK: Patterns

    static let patterns: [(Kind, NSRegularExpression)] = {
        func re(_ pattern: String, _ options: NSRegularExpression.Options = [.caseInsensitive]) -> NSRegularExpression {
            try! NSRegularExpression(pattern: pattern, options: options)
        }
        let months =
            "jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|june?|july?|aug(?:ust|\\.)?|sept?(?:ember|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?"
            + "|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre"
        let year = "(?:19|20)\\d{2}"
        let streetTypes =
            "street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|crescent|cres|court|ct|lane|ln|way|place|pl|terrace|terr|circle|cir"
            + "|trail|trl|parkway|pkwy|highway|hwy|square|sq|gate|grove|heights|hts|line|sideroad|concession"
        let relations =
            "son|daughter|brother|sister|mother|father|mom|mum|dad|wife|husband|partner|boyfriend|girlfriend|fianc[ée]e?"
            + "|aunt|uncle|cousin|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|nephew|niece|friend|neighbou?r"
            + "|roommate|stepfather|stepmother|stepson|stepdaughter|child|baby|caregiver|landlord|ex"
            + "|fils|fille|fr[èe]re|s(?:œ|oe)ur|m[èe]re|p[èe]re|conjointe?|[ée]pouse|[ée]poux|copain|copine|amie?|voisine?|tante|oncle"
            + "|cousine|grand-m[èe]re|grand-p[èe]re|neveu|ni[èe]ce|enfant|b[ée]b[ée]|chum|blonde|beau-p[èe]re|belle-m[èe]re|propriétaire"
        return [
            (.email, re("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+")),
            (
                .dateOfBirth,
                re(
                    "\\b(?:d\\.?o\\.?b\\.?|date of birth|birth ?date|born(?: on| in)?|date de naissance|ddn|n[ée]e?(?:\\(e\\))? (?:le|en))\\s*:?\\s*(?:the\\s+)?\\d[\\d/.-]*(?:\\s+(?:\(months))\\.?(?:\\s+\(year))?)?"
                )
            ),
            (.fullDate, re("\\b\(year)[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\\d|3[01])\\b")),
            (.fullDate, re("\\b(?:0?[1-9]|[12]\\d|3[01])[-/.](?:0?[1-9]|1[0-2]|[12]\\d|3[01])[-/.](?:\(year)|\\d{2})\\b")),
            (.fullDate, re("\\b(?:\(months))\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\(year)\\b")),
            (.fullDate, re("\\b\\d{1,2}(?:st|nd|rd|th|er)?\\s+(?:of\\s+)?(?:\(months))\\.?,?\\s+\(year)\\b")),
            (.socialInsurance, re("\\b\\d{3}[ -]?\\d{3}[ -]?\\d{3}\\b")),
            (
                .healthCard,
                re(
                    "\\b\\d{4}[ -]\\d{3}[ -]\\d{3}(?:[ -]?[A-Z]{2})?\\b|\\b\\d{10}[ -]?[A-Z]{2}\\b|(?:health card|ohip|carte sant[ée]|num[ée]ro de sant[ée])\\D{0,12}\\d[\\d -]{8,12}\\d"
                )
            ),
            (.phone, re("(?:\\+?1[ .-]?)?(?:\\(\\d{3}\\)\\s?|\\b\\d{3}[ .-]?)\\d{3}[ .-]?\\d{4}\\b(?:\\s*(?:x|ext\\.?|poste)\\s*\\d{1,5})?")),
            (.phone, re("\\b\\d{3}-\\d{4}\\b")),
            (.postalCode, re("\\b[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ -]?\\d[ABCEGHJ-NPRSTV-Z]\\d\\b")),
            (.streetAddress, re("\\b\\d{1,6}[A-Za-z]?(?:-\\d{1,5})?,?\\s+(?:[A-Z0-9][\\p{L}0-9'.-]*\\s+){1,3}(?i:\(streetTypes))\\b\\.?", [])),
            (
                .streetAddress,
                re(
                    "\\b\\d{1,6}[A-Za-z]?,?\\s+(?:rue|avenue|av\\.|boulevard|boul\\.|bd|chemin|ch\\.|route|place|rang|impasse|croissant|promenade|all[ée]e|mont[ée]e|c[ôo]te)\\s+[\\p{L}0-9'-]+"
                )
            ),
            (.streetAddress, re("\\b(?:apt|apartment|unit|suite|app\\.|appartement|logement)\\s*(?:#|no\\.?|n°)?\\s*\\d+[A-Za-z]?\\b")),
            (
                .titledName,
                re(
                    "\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Dre|Mme|Mlle|Madame|Monsieur|Mister|Docteur|Docteure)\\.?\\s+(\\p{Lu}[\\p{Ll}'-]+)|\\bM\\.\\s+(\\p{Lu}[\\p{Ll}'-]+)",
                    [])
            ),
            (.titledName, re("\\b(?i:\(relations)),?\\s+(\\p{Lu}\\p{Ll}[\\p{Ll}'-]*)", [])),
        ]
    }()

    static let word = try! NSRegularExpression(pattern: "\\p{L}[\\p{L}'’-]*\\p{L}|\\p{L}")

    /// Capitalised words that follow a relationship word without being a name ("her son Monday…", "a friend Children's Aid knows").
    static let notNames: Set<String> = [
        "the", "he", "she", "they", "his", "her", "their", "il", "elle", "ils", "elles", "le", "la", "les", "son", "sa", "ses",
        "police", "children", "children's", "aid", "services", "service", "ontario", "canada", "canadian", "english", "french",
        "indigenous", "first", "métis", "metis", "inuit", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "covid", "ems", "cas",
        "ontario works", "works", "housing", "mental", "health", "school", "who", "and", "et", "or", "ou", "but", "mais",
    ]

    /// The Luhn check a social insurance number passes (and most random nine-digit numbers fail).
    static func luhn(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count >= 2 else { return false }
        let sum = values.reversed().enumerated().reduce(0) { total, item in
            let doubled = item.offset % 2 == 1 ? item.element * 2 : item.element
            return total + (doubled > 9 ? doubled - 9 : doubled)
        }
        return sum % 10 == 0
    }
}

extension IdentifierGuard {
    /// The names shipped with Wellplan (`Resources/guarded-names.json`); admins add and retire names in the app.
    public static let shippedNames: [String] = {
        struct Stored: Decodable { let names: [String] }
        guard let url = Bundle.module.url(forResource: "guarded-names", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url), let stored = try? JSONDecoder().decode(Stored.self, from: data)
        else { fatalError("Resources/guarded-names.json is missing or malformed") }
        return stored.names
    }()
}
