import Foundation
import Testing

@testable import WellplanCore

/// Every kind's fields, checked through their key paths: each names a stored property, reads what it
/// wrote, and together they cover every property but the id, so forms, the API and backup miss nothing.
@Suite struct FieldTests {
    /// A value of the field's type that no blank record holds.
    static func sample(_ field: RecordField) -> FieldValue {
        switch field.kind {
        case .text(let max): .text(String("Text of \(field.name)".prefix(max)))
        case .longText: .text("Long text of \(field.name)\nsecond line")
        case .day: .day(Day("2024-02-29")!)
        case .integer(let range): .integer(range.upperBound)
        case .number: .number(12.5)
        case .choice(let list): .code(list.codes.last!)
        case .tags(let list): .codes(TagSet(list.codes.suffix(2)))
        case .reference: .reference(UUID())
        case .references: .references([UUID(), UUID()])
        case .flag(let fallback): .flag(!fallback)
        }
    }

    /// A record of the kind with every field set to its sample.
    static func filled<R: Record>(_ type: R.Type) -> (R, [String: FieldValue]) {
        var record = R.blank
        var given: [String: FieldValue] = [:]
        for field in R.fields {
            let value = sample(field.description)
            field.set(value, in: &record)
            given[field.name] = value
        }
        return (record, given)
    }

    @Test(arguments: RecordKind.allCases)
    func eachFieldReadsWhatItWrote(kind: RecordKind) throws {
        func check<R: Record>(_ type: R.Type) {
            let (record, given) = Self.filled(R.self)
            for field in R.fields {
                #expect(field.value(in: record) == given[field.name], "\(kind).\(field.name)")
            }
            // Cleared, an optional field holds nothing; a required one keeps its value (input never clears it).
            for field in R.fields {
                var cleared = record
                field.set(nil, in: &cleared)
                let expected: FieldValue? = field.isRequired || field.kind.isFlag ? given[field.name] : nil
                #expect(field.value(in: cleared) == expected, "\(kind).\(field.name) cleared")
            }
        }
        check(kind.recordType)
    }

    @Test(arguments: RecordKind.allCases)
    func theFieldsAreTheStoredProperties(kind: RecordKind) throws {
        func check<R: Record>(_ type: R.Type) {
            let names = R.fields.map(\.name)
            #expect(Set(names).count == names.count, "\(kind): a field twice")
            let properties = Mirror(reflecting: R.blank).children.compactMap(\.label)
            #expect(Set(properties) == Set(names + ["id"]), "\(kind): properties \(properties), fields \(names)")
            // Each field's value lands in the property of its own name, and nowhere else.
            let (record, _) = Self.filled(R.self)
            let changed = Mirror(reflecting: record).children.compactMap { child -> String? in
                let blank = Mirror(reflecting: R.blank).children.first { $0.label == child.label }
                return blank.map { String(describing: $0.value) } == String(describing: child.value) ? nil : child.label
            }
            #expect(Set(changed) == Set(names), "\(kind): fields changed \(changed)")
        }
        check(kind.recordType)
    }

    /// Everything about a kind is said in its record type's file; the registry only names the type.
    @Test(arguments: RecordKind.allCases)
    func aKindIsDescribedByItsRecordType(kind: RecordKind) throws {
        func check<R: Record>(_ type: R.Type) {
            #expect(R.kind == kind, "\(kind): its type says it is \(R.kind)")
            #expect(RecordKind(path: R.path) == kind && !R.path.isEmpty && !R.table.isEmpty)
            // A list sorts by fields the kind has, so by columns its table holds.
            let names = R.listOrder.map { Field<R>.name(of: $0) }
            let fields = Set(R.fields.map(\.name))
            #expect(!names.isEmpty && names.allSatisfy(fields.contains), "\(kind) sorts by \(names)")
            #expect(R.listColumns == names.map(RecordField.snakeCase))
        }
        check(kind.recordType)
        let others = RecordKind.allCases.filter { $0 != kind }
        #expect(!others.contains { $0.path == kind.path || $0.table == kind.table }, "\(kind) shares a name")
    }

    @Test func aFilledRecordParsesFromWhatItHolds() throws {
        var checked = 0
        for kind in RecordKind.allCases {
            func check<R: Record>(_ type: R.Type) {
                let (record, given) = Self.filled(R.self)
                // A kind's rules may refuse made-up values together (an end before its start): those are
                // left to the sample records of the app's tests, which follow each kind's rules.
                guard record.ruleProblems().isEmpty else { return }
                checked += 1
                // The API's JSON and the form's texts of the same values make the same record.
                let fromJSON = try? RecordInput.parse(R.self, json: given.mapValues(\.json), id: record.id)
                let fromForm = try? RecordInput.parse(R.self, form: given.mapValues(\.formTexts), id: record.id)
                #expect(fromJSON == record, "\(kind) from JSON")
                #expect(fromForm == record, "\(kind) from the form")
            }
            check(kind.recordType)
        }
        #expect(checked >= RecordKind.allCases.count / 2, "only \(checked) kinds checked")
    }

    @Test func aRecordThatIsPartOfAnotherNamesItsOwner() {
        // A kind that refers to a project, an event, an audit or a safety plan is owned through it.
        let owning: Set<RecordKind> = [.project, .event, .cptedAudit, .safetyPlan]
        for kind in RecordKind.allCases {
            func check<R: Record>(_ type: R.Type) {
                let refers = R.fields.contains { field in
                    if case .reference(let target) = field.kind { owning.contains(target) } else { false }
                }
                let (record, _) = Self.filled(R.self)
                if refers { #expect(record.owner != .table(nil), "\(kind) has no owner") }
            }
            check(kind.recordType)
        }
    }
}

extension RecordField.Kind {
    fileprivate var isFlag: Bool {
        if case .flag = self { true } else { false }
    }
}
