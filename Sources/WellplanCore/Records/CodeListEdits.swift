import Foundation
import Synchronization

/// One admin's change to one entry of a code list: added, relabelled, confirmed or retired.
public struct CodeListEdit: Sendable, Codable, Equatable {
    public var id: UUID
    public var list: String
    public var code: String
    public var en: String
    public var fr: String
    public var group: String?
    public var provisional: Bool
    public var retired: Bool
    public var changedBy: String
    public var changedAt: Timestamp

    public init(
        id: UUID = UUID(), list: String, code: String, en: String, fr: String, group: String? = nil, provisional: Bool,
        retired: Bool, changedBy: String, changedAt: Timestamp
    ) {
        self.id = id
        self.list = list
        self.code = code
        self.en = en
        self.fr = fr
        self.group = group
        self.provisional = provisional
        self.retired = retired
        self.changedBy = changedBy
        self.changedAt = changedAt
    }

    /// What is wrong with the edit against the list as it stands.
    public func problems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        guard CodeList.adminEditable.contains(list) else {
            return [FieldProblem("list", "error_list_not_editable", [list])]
        }
        if code.isEmpty || code.count > 80
            || code.contains(where: { !($0.isLetter && $0.isLowercase || $0.isNumber || "_.+-".contains($0)) })
        {
            problems.append(FieldProblem("code", "error_code_format"))
        }
        for (field, text) in [("en", en), ("fr", fr)]
        where text.trimmingCharacters(in: .whitespaces).isEmpty || text.count > 300 {
            problems.append(FieldProblem(field, "error_required"))
        }
        let list = CodeList.named(self.list)
        if let group, !group.isEmpty, list.entry(group) == nil || list.entry(group)?.group != nil {
            problems.append(FieldProblem("group", "error_not_in_list", [group]))
        }
        return problems
    }
}

/// The code lists as they stand: shipped entries with the admins' edits laid over them, in order.
/// Held for the whole process, because record fields name their lists statically; the app reloads
/// it from the database at start and after every edit.
public enum CodeListEdits {
    public struct Current: Sendable {
        public let version: String
        public let entries: [CodeList.Entry]
    }

    private static let state = Mutex<[String: Current]>([:])

    static func current(_ name: String) -> Current {
        if let current = state.withLock({ $0[name] }) { return current }
        let shipped = CodeList.shipped[name]
        return Current(version: shipped?.version ?? "", entries: shipped?.entries ?? [])
    }

    /// Lays `edits` (oldest first) over the shipped lists, replacing whatever was laid before.
    public static func apply(_ edits: [CodeListEdit]) {
        let lists = overlay(edits)
        state.withLock { $0 = lists }
        laid.withLock { $0 += 1 }
    }

    private static let laid = Mutex(0)

    /// How many times edits were laid: what a page rendered with the lists may be kept under.
    public static var generation: Int { laid.withLock { $0 } }

    /// The lists that `edits` change, as they stand after them.
    static func overlay(_ edits: [CodeListEdit]) -> [String: Current] {
        var lists: [String: Current] = [:]
        for (name, edits) in Dictionary(grouping: edits, by: \.list) {
            guard let shipped = CodeList.shipped[name] else { continue }
            var entries = shipped.entries
            for edit in edits {
                let entry = CodeList.Entry(
                    code: edit.code, en: edit.en, fr: edit.fr, group: edit.group?.isEmpty == false ? edit.group : nil,
                    provisional: edit.provisional ? true : nil, retired: edit.retired ? true : nil)
                if let i = entries.firstIndex(where: { $0.code == edit.code }) {
                    entries[i] = entry
                } else {
                    entries.append(entry)
                }
            }
            lists[name] = Current(version: "\(shipped.version)+\(edits.count)", entries: entries)
        }
        return lists
    }
}
