import Foundation

/// One value of one field, typed as the field holds it. Forms, the API, storage, the audit and the
/// pages read and write a record's fields as these, through the fields' key paths.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case day(Day)
    case integer(Int)
    case number(Double)
    /// A code from a code list.
    case code(String)
    /// Several codes from a code list.
    case codes(TagSet)
    case reference(UUID)
    case references([UUID])
    case flag(Bool)

    /// As a form holds it: one text per value; an unticked yes/no is no text at all.
    public var formTexts: [String] {
        switch self {
        case .text(let text), .code(let text): [text]
        case .day(let day): [day.description]
        case .integer(let n): [String(n)]
        case .number(let x) where x == x.rounded() && abs(x) < 1e15: [String(Int(x))]
        case .number(let x): [String(x)]
        case .codes(let codes): codes.codes
        case .reference(let id): [id.uuidString]
        case .references(let ids): ids.map(\.uuidString)
        case .flag(let ticked): ticked ? ["true"] : []
        }
    }

    /// The text, for a text field.
    public var text: String? {
        if case .text(let text) = self { text } else { nil }
    }
}

/// Where a stored record's columns are read from (a database row), so that storage reads each field
/// through its key path, typed, while this module knows nothing of databases.
public protocol ColumnReader {
    func value<T: Decodable>(_ column: String, as type: T.Type) throws -> T
}

/// One field of a record kind: its key path, so that every reader and writer reaches the property
/// itself, typed; and its description (name, what it holds, whether it must be given).
/// The name is the property's own, read from the key path, so the two cannot drift apart.
public struct Field<R: Record>: Sendable {
    public let description: RecordField
    private let read: @Sendable (R) -> FieldValue?
    private let write: @Sendable (inout R, FieldValue?) -> Void
    private let stored: @Sendable (R) -> any Encodable & Sendable
    private let load: @Sendable (inout R, any ColumnReader) throws -> Void

    public var name: String { description.name }
    public var kind: RecordField.Kind { description.kind }
    public var isRequired: Bool { description.isRequired }
    public var labelKey: String { description.labelKey }
    public var column: String { description.column }

    /// The field's value in a record; nil when it holds none.
    public func value(in record: R) -> FieldValue? { read(record) }

    /// Sets the field; a value of another type than the field's leaves it as it was
    /// (input is checked against the field's kind before it is set).
    public func set(_ value: FieldValue?, in record: inout R) { write(&record, value) }

    /// The property as storage keeps it in the field's `column` (nil when it holds nothing).
    public func storedValue(in record: R) -> any Encodable & Sendable { stored(record) }

    /// Sets the property from its column.
    public func load(into record: inout R, from columns: any ColumnReader) throws { try load(&record, columns) }

    /// How a property's type and a field value convert into each other.
    fileprivate struct Codec<V>: Sendable {
        let wrap: @Sendable (V) -> FieldValue?
        let unwrap: @Sendable (FieldValue) -> V?
    }

    /// A field whose property always holds a value: it must be given (a yes/no has its default).
    fileprivate init<V: Codable & Sendable>(
        _ path: WritableKeyPath<R, V> & Sendable, _ kind: RecordField.Kind, _ codec: Codec<V>, required: Bool = true
    ) {
        let description = RecordField(Self.name(of: path), kind, required: required)
        let column = description.column
        self.description = description
        read = { record in codec.wrap(record[keyPath: path]) }
        write = { record, value in
            if let value, let typed = codec.unwrap(value) { record[keyPath: path] = typed }
        }
        stored = { record in record[keyPath: path] }
        load = { record, columns in record[keyPath: path] = try columns.value(column, as: V.self) }
    }

    /// A field whose property may hold nothing.
    fileprivate init<V: Codable & Sendable>(
        _ path: WritableKeyPath<R, V?> & Sendable, _ kind: RecordField.Kind, _ codec: Codec<V>, required: Bool
    ) {
        let description = RecordField(Self.name(of: path), kind, required: required)
        let column = description.column
        self.description = description
        read = { record in record[keyPath: path].flatMap(codec.wrap) }
        write = { record, value in record[keyPath: path] = value.flatMap(codec.unwrap) }
        stored = { record in record[keyPath: path] }
        load = { record, columns in record[keyPath: path] = try columns.value(column, as: V?.self) }
    }

    /// `\Plan.titleEn` → `titleEn`. A test over every kind checks each name is a stored property's.
    static func name(of path: AnyKeyPath) -> String {
        let text = String(describing: path)
        return text.split(separator: ".").last.map(String.init) ?? text
    }
}

