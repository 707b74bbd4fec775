import Foundation

/// Finds direct identifiers in free text that must stay de-identified (Filter 2): the check that
/// Saskatchewan's privacy commissioner found missing at the first Hub (domain.md §2.3).
///
/// Every text is normalised first (Unicode NFKC, every space and dash character, curly apostrophes), so
/// what Word, Outlook, PDFs and French typography paste in is read as typed. Patterns cover English and
/// French writing; names come from a gazetteer of given names and surnames (`person-names.json`), read
/// with their context, from where a name stands whatever it is (`nameSlots`), and from the list an admin
/// manages; the product's own place, agency and table names are known not to be persons.
public struct IdentifierGuard: Sendable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case phone, email, postalCode, streetAddress, dateOfBirth, healthCard, socialInsurance, driversLicence,
            licencePlate, passport
        case titledName, personName, listedName

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
    /// Words of places, agencies and tables (folded) that are not persons where they stand together.
    let knownNonPersons: [[String]]

    public init(names: some Sequence<String> = [], nonPersons: some Sequence<String> = [String]()) {
        self.names = Set(names.map { $0.lowercased() }.filter { !$0.isEmpty })
        knownNonPersons = Self.placePhrases + Self.phrases(nonPersons)
    }

    /// Names as the words they are matched by (folded), empty ones left out.
    static func phrases(_ names: some Sequence<String>) -> [[String]] {
        names.map { words(normalized($0).text).map { fold($0.1) } }.filter { !$0.isEmpty }
    }

    /// The shipped places, ready to match, prepared once rather than for every guard built.
    static let placePhrases = phrases(places)

    /// Every finding in the text, in reading order, overlapping findings merged into the first.
    public func findings(in original: String) -> [Finding] {
        let (text, origin) = Self.normalized(original)
        let ns = text as NSString
        var found: [(NSRange, Kind)] = []
        let whole = NSRange(location: 0, length: ns.length)
        for (kind, regex) in Self.patterns {
            for match in regex.matches(in: text, range: whole) {
                let matched = ns.substring(with: match.range)
                switch kind {
                case .socialInsurance: if !Self.luhn(matched.filter(\.isNumber)) { continue }
                case .streetAddress:
                    if Self.notAddress.contains(where: { matched.lowercased().contains($0) }) { continue }
                    // "Room 210, City Hall Square": a room, not a dwelling.
                    let before = ns.substring(to: match.range.location).lowercased().suffix(8)
                    if ["room ", "salle ", "local ", "floor ", "bureau ", "étage "].contains(where: {
                        before.hasSuffix($0)
                    }) {
                        continue
                    }
                case .titledName:
                    let group = (1..<match.numberOfRanges).map { match.range(at: $0) }.first {
                        $0.location != NSNotFound
                    }
                    let name = group.map { ns.substring(with: $0) } ?? ""
                    if !Self.mayBeName(name) { continue }
                default: break
                }
                found.append((match.range, kind))
            }
        }
        let tokens = Self.words(text)
        let folded = tokens.map { Self.fold(Self.possessive($0.1)) }
        let nonPersons = nonPersonMatches(folded)
        // A known place, agency or brand is no one's name, whichever pattern saw a name in it.
        let places = nonPersons.map { words in
            let first = tokens[words.lowerBound].0, last = tokens[words.upperBound - 1].0
            return NSRange(location: first.location, length: last.location + last.length - first.location)
        }
        found.removeAll { item in
            [.titledName, .listedName].contains(item.1)
                && places.contains { NSIntersectionRange($0, item.0).length > 0 }
        }
        found += personNames(text, tokens, folded, nonPersons)
        found.sort { ($0.0.location, -$0.0.length) < ($1.0.location, -$1.0.length) }
        var merged: [(NSRange, Kind)] = []
        for item in found {
            // Overlapping findings are one: the first's kind, over both ("call Mrs." and "Mrs. Kowalczuk").
            if let last = merged.last, NSIntersectionRange(last.0, item.0).length > 0 {
                merged[merged.count - 1].0 = NSUnionRange(last.0, item.0)
                continue
            }
            merged.append(item)
        }
        return merged.map { range, kind in
            let start = origin[range.location], end = origin[range.location + range.length]
            return Finding(kind: kind, position: start + 1, length: max(1, end - start))
        }
    }

    /// Names among the words: the admin's list (capitalised), and the gazetteer's given names and surnames,
    /// with the context that tells a name from a word, a place or an agency.
    /// `tokens` are the text's words, `folded` the same folded, `nonPersons` where known non-persons stand.
    func personNames(_ text: String, _ tokens: [(NSRange, String)], _ folded: [String], _ nonPersons: [Range<Int>])
        -> [(NSRange, Kind)]
    {
        guard !tokens.isEmpty else { return [] }
        let ns = text as NSString
        // Words inside a known place, agency or table name, or after "St."/"Sainte" (Sault Ste. Marie), are not persons.
        var exempt = Array(repeating: false, count: tokens.count)
        for words in nonPersons { for i in words { exempt[i] = true } }
        for i in tokens.indices.dropFirst() where Self.saints.contains(folded[i - 1]) {
            exempt[i] = true
            // "St. Vincent de Paul": the saint's whole name.
            if i + 2 < tokens.count, ["de", "du", "des"].contains(folded[i + 1]) { exempt[i + 2] = true }
        }
        func capitalised(_ i: Int) -> Bool { tokens[i].1.first?.isUppercase == true }
        // "John Howard Society", "Ronald McDonald House", "Sir John A. Macdonald Secondary", "Société John Howard":
        // capitalised words run on, with nothing but spaces or an initial's dot between, to an organisation's or
        // a place's noun; none of them is a person.
        func joined(_ a: Int, _ b: Int) -> Bool {
            let between = ns.substring(
                with: NSRange(location: NSMaxRange(tokens[a].0), length: tokens[b].0.location - NSMaxRange(tokens[a].0))
            )
            return between.allSatisfy { $0 == " " || $0 == "." } && between.filter { $0 == "." }.count <= 1
        }
        func inOrganisationName(_ i: Int) -> Bool {
            var j = i
            while j + 1 < tokens.count, j < i + 3, capitalised(j + 1), joined(j, j + 1) {
                j += 1
                if Self.organisationNouns.contains(folded[j]) { return true }
            }
            j = i
            while j > 0, j > i - 3, capitalised(j - 1), joined(j - 1, j) {
                j -= 1
                if Self.organisationNounsBefore.contains(folded[j]) { return true }
            }
            return false
        }
        for i in tokens.indices where capitalised(i) && inOrganisationName(i) { exempt[i] = true }
        func startsSentence(_ i: Int) -> Bool {
            let before = ns.substring(to: tokens[i].0.location).trimmingCharacters(in: .whitespaces)
            guard let last = before.last else { return true }
            return ".!?:;\n\"“(-•*".contains(last)
        }
        func context(_ i: Int) -> Bool {
            if i > 0, Self.nameContext.contains(folded[i - 1]) { return true }
            let before = ns.substring(to: tokens[i].0.location).trimmingCharacters(in: .whitespaces)
            return before.hasSuffix("(") || before.hasSuffix(",") && i > 1 && Self.nameContext.contains(folded[i - 2])
        }
        let gazetteer = PersonNames.shipped
        var found: [(NSRange, Kind)] = []
        var previousWasName = false
        for i in tokens.indices {
            let (range, word) = tokens[i]
            let name = folded[i]
            defer { previousWasName = found.last?.0 == range }
            guard !exempt[i], !Self.notNames.contains(name), !Self.placeNouns.contains(name), name.count > 1 else {
                continue
            }
            // "Jackson Park", "Pitt Street", "Victoria Day", "Ward 2", "parc Jackson": a place, a day, a ward.
            let after = ns.substring(from: range.location + range.length).trimmingCharacters(in: .whitespaces)
            if after.first?.isNumber == true
                || (i + 1 < tokens.count && Self.placeNouns.contains(folded[i + 1]) && !after.hasPrefix(","))
            {
                continue
            }
            if i > 0, Self.placeNounsBefore.contains(Self.elided(folded[i - 1])), !context(i) { continue }
            if names.contains(Self.possessive(word).lowercased()), capitalised(i) {
                found.append((range, .listedName))
                continue
            }
            let parts = name.split(separator: "-").map(String.init)
            let given = gazetteer.given.contains(name) || parts.count > 1 && parts.allSatisfy(gazetteer.given.contains)
            let surname = gazetteer.surnames.contains(name) || Self.prefixedSurname(word)
            guard given || surname else { continue }
            let ambiguous = gazetteer.ambiguous.contains(name) && !(parts.count > 1 && given)
            let nextIsSurname =
                i + 1 < tokens.count && capitalised(i + 1) && gazetteer.surnames.contains(folded[i + 1])
                && !exempt[i + 1]
            let nextIsGiven =
                i + 1 < tokens.count && capitalised(i + 1) && gazetteer.given.contains(folded[i + 1]) && !exempt[i + 1]
            // "Rose (grandmother)", "Rose, the grandmother": the relation comes after.
            let relationAfter =
                (after.hasPrefix("(") || after.hasPrefix(",")) && i + 1 < tokens.count
                && (Self.nameContext.contains(folded[i + 1])
                    || i + 2 < tokens.count && ["the", "la", "le", "her", "his", "sa", "son"].contains(folded[i + 1])
                        && Self.nameContext.contains(folded[i + 2]))
            let refused: Bool
            // A name that is also a word ("Rose", "Pierre", "aîné") needs a capital and context or a place mid-sentence.
            if ambiguous {
                refused =
                    capitalised(i)
                    && (context(i) || previousWasName || relationAfter || !startsSentence(i) || nextIsSurname)
            } else if given {
                refused = true
            } else {
                refused =
                    context(i) || previousWasName || relationAfter
                    || (capitalised(i) && (!startsSentence(i) || nextIsSurname || nextIsGiven && after.hasPrefix(",")))
            }
            if refused { found.append((range, .personName)) }
        }
        return found
    }

    /// Where the known places, agencies and brands stand among the (folded) words, by word index.
    func nonPersonMatches(_ folded: [String]) -> [Range<Int>] {
        var matches: [Range<Int>] = []
        for phrase in knownNonPersons where phrase.count <= folded.count {
            for start in 0...(folded.count - phrase.count) where Array(folded[start..<(start + phrase.count)]) == phrase
            {
                matches.append(start..<(start + phrase.count))
            }
        }
        return matches
    }

    /// The problems to report for a record's free-text fields: one per finding, naming field, place and kind.
    public func problems(in values: [String: String?]) -> [FieldProblem] {
        values.keys.sorted().flatMap { field in
            findings(in: values[field].flatMap { $0 } ?? "").map {
                FieldProblem(field, "error_identifier_found", ["@" + $0.kind.labelKey, String($0.position)])
            }
        }
    }

    // MARK: Normalising

    /// The text as the patterns read it, and for each of its UTF-16 offsets (and its end) the position of
    /// the character of the original it came from: NFKC (full-width digits, composed accents, the no-break
    /// spaces), every space separator a space, every dash a hyphen, every apostrophe straight.
    static func normalized(_ text: String) -> (text: String, origin: [Int]) {
        var out = String.UnicodeScalarView()
        var origin: [Int] = []
        for (i, character) in text.enumerated() {
            for scalar in String(character).precomposedStringWithCompatibilityMapping.unicodeScalars {
                let mapped: Unicode.Scalar =
                    switch scalar.properties.generalCategory {
                    case .spaceSeparator: " "
                    case .dashPunctuation: "-"
                    default:
                        if scalar == "\u{2212}" {
                            "-"
                        } else if Self.apostrophes.contains(scalar) {
                            "'"
                        } else {
                            scalar
                        }
                    }
                out.append(mapped)
                origin += Array(repeating: i, count: mapped.utf16.count)
            }
        }
        origin.append(text.count)
        return (String(out), origin)
    }

    static let apostrophes: Set<Unicode.Scalar> = [
        "\u{2018}", "\u{2019}", "\u{02BC}", "\u{00B4}", "\u{0060}", "\u{FF07}",
    ]

    /// Lower case without accents: how names are compared.
    static func fold(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// "Priya's" → "Priya": the possessive belongs to the name.
    static func possessive(_ word: String) -> String {
        word.hasSuffix("'s") || word.hasSuffix("'S") ? String(word.dropLast(2)) : word
    }

    /// "O'Neil", "D'Amico", "McTavish": a surname by its form.
    static func prefixedSurname(_ word: String) -> Bool {
        let letters = Array(word)
        guard letters.count > 3, letters[0].isUppercase else { return false }
        if letters[1] == "'", "OD".contains(letters[0]) { return letters[2].isUppercase }
        return word.hasPrefix("Mc") && letters[2].isUppercase
    }

    /// The words of a text with where each stands.
    static func words(_ text: String) -> [(NSRange, String)] {
        let ns = text as NSString
        return word.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
            ($0.range, ns.substring(with: $0.range))
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
        let date =
            "(?:\(year)[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.](?:\(year)|\\d{2})"
            + "|(?:\(months))\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\(year)|\\d{1,2}(?:st|nd|rd|th|er)?\\s+(?:of\\s+)?(?:\(months))\\.?,?\\s+\(year)"
            + "|\\d{1,2}[- ](?:\(months))\\.?[- ]\(year)|(?:\(months))\\.?\\s+\(year))"
        let streetTypes =
            "street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|crescent|cres|court|ct|lane|ln|way|place|pl|terrace|terr|circle|cir"
            + "|trail|trl|parkway|pkwy|highway|hwy|square|sq|gate|grove|heights|hts|line|sideroad|concession"
        // Words that do not name a street, so "9 at Riverside Drive" is no address.
        let notStreetWords =
            "(?!(?:at|on|in|the|to|and|or|of|near|from|by|for|with|a|an|au|aux|à|de|du|la|le|les|sur|pr[èe]s|times?|days?|weeks?)\\s)"
        let commonStreets = Self.commonStreets.joined(separator: "|")
        let relations =
            "son|daughter|brother|sister|mother|father|mom|mum|dad|wife|husband|partner|boyfriend|girlfriend|fianc[ée]e?"
            + "|aunt|uncle|cousin|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|nephew|niece|friend|neighbou?r"
            + "|roommate|stepfather|stepmother|stepson|stepdaughter|child|baby|caregiver|landlord|ex"
            + "|fils|fille|fr[èe]re|s(?:œ|oe)ur|m[èe]re|p[èe]re|conjointe?|[ée]pouse|[ée]poux|copain|copine|amie?|voisine?|tante|oncle"
            + "|cousine|grand-m[èe]re|grand-p[èe]re|neveu|ni[èe]ce|enfant|b[ée]b[ée]|chum|blonde|beau-p[èe]re|belle-m[èe]re|propriétaire"
        return [
            (.email, re("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+")),
            // A date is refused only as a date of birth: meeting and incident dates are the table's own business.
            (
                .dateOfBirth,
                re(
                    "\\b(?:d\\.?o\\.?b\\.?|date of birth|birth ?date|born(?: on| in)?|date de naissance|d\\.?d\\.?n\\.?|n[ée]e?(?:\\(e\\))? (?:le|en))\\s*(?:is|was|:|est|:)?\\s*(?:the\\s+|le\\s+)?(?:\(date)|\(year)\\b)"
                )
            ),
            (
                .dateOfBirth,
                re("\\b(?:d\\.?o\\.?b\\.?|born|n[ée]e?|date de naissance|d\\.?d\\.?n\\.?)\\s*:?\\s*\\d[\\d/.-]{5,}\\d")
            ),
            // "Born in Windsor on 2011-06-01", "DOB (yyyy-mm-dd): …", "her birthday is 14 March 2009", "b. 2010-11-02".
            (
                .dateOfBirth,
                re(
                    "\\b(?:d\\.?o\\.?b|date of birth|birth ?date|birthday|born|date de naissance|anniversaire|n[ée]e?(?:\\(e\\))?)\\b[^.;!?\\n]{0,40}?\(date)"
                )
            ),
            (.dateOfBirth, re("\\bb\\.\\s*\(date)")),
            // A number within a longer run of digit groups (a meeting ID, an account) is not one.
            (.socialInsurance, re("(?<!\\d[ -]?)\\b\\d{3}[ -]?\\d{3}[ -]?\\d{3}\\b(?![ -]?\\d)")),
            (.driversLicence, re("\\b[A-Z]\\d{4}[ -]?\\d{5}[ -]?\\d{5}\\b")),
            (.passport, re("\\b[A-Z]{2}\\d{6}\\b", [])),
            // "His passport, GA 418870", "Passeport canadien HJ 770452": a few words may come between.
            (
                .passport,
                re("\\b(?:passport|passeport)\\b(?:\\s*(?:no\\.|n°))?[^.;\\n\\d]{0,25}?\\b[A-Z]{1,2}[ -]?\\d{6,7}\\b")
            ),
            (.licencePlate, re("\\b[A-Z]{4}[ -]?\\d{3}\\b", [])),
            // After "plate", a number in capitals or one with a digit: "plate reader" and "plate denials" are words.
            (
                .licencePlate,
                re(
                    "\\b(?:plate|plaque|immatricul\\p{L}*|licence plate|license plate)\\b(?:\\s*(?:no\\.|n°))?[^.;\\n]{0,12}?\\b(?:(?-i:[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4})|(?=\\S{0,8}\\d)[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4})\\b"
                )
            ),
            (
                .healthCard,
                re(
                    "\\b\\d{4}[ -]\\d{3}[ -]\\d{3}(?:[ -]?[A-Z]{2})?\\b|\\b\\d{10}[ -]?[A-Z]{2}\\b|(?:health card|ohip|carte sant[ée]|num[ée]ro de sant[ée]|ramq)\\D{0,12}\\d[\\d -]{8,12}\\d"
                )
            ),
            // North American numbers: area code and exchange start with 2–9 (a purchase order 4500123456 is no phone).
            (
                .phone,
                re(
                    "(?<!\\d)(?:\\+?1\\s*[.-]?\\s*)?(?:\\([2-9]\\d{2}\\)\\s*|[2-9]\\d{2}\\s*[.-]?\\s*)[2-9]\\d{2}\\s*[.-]?\\s*\\d{4}(?!\\d)(?:\\s*(?:x|ext\\.?|poste)\\s*\\d{1,5})?"
                )
            ),
            (.phone, re("(?<![\\d-])[2-9]\\d{2}-\\d{4}(?![\\d-])")),
            (
                .phone,
                re(
                    "\\b(?:call|called|phone|tel|cell|text|number|reached at|police|appeler|au|t[ée]l[ée]phone|num[ée]ro|cellulaire)\\b[^.;\\n]{0,20}?(?<!\\d)[2-9]\\d{2} \\d{4}(?![ -]?\\d)"
                )
            ),
            (.postalCode, re("\\b[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ -]?\\d[ABCEGHJ-NPRSTV-Z]\\d\\b")),
            (
                .streetAddress,
                re(
                    "\\b\\d{1,6}[A-Za-z]?(?:-\\d{1,5})?,?\\s+(?:\(notStreetWords)[\\p{L}0-9][\\p{L}0-9'.-]*\\s+){1,3}(?:\(streetTypes))\\b\\.?"
                )
            ),
            (
                .streetAddress,
                re(
                    "\\b\\d{1,6}[A-Za-z]?,?\\s+(?:rue|avenue|av\\.|boulevard|boul\\.|bd|chemin|ch\\.|route|place|rang|impasse|croissant|promenade|all[ée]e|mont[ée]e|c[ôo]te)\\s+[\\p{L}0-9'-]+"
                )
            ),
            (
                .streetAddress,
                re("\\b(?:apt|apartment|suite|app\\.|appartement|logement)\\s*(?:#|no\\.?|n°)?\\s*\\d+[A-Za-z]?\\b")
            ),
            // "in Unit 4 of the townhouse complex" (a dwelling), not "Unit 4 has no heat" (a building's part).
            (.streetAddress, re("\\b(?:in|at|from|dans|au)\\s+(?:the\\s+)?(?:unit|unit[ée])\\s*#?\\d+[A-Za-z]?\\b")),
            (.streetAddress, re("\\b\\d{1,5}\\s+(?:\(commonStreets))\\b(?!\\s+(?:\(streetTypes))\\b)")),
            (
                .titledName,
                re(
                    "\\b(?i:Mr|Mrs|Ms|Miss|Mx|Dr|Dre|Mme|Mlle|Madame|Monsieur|Mister|Docteur|Docteure)\\.?\\s+(\\p{L}[\\p{L}'-]+)|\\bM\\.\\s+(\\p{Lu}[\\p{Ll}'-]+)",
                    [])
            ),
            (.titledName, re("\\b(?i:\(relations)),?\\s+(\\p{Lu}\\p{Ll}[\\p{Ll}'-]*)", [])),
            (
                .titledName,
                re(
                    "\\b(?i:goes by|known as|a\\.?k\\.?a\\.?|nicknamed|se fait appeler|surnomm[ée]e?|dit)\\s+(\\p{Lu}\\p{Ll}[\\p{Ll}'-]*)",
                    [])
            ),
        ] + nameSlots.map { (.titledName, re($0, [.anchorsMatchLines])) }
    }()

    /// Where a name stands by the writing around it, whatever the name: after a label ("Mother:", "Prénom :",
    /// "maiden name"), before an e-mail address, as a signature, with an age, in quotes as a nickname, called
    /// or thanked, listed after "Kids' names:". The first group is the name; it needs a capital, so the
    /// slots catch names no gazetteer holds (Olusegun, Thandiwe, Ti-Loup) without reading words as names.
    static let nameSlots: [String] = {
        let name = "\\p{Lu}(?:\\p{Ll}|'\\p{Lu})[\\p{L}'-]*"
        let particle = "(?:van|von|der|den|de|da|del|della|di|du|dos|das|al|el|bin|ibn|ben|la|le)"
        let run = "\(name)(?:[ \\t]+(?:\(particle)[ \\t]+)?\(name)){0,3}"
        let fullName = "\(name)(?:[ \\t]+(?:\(particle)[ \\t]+)?\(name)){1,3}"
        let open = "[\"“«']?[ \\t]*"
        let hedge = "(?:[ \\t]+(?i:is|was|est|[ée]tait|maybe|perhaps|possibly|peut-[êe]tre|probablement))*"
        let relations =
            "mother|father|mom|mum|dad|stepfather|stepmother|stepdad|stepmom|grandma|grandmother|grandpa|grandfather|aunt|auntie|uncle"
            + "|sister|brother|son|daughter|wife|husband|partner|boyfriend|girlfriend|guardian|caregiver|cousin|emergency contact"
            + "|m[èe]re|p[èe]re|beau-p[èe]re|belle-m[èe]re|grand-m[èe]re|grand-p[èe]re|tante|oncle|s(?:œ|oe)ur|fr[èe]re|conjointe?|tuteur|tutrice"
            + "|contact d'urgence"
        let roles =
            "\(relations)|worker|caseworker|owner|farm owner|landlord|tenant|client|youth|student|teacher|neighbou?r|friend|the worker"
        let labels =
            "(?:first|last|given|family|middle|maiden|married|legal|real|full|sur)[ -]?names?|names? on the \\p{L}+|surname on the \\p{L}+"
            + "|nickname|pr[ée]nom|nom de famille|nom de jeune fille|nom de femme mari[ée]e|nom l[ée]gal|nom complet"
        return [
            // "Mother: Fatima Al-Sayed", "Grandma (Yaa Asantewaa Boateng)", "Mère : Amina Benali", "beau-père (Andriï)".
            "\\b(?i:\(relations))[ \\t]*[:(][ \\t]*(\(run))",
            // "maiden name Doucette", "Name on the account: Kenji Thompson-Mori", "last name maybe mcleod".
            "\\b(?i:\(labels))\(hedge)[ \\t]*:?[ \\t]*\(open)(\(run)|(?<=(?i:maybe|perhaps|possibly|peut-[êe]tre) )\\p{Ll}[\\p{L}'-]+)",
            // E-mail and letter headers: "From: Olusegun Adeyemi", "De : Annick Leroux-Dubé", "Locataire : Mireille Jean-Baptiste".
            "^[ \\t>]*(?i:from|de|name|nom|tenant|locataire|client|cliente|signed|sign[ée])[ \\t]*:[ \\t]*(\(run))",
            // "Lindiwe Nkosi <lindiwe.nkosi@example.org>".
            "(\(fullName))[ \\t]*<[\\w.+-]+@",
            // A signature closing the text: "— Tamika Beckford".
            "(?:^|[.!?][ \\t]*)-{1,2}[ \\t]*(\(fullName))[ \\t]*\\z",
            // With an age or a role after a dash: "Kwame Mensah-Bonsu, 17,", "Joseph-Aurèle Chiasson, 34 ans", "Hodan Abdi Warsame – mother".
            "(\(fullName)|\\p{Lu}\\p{Ll}+-\\p{Lu}\\p{Ll}+)[ \\t]*,[ \\t]*(?i:aged?[ \\t]*)?\\d{1,2}[ \\t]*(?:(?i:ans|years?|yrs?|y/?o)\\b|[,.)])",
            "(\(fullName))[ \\t]+-[ \\t]+(?i:\(relations))\\b",
            // A nickname in quotes: "goes by 'Bee'", "known as “Dre”", "On l'appelle « Ti-Loup »", "Chukwuemeka “Emeka” Obi".
            "\\b(?i:goes by|known as|nicknamed?|a\\.?k\\.?a\\.?|surnomm[ée]e?|on l'appelle|se fait appeler|qu'on appelle)[ \\t]*:?[ \\t]*[\"“«'][ \\t]*(\\p{Lu}[\\p{L}'-]*)",
            "(\(name))[ \\t]+[\"“«'][ \\t]*\\p{Lu}[\\p{L}'-]*[ \\t]*[\"”»'][ \\t]+\(name)",
            // Someone called, asked for or thanked: "call back Kofi at", "rappeler Fatou au", "This is Thandiwe", "Re: Desiree".
            "\\b(?i:call back|call|phone|text|rappeler|appeler|demander|ask for|forward (?:this |it )?to|this is|c'est|thanks|thank you|merci|re:)[ \\t]+(\(run))(?=[ \\t]*(?:,|\\(|at\\b|au\\b|on\\b|\\.|\\z|$))",
            // Someone by their role in parentheses: "Aiyana (the worker)", "Oksana Kovalenko (sister)", "Desiree (the 14 y/o)".
            "(\(run))[ \\t]*\\((?i:the |my |her |his |la |le |sa |son )?(?i:\(roles)|\\d{1,2}[ \\t]*(?:y/?o|yrs?|ans))\\b",
            // Officers and kin by title: "Officer Bohdan Melnyk", "Auntie Conceição", "auntie fay", "matante lise".
            "\\b(?i:officer|constable|cst\\.?|sgt\\.?|sergeant|detective|det\\.|agente?|sergent)[ \\t]+(\(run))",
            "\\b(?i:auntie|aunty|matante|mononcle|tatie)[ \\t]+(\\p{L}[\\p{L}'-]+)",
            // A worker named after "is": "Youth's worker is Nkechi Eze-Okafor".
            "\\b(?i:worker|caseworker|counsell?or|nurse|intervenante?|travailleu(?:r|se)|infirmi[èe]re|contact)[ \\t]+(?i:is|was|est|[ée]tait)[ \\t]+(\(run))",
            // A list of names after a label: "Kids' names: Ayaan, Zara and Imaan", "Enfants : Wassim, Lina et Yanis".
            "\\b(?i:kids'? names|children'?s? names|names|children|kids|enfants|noms)[ \\t]*:[ \\t]*(\(name)(?:[ \\t]*,[ \\t]*\(name))*(?:[ \\t]*,?[ \\t]+(?i:and|et)[ \\t]+\(name))?)",
        ]
    }()

    static let word = try! NSRegularExpression(pattern: "\\p{L}[\\p{L}'-]*\\p{L}|\\p{L}")

    /// Courts and wards a number stands before without being anyone's address ("2 Youth Court appearances").
    static let notAddress = [
        "youth court", "family court", "drug treatment court", "superior court", "provincial court",
        "mental health court",
    ]

    /// "St. Joseph's", "Sault Ste. Marie", "Saint-Jean": a saint's name is a place or an agency.
    static let saints: Set<String> = ["st", "ste", "saint", "sainte", "sts"]

    /// Words that announce a person's name.
    static let nameContext: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "dr", "mme", "mlle", "madame", "monsieur", "client", "cliente", "worker",
        "youth", "named", "called",
        "nomme", "nommee", "appele", "appelee", "jeune", "caller", "contact", "resident", "residente", "patient",
        "patiente", "student",
        "eleve", "victim", "victime", "son", "daughter", "brother", "sister", "mother", "father", "mom", "mum", "dad",
        "wife", "husband",
        "partner", "boyfriend", "girlfriend", "aunt", "uncle", "cousin", "grandmother", "grandfather", "grandma",
        "grandpa", "nephew", "niece",
        "friend", "neighbour", "neighbor", "roommate", "landlord", "fils", "fille", "frere", "soeur", "mere", "pere",
        "conjoint", "conjointe",
        "epouse", "epoux", "copain", "copine", "ami", "amie", "voisin", "voisine", "tante", "oncle", "cousine", "neveu",
        "niece", "chum",
        "blonde", "m", "mere", "maman", "papa", "parent", "foster", "guardian", "tuteur", "tutrice", "teacher",
        "enseignant",
        "enseignante", "coach", "sibling", "stepdad", "stepmom", "aka",
    ]

    /// Nouns that make the name beside them a place, an event or an agency (folded): "Jackson Park", "parc Jackson".
    static let placeNouns: Set<String> = [
        "street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "boulevard", "blvd", "lane", "way", "place",
        "crescent", "court",
        "square", "trail", "park", "parkway", "mall", "plaza", "centre", "center", "house", "hall", "towne", "town",
        "village", "ward",
        "day", "school", "college", "university", "church", "hospital", "healthcare", "clinic", "arena", "library",
        "shelter", "mission",
        "bridge", "tunnel", "bia", "line", "heights", "manor", "apartments", "towers", "gardens", "public", "secondary",
        "elementary",
        "parc", "rue", "chemin", "ecole", "eglise", "hopital", "pavillon", "quartier", "pont", "foyer", "maison",
        "residence", "boul",
    ]

    /// What ends the name of an organisation or a place that may carry a person's name before it.
    static let organisationNouns: Set<String> = placeNouns.union([
        "society", "foundation", "institute", "association", "health", "system", "services", "academy", "club",
        "league",
        "centre", "network", "coalition", "council", "trust", "fund", "program", "programme", "secondary", "collegiate",
        "catholic", "memorial", "inc", "ltd", "corporation", "company", "group", "ministries", "hostel", "lodge",
        "bank", "phone", "stoppers", "office", "department", "agency", "branch",
    ])

    /// What begins such a name before the person's name in it ("Société John Howard", "Fondation David Suzuki").
    static let organisationNounsBefore: Set<String> = placeNounsBefore.union([
        "societe", "fondation", "institut", "association", "centre", "college", "hopital", "ecole", "clinique",
        "maison",
        "foyer", "residence", "pavillon", "programme", "reseau", "conseil",
    ])

    /// French nouns that name a place before its proper name ("parc Jackson", "l'avenue Caron").
    static let placeNounsBefore: Set<String> = [
        "parc", "rue", "chemin", "ecole", "eglise", "hopital", "pavillon", "quartier", "pont", "foyer", "maison",
        "residence", "boul",
        "boulevard", "avenue", "av", "place", "promenade", "allee", "centre", "carrefour", "plage", "secteur", "lac",
        "riviere", "ile",
    ]

    /// "l'avenue" → "avenue": French elision.
    static func elided(_ word: String) -> String {
        word.hasPrefix("l'") || word.hasPrefix("d'") ? String(word.dropFirst(2)) : word
    }

    /// Street names common in Ontario, which a number before them makes an address even without "Street".
    static let commonStreets = [
        "Elm", "Main", "King", "Queen", "Maple", "Oak", "Pine", "Cedar", "Church", "Victoria", "Wellington",
        "Ouellette", "Drouillard",
        "Wyandotte", "Tecumseh", "Howard", "Pitt", "Riverside", "Dundas", "Yonge", "Bloor", "Erie", "Talbot", "Walker",
        "Walkerville",
        "Lauzon", "Pillette", "Huron Church", "Dougall", "Giles", "Goyeau", "Marentette", "Parent", "Chilver",
        "Windermere", "Cabana",
        "Sandwich", "University", "Park", "Mill", "Water", "John", "James", "George", "William", "Albert", "Elgin",
        "Bay", "Front",
    ]

    /// Ontario and nearby places whose names are also surnames.
    static let places = [
        "Windsor", "Essex", "Windsor-Essex", "Kingsville", "Leamington", "Amherstburg", "LaSalle", "Tecumseh",
        "Lakeshore", "Chatham",
        "Chatham-Kent", "Kent", "Sarnia", "Lambton", "London", "Middlesex", "Hamilton", "Toronto", "Ottawa", "Sudbury",
        "Kingston",
        "Barrie", "Guelph", "Waterloo", "Kitchener", "Cambridge", "Brantford", "Oshawa", "Whitby", "Ajax", "Pickering",
        "Markham",
        "Vaughan", "Brampton", "Mississauga", "Oakville", "Burlington", "Milton", "Niagara", "Welland", "Thorold",
        "Peterborough",
        "Belleville", "Cornwall", "Timmins", "Thunder Bay", "North Bay", "Kenora", "Orillia", "Owen Sound", "Stratford",
        "Woodstock",
        "Simcoe", "Norfolk", "Haldimand", "Elgin", "Huron", "Perth", "Bruce", "Grey", "Dufferin", "Wellington",
        "Halton", "Peel", "York",
        "Durham", "Muskoka", "Nipissing", "Algoma", "Cochrane", "Renfrew", "Lanark", "Leeds", "Grenville", "Frontenac",
        "Hastings",
        "Prince Edward", "Northumberland", "Haliburton", "Lennox", "Addington", "Ontario", "Quebec", "Québec", "Canada",
        "Detroit",
        "Michigan", "Manitoba", "Alberta", "Victoria", "Regina", "Oxford", "Brant", "Clarington", "Georgina",
        "Newmarket", "Aurora",
        "Richmond Hill", "Caledon", "Orangeville", "Collingwood", "Midland", "Huntsville", "Bracebridge", "Pembroke",
        "Brockville",
        "Hawkesbury", "Elliot Lake", "Espanola", "Kapuskasing", "Hearst", "Dryden", "Fort Frances", "Sioux Lookout",
        "Wawa", "Moosonee",
        "Sault Ste. Marie", "Sault Ste Marie", "Sault", "St. Catharines", "St. Thomas", "St. Marys", "Saint-Jean",
        "Ouellette", "Wyandotte", "Tecumseh Road",
        "Huron Church", "Hôtel-Dieu Grace", "Erie", "Pelee", "Lincoln", "Grace", "Hope",
        // Brands and holidays that read as names.
        "Tim Hortons", "McDonald's", "Wendy's", "Canadian Tire", "Shoppers Drug Mart", "Giant Tiger", "Good Friday",
        "Victoria Day",
        "Family Day", "Canada Child Benefit", "Ontario Works", "Ontario Disability Support Program",
    ]

    /// Capitalised words that follow a relationship word or look like names without being one (folded).
    static let notNames: Set<String> = [
        "the", "he", "she", "they", "his", "her", "their", "il", "elle", "ils", "elles", "le", "la", "les", "son", "sa",
        "ses",
        "police", "children", "children's", "aid", "services", "service", "ontario", "canada", "canadian", "english",
        "french",
        "indigenous", "first", "metis", "inuit", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "january", "february",
        "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "janvier", "fevrier",
        "mars",
        "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "covid", "ems",
        "cas",
        "works", "housing", "mental", "health", "school", "who", "and", "et", "or", "ou", "but", "mais", "christmas",
        "noel",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "easter", "paques",
        "thanksgiving", "god", "dieu", "jesus",
        "court", "table", "hub", "crown", "court's", "hospital", "unknown", "inconnu", "inconnue", "none", "aucun",
        "aucune", "not",
        "team", "everyone", "all", "tous", "toutes", "equipe", "kids", "please", "svp", "hi", "hello", "bonjour", "a",
        "an", "un", "une",
        "mr", "mrs", "ms", "mx", "dr", "mme", "mlle", "officer", "coordination", "direction", "administration",
        "secretariat", "reception", "admin", "intake",
        "accueil",
    ]

    /// Whether the words found in a name's place may be one: not a word that only looks like a name
    /// ("Unknown", "Team"), and not an agency or a place ("Ontario Works", "Food Bank").
    static func mayBeName(_ words: String) -> Bool {
        let folded = Self.words(words).map { fold(possessive($0.1)) }
        guard let first = folded.first, !notNames.contains(first), !placeNouns.contains(first) else { return false }
        return !folded.contains { organisationNouns.contains($0) }
    }

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
        guard
            let url = Bundle.module.url(forResource: "guarded-names", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url), let stored = try? JSONDecoder().decode(Stored.self, from: data)
        else { fatalError("Resources/guarded-names.json is missing or malformed") }
        return stored.names
    }()
}

/// The gazetteer of given names and surnames, folded (lower case, no accents), with the ones that are
/// also everyday words, which the guard refuses only with context.
struct PersonNames: Sendable {
    let given: Set<String>
    let surnames: Set<String>
    let ambiguous: Set<String>

    static let shipped: PersonNames = {
        struct Stored: Decodable {
            let given: [String]
            let surnames: [String]
            let ambiguous: [String]
        }
        guard
            let url = Bundle.module.url(forResource: "person-names", withExtension: "json", subdirectory: "Resources"),
            let data = try? Data(contentsOf: url), let stored = try? JSONDecoder().decode(Stored.self, from: data)
        else { fatalError("Resources/person-names.json is missing or malformed") }
        func folded(_ names: [String]) -> Set<String> { Set(names.map(IdentifierGuard.fold)) }
        return PersonNames(
            given: folded(stored.given), surnames: folded(stored.surnames), ambiguous: folded(stored.ambiguous))
    }()
}
