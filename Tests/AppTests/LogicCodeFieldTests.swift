import Foundation
import Testing
import WellplanCore

@testable import App

/// A record field whose code list an enum stands for is held as that enum, never as text: checked on a
/// record of every kind, made from its description.
@Suite struct LogicCodeFieldTests {
    @Test func everyFieldOnALogicListIsTypedByItsEnum() async throws {
        try await withApp { app in
            _ = try await Fixture.make(app)
            let samples = SampleRecords(app)
            let logicLists = Set(LogicCodes.all.map { $0.list.name })
            for kind in RecordKind.allCases {
                let fields = kind.fields.filter { field in
                    guard case .choice(let list) = field.kind else { return false }
                    return logicLists.contains(list.name)
                }
                guard !fields.isEmpty else { continue }
                let record = try await samples.make(kind, .full)
                let values = Dictionary(
                    uniqueKeysWithValues: Mirror(reflecting: record).children.compactMap { child in
                        child.label.map { ($0, child.value) }
                    })
                for field in fields {
                    let value = try #require(values[field.name], "\(kind).\(field.name) is no property")
                    #expect(Self.isLogicCode(value), "\(kind).\(field.name) holds \(type(of: value)), not its enum")
                }
            }
        }
    }

    /// Whether a value is a logic code, or an optional holding one.
    static func isLogicCode(_ value: Any) -> Bool {
        if value is any LogicCode { return true }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value else { return false }
        return wrapped is any LogicCode
    }
}
