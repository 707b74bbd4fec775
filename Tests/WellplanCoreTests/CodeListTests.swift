import Foundation
import Testing

@testable import WellplanCore

@Suite struct CodeListTests {
    func edit(
        _ code: String, en: String = "English", fr: String = "Français", list: String = "study_flags",
        group: String? = nil,
        provisional: Bool = false, retired: Bool = false
    ) -> CodeListEdit {
        CodeListEdit(
            list: list, code: code, en: en, fr: fr, group: group, provisional: provisional, retired: retired,
            changedBy: "admin", changedAt: Timestamp(millisecondsSince1970: 1_780_000_000_000))
    }

    @Test func editsAddRelabelConfirmAndRetireInOrder() throws {
        let lists = CodeListEdits.overlay([
            edit("wildfire_evacuation", en: "Wildfire evacuation", fr: "Évacuation (feux de forêt)", provisional: true),
            edit("opioids", en: "Opioids and other drugs", fr: "Opioïdes et autres drogues"),
            edit("wildfire_evacuation", en: "Wildfire evacuation", fr: "Évacuation (feux de forêt)"),
            edit("covid19", en: "COVID-19", fr: "COVID-19", retired: true),
        ])
        let flags = try #require(lists["study_flags"])
        let shipped = CodeList.shipped["study_flags"]!
        #expect(flags.version == "\(shipped.version)+4")
        #expect(flags.entries.count == shipped.entries.count + 1)
        #expect(flags.entries.first { $0.code == "opioids" }?.en == "Opioids and other drugs")
        #expect(flags.entries.first { $0.code == "wildfire_evacuation" }?.isProvisional == false)
        #expect(flags.entries.first { $0.code == "covid19" }?.isRetired == true)
        #expect(lists["sectors"] == nil)
    }

    @Test func anEditSaysWhatIsWrong() {
        #expect(edit("Bad Code!").problems() == [FieldProblem("code", "error_code_format")])
        #expect(edit("x", en: " ").problems() == [FieldProblem("en", "error_required")])
        #expect(
            edit("x", list: "discussion_statuses").problems() == [
                FieldProblem("list", "error_list_not_editable", ["discussion_statuses"])
            ])
        #expect(
            edit("alcohol.other", list: "risk_factors", group: "nowhere").problems() == [
                FieldProblem("group", "error_not_in_list", ["nowhere"])
            ])
        #expect(edit("alcohol.other", list: "risk_factors", group: "alcohol").problems().isEmpty)
    }
}