extension Field {
    public static func text(_ path: WritableKeyPath<R, String> & Sendable, max: Int) -> Self {
        .init(path, .text(maxLength: max), .text)
    }
    public static func text(_ path: WritableKeyPath<R, String?> & Sendable, max: Int, required: Bool = false) -> Self {
        .init(path, .text(maxLength: max), .text, required: required)
    }
    public static func longText(_ path: WritableKeyPath<R, String> & Sendable) -> Self {
        .init(path, .longText, .text)
    }
    public static func longText(_ path: WritableKeyPath<R, String?> & Sendable, required: Bool = false) -> Self {
        .init(path, .longText, .text, required: required)
    }
    public static func day(_ path: WritableKeyPath<R, Day> & Sendable) -> Self {
        .init(path, .day, .day)
    }
    public static func day(_ path: WritableKeyPath<R, Day?> & Sendable, required: Bool = false) -> Self {
        .init(path, .day, .day, required: required)
    }
    public static func integer(_ path: WritableKeyPath<R, Int> & Sendable, _ range: ClosedRange<Int>) -> Self {
        .init(path, .integer(range), .integer)
    }
    public static func integer(
        _ path: WritableKeyPath<R, Int?> & Sendable, _ range: ClosedRange<Int>, required: Bool = false
    ) -> Self {
        .init(path, .integer(range), .integer, required: required)
    }
    public static func number(_ path: WritableKeyPath<R, Double> & Sendable) -> Self {
        .init(path, .number, .number)
    }
    public static func number(_ path: WritableKeyPath<R, Double?> & Sendable, required: Bool = false) -> Self {
        .init(path, .number, .number, required: required)
    }
    /// A code from a list an admin may edit, held as text.
    public static func choice(_ path: WritableKeyPath<R, String> & Sendable, _ list: CodeList) -> Self {
        .init(path, .choice(list), .code)
    }
    public static func choice(_ path: WritableKeyPath<R, String?> & Sendable, _ list: CodeList, required: Bool = false)
        -> Self
    {
        .init(path, .choice(list), .code, required: required)
    }
    /// A code the product's rules read, held as its enum; the list is the enum's.
    public static func code<E: LogicCode>(_ path: WritableKeyPath<R, E> & Sendable) -> Self {
        .init(path, .choice(E.list), .logicCode())
    }
    public static func code<E: LogicCode>(_ path: WritableKeyPath<R, E?> & Sendable, required: Bool = false) -> Self {
        .init(path, .choice(E.list), .logicCode(), required: required)
    }
    public static func tags(_ path: WritableKeyPath<R, TagSet> & Sendable, _ list: CodeList) -> Self {
        .init(path, .tags(list), .codes)
    }
    public static func tags(_ path: WritableKeyPath<R, TagSet?> & Sendable, _ list: CodeList, required: Bool = false)
        -> Self
    {
        .init(path, .tags(list), .codes, required: required)
    }
    public static func reference(_ path: WritableKeyPath<R, UUID> & Sendable, _ kind: RecordKind) -> Self {
        .init(path, .reference(kind), .reference)
    }
    public static func reference(
        _ path: WritableKeyPath<R, UUID?> & Sendable, _ kind: RecordKind, required: Bool = false
    ) -> Self {
        .init(path, .reference(kind), .reference, required: required)
    }
    /// Several records of one kind, stored like tags.
    public static func references(_ path: WritableKeyPath<R, TagSet> & Sendable, _ kind: RecordKind) -> Self {
        .init(path, .references(kind), .references)
    }
    public static func references(
        _ path: WritableKeyPath<R, TagSet?> & Sendable, _ kind: RecordKind, required: Bool = false
    ) -> Self {
        .init(path, .references(kind), .references, required: required)
    }
    /// Yes or no, never unknown: a new record holds `default` until someone says otherwise.
    public static func flag(_ path: WritableKeyPath<R, Bool> & Sendable, default value: Bool) -> Self {
        .init(path, .flag(default: value), .flag, required: false)
    }
}

extension Field.Codec where V == String {
    static var text: Self { .init(wrap: { .text($0) }, unwrap: { if case .text(let t) = $0 { t } else { nil } }) }
    static var code: Self { .init(wrap: { .code($0) }, unwrap: { if case .code(let c) = $0 { c } else { nil } }) }
}

extension Field.Codec where V == Day {
    static var day: Self { .init(wrap: { .day($0) }, unwrap: { if case .day(let d) = $0 { d } else { nil } }) }
}

extension Field.Codec where V == Int {
    static var integer: Self {
        .init(wrap: { .integer($0) }, unwrap: { if case .integer(let n) = $0 { n } else { nil } })
    }
}

extension Field.Codec where V == Double {
    static var number: Self { .init(wrap: { .number($0) }, unwrap: { if case .number(let x) = $0 { x } else { nil } }) }
}

extension Field.Codec where V == Bool {
    static var flag: Self { .init(wrap: { .flag($0) }, unwrap: { if case .flag(let b) = $0 { b } else { nil } }) }
}

extension Field.Codec where V == UUID {
    static var reference: Self {
        .init(wrap: { .reference($0) }, unwrap: { if case .reference(let id) = $0 { id } else { nil } })
    }
}

extension Field.Codec where V == TagSet {
    /// None chosen is no list at all, as the form sends it.
    static var codes: Self {
        .init(wrap: { $0.isEmpty ? nil : .codes($0) }, unwrap: { if case .codes(let c) = $0 { c } else { nil } })
    }
    static var references: Self {
        .init(
            wrap: { tags in
                let ids = tags.codes.compactMap(UUID.init(uuidString:))
                return ids.isEmpty ? nil : .references(ids)
            },
            unwrap: { if case .references(let ids) = $0 { TagSet(ids.map(\.uuidString)) } else { nil } })
    }
}

extension Field.Codec where V: LogicCode {
    static func logicCode() -> Self {
        .init(wrap: { .code($0.rawValue) }, unwrap: { if case .code(let c) = $0 { V(rawValue: c) } else { nil } })
    }
}

extension UUID {
    /// The id of nothing, for a blank record's references before input fills them in.
    public static let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension FieldValue {
    /// As the API writes it.
    public var json: JSONValue {
        switch self {
        case .text(let text), .code(let text): .string(text)
        case .day(let day): .string(day.description)
        case .integer(let n): .number(Double(n))
        case .number(let x): .number(x)
        case .codes(let codes): .array(codes.codes.map(JSONValue.string))
        case .reference(let id): .string(id.uuidString)
        case .references(let ids): .array(ids.map { .string($0.uuidString) })
        case .flag(let flag): .bool(flag)
        }
    }
}
