import Testing

@testable import WellplanCore

/// Every enum that stands for a code list holds exactly that list's codes, and no admin can edit the list
/// under it: a code the rules do not know can never be stored, nor one they read be missing.
@Suite struct LogicCodeTests {
    @Test func everyLogicEnumHoldsExactlyItsListsCodes() {
        func check<C: LogicCode>(_ type: C.Type) {
            let list = C.list
            #expect(!CodeList.adminEditable.contains(list.name), "\(C.self): \(list.name) is edited by admins")
            let cases = Set(C.allCases.map(\.rawValue))
            let codes = Set(list.entries.map(\.code))
            #expect(
                cases == codes,
                "\(C.self) against \(list.name): only in the enum \(cases.subtracting(codes)), only in the list \(codes.subtracting(cases))"
            )
        }
        for type in LogicCodes.all { check(type) }
    }

}
