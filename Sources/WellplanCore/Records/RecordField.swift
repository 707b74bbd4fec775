/// What one field of a record holds, so that the API, the forms, validation and the
/// OpenAPI document are all derived from the same description.
public struct RecordField: Sendable {
    public enum Kind: Sendable, Equatable {
        case text(maxLength: Int)
        case longText
        case day
        case integer(ClosedRange<Int>)
        case number
        case choice(CodeList)
        case tags(CodeList)
        case reference(RecordKind)
        /// Several records of one kind (a discussion's assisting agencies), stored like tags.
        case references(RecordKind)
        /// Yes or no, never unknown: what a new record holds until someone says otherwise.
        case flag(default: Bool)
    }

    public let name: String
    public let kind: Kind
    public let isRequired: Bool

    public init(_ name: String, _ kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.isRequired = required
    }

    /// The catalogue key of the field's label: `field_<name>`.
    public var labelKey: String { "field_\(name)" }

    /// The column name in the database: `leadTableId` → `lead_table_id`.
    public var column: String { RecordField.snakeCase(name) }

    public static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { out, ch in
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
    }
}

/// One thing wrong with one field, worded by a catalogue key with values to fill in.
public struct FieldProblem: Sendable, Equatable, Codable {
    public let field: String
    public let messageKey: String
    public let values: [String]

    public init(_ field: String, _ messageKey: String, _ values: [String] = []) {
        self.field = field
        self.messageKey = messageKey
        self.values = values
    }

    /// The message in the reader's language: `{0}`, `{1}` … replaced by `values`; a value written
    /// `@key` is itself a catalogue key, worded in the reader's language too.
    public func message(_ language: Language, catalogue: Catalogue = .shared) -> String {
        catalogue.text(
            messageKey, language,
            values.map { $0.hasPrefix("@") ? catalogue.text(String($0.dropFirst()), language) : $0 })
    }
}
