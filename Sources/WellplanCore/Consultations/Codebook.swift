import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A code of a consultation's codebook ("Housing", under "Issues"). Codes nest: a theme built from a
/// code also gathers what was coded with the codes beneath it.
public struct ThematicCode: Record {
    public static let kind = RecordKind.thematicCode
    public static let path = "codes"
    public static let table = "thematic_codes"
    public static var listOrder: [PartialKeyPath<ThematicCode>] { [\.consultationId, \.nameEn] }
    public static let blank = ThematicCode(id: .none, consultationId: .none, nameEn: "")
    public static let fields: [Field<ThematicCode>] = [
        .reference(\.consultationId, .consultation),
        .reference(\.parentId, .thematicCode),
        .text(\.nameEn, max: 200),
        .text(\.nameFr, max: 200),
        .longText(\.descriptionEn),
    ]
    public var id: UUID
    public var consultationId: UUID
    public var parentId: UUID?
    public var nameEn: String
    public var nameFr: String?
    public var descriptionEn: String?

    public init(
        id: UUID = UUID(), consultationId: UUID, parentId: UUID? = nil, nameEn: String, nameFr: String? = nil,
        descriptionEn: String? = nil
    ) {
        self.id = id
        self.consultationId = consultationId
        self.parentId = parentId
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.descriptionEn = descriptionEn
    }

    public func ruleProblems() -> [FieldProblem] {
        parentId == id ? [FieldProblem("parentId", "error_own_parent")] : []
    }
}

/// A consultation's codes as a tree, and the two ways codebooks travel: a CSV a coordinator can edit in
/// a spreadsheet (one row per code, named by its path) and a REFI-QDA codebook (`.qdc`), which NVivo,
/// ATLAS.ti, MAXQDA and QualCoder read and write.
public struct Codebook: Sendable {
    public struct Entry: Sendable, Equatable {
        public let code: ThematicCode
        public let depth: Int
        /// Names from the root down to this code.
        public let path: [String]
    }

    public let codes: [ThematicCode]
    /// Depth first, siblings by name.
    public let outline: [Entry]
    private let children: [UUID?: [ThematicCode]]

    public init(_ codes: [ThematicCode]) {
        self.codes = codes
        let ids = Set(codes.map(\.id))
        // A parent outside the codebook (or a loop, which no path from a root reaches) leaves a code at the root.
        var children = Dictionary(grouping: codes) { code in code.parentId.flatMap { ids.contains($0) ? $0 : nil } }
        for key in children.keys {
            children[key]!.sort {
                ($0.nameEn.lowercased(), $0.id.uuidString) < ($1.nameEn.lowercased(), $1.id.uuidString)
            }
        }
        var outline: [Entry] = []
        var placed = Set<UUID>()
        func walk(_ parent: UUID?, _ path: [String]) {
            for code in children[parent] ?? [] where placed.insert(code.id).inserted {
                outline.append(Entry(code: code, depth: path.count, path: path + [code.nameEn]))
                walk(code.id, path + [code.nameEn])
            }
        }
        walk(nil, [])
        for code in codes where !placed.contains(code.id) {
            children[nil, default: []].append(code)
            walk(nil, [])
        }
        self.outline = outline
        self.children = children
    }

    /// The code and every code beneath it.
    public func subtree(_ id: UUID) -> Set<UUID> {
        var found: Set<UUID> = [id]
        var queue = [id]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where found.insert(child.id).inserted { queue.append(child.id) }
        }
        return found
    }

    public static let pathSeparator = " > "

    public func path(of id: UUID) -> String? {
        outline.first { $0.code.id == id }.map { $0.path.joined(separator: Self.pathSeparator) }
    }

    // MARK: CSV

    public static let csvColumns = ["path", "name_fr", "description"]

    public func csv() -> String {
        let rows = outline.map { entry in
            [entry.path.joined(separator: Self.pathSeparator), entry.code.nameFr ?? "", entry.code.descriptionEn ?? ""]
        }
        return CSVWriter.document([Self.csvColumns] + rows)
    }

    /// The codes a CSV adds to this codebook, parents before children. A row whose path is already a code
    /// adds nothing, so importing the same file twice changes nothing; a row may name a parent that an
    /// earlier row or the codebook holds, and the whole file is refused if any row is wrong.
    public func adding(csv data: Data, consultationId: UUID) throws(WellplanError) -> [ThematicCode] {
        struct Rows: RowImporter {
            let requiredColumns = ["path"]
            mutating func item(_ row: ImportRow) throws(WellplanError) -> (
                line: Int, path: [String], fr: String, about: String
            ) {
                let path = row["path"].components(separatedBy: ">").map { $0.trimmingCharacters(in: .whitespaces) }
                if path.contains(where: \.isEmpty) { throw .invalid([FieldProblem("path", "error_code_path")]) }
                if let long = path.first(where: { $0.count > 200 }) {
                    throw .invalid([FieldProblem("path", "error_too_long", ["200", long])])
                }
                return (row.line, path, row["name_fr"], row["description"])
            }
        }
        var rows = Rows()
        let items = try ImportPipeline.items(try CSVDocument(data: data), &rows)
        var entries = items.map { NewCode(path: $0.path, nameFr: $0.fr, description: $0.about, line: $0.line, id: nil) }
        // A CSV may list a child before its parent; parents are placed first.
        entries.sort { $0.path.count < $1.path.count }
        return try adding(entries, consultationId: consultationId)
    }

    struct NewCode {
        var path: [String]
        var nameFr: String
        var description: String
        var line: Int?
        var id: UUID?
    }

    private func adding(_ entries: [NewCode], consultationId: UUID) throws(WellplanError) -> [ThematicCode] {
        var known = Dictionary(outline.map { ($0.path.map { $0.lowercased() }, $0.code.id) }) { first, _ in first }
        var usedIds = Set(codes.map(\.id))
        var added: [ThematicCode] = []
        var problems: [FieldProblem] = []
        for entry in entries {
            let key = entry.path.map { $0.lowercased() }
            if known[key] != nil { continue }
            var parent: UUID?
            if entry.path.count > 1 {
                parent = known[Array(key.dropLast())]
                if parent == nil {
                    problems.append(
                        FieldProblem(
                            entry.line.map { "line \($0): path" } ?? "path", "error_code_parent_missing",
                            [entry.path.dropLast().joined(separator: Self.pathSeparator)]))
                    continue
                }
            }
            let id = entry.id.flatMap { usedIds.contains($0) ? nil : $0 } ?? UUID()
            usedIds.insert(id)
            known[key] = id
            added.append(
                ThematicCode(
                    id: id, consultationId: consultationId, parentId: parent, nameEn: entry.path.last!,
                    nameFr: entry.nameFr.isEmpty ? nil : entry.nameFr,
                    descriptionEn: entry.description.isEmpty ? nil : entry.description))
        }
        if !problems.isEmpty { throw .invalid(problems) }
        return added
    }

    // MARK: REFI-QDA codebook

    public func qdc() -> String {
        let escaped = Markup.escaped
        var xml =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"Wellplan\">\n<Codes>\n"
        func write(_ parent: UUID?, _ indent: String) {
            for code in children[parent] ?? [] {
                xml +=
                    "\(indent)<Code guid=\"\(code.id.uuidString.lowercased())\" name=\"\(escaped(code.nameEn))\" isCodable=\"true\">\n"
                if let about = code.descriptionEn { xml += "\(indent)  <Description>\(escaped(about))</Description>\n" }
                write(code.id, indent + "  ")
                xml += "\(indent)</Code>\n"
            }
        }
        write(nil, "  ")
        return xml + "</Codes>\n</CodeBook>\n"
    }

    /// The codes a REFI-QDA codebook adds, keeping its guids where they are free, so a codebook exported
    /// and imported elsewhere keeps its identity; codes whose path is already here add nothing.
    public func adding(qdc data: Data, consultationId: UUID) throws(WellplanError) -> [ThematicCode] {
        // A codebook declares no document type. One that declares entities could expand them a billion times
        // over or have the parser read another file; it is refused before any parser sees it.
        for declaration in ["<!DOCTYPE", "<!ENTITY"] where data.range(of: Data(declaration.utf8)) != nil {
            throw .invalid([FieldProblem("file", "error_qdc_declaration")])
        }
        let reader = QDCReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        // A file cut short parses without complaint here: its CodeBook must also close.
        guard parser.parse(), reader.sawCodebook, reader.closed else {
            let line = parser.lineNumber
            throw .invalid([FieldProblem("line \(line)", "error_qdc_malformed")])
        }
        if let problem = reader.problem { throw .invalid([problem]) }
        return try adding(reader.codes, consultationId: consultationId)
    }
}

/// Reads `<Code>` elements, nested as the codebook nests them.
private final class QDCReader: NSObject, XMLParserDelegate {
    var codes: [Codebook.NewCode] = []
    var stack: [String] = []
    /// Where each open `<Code>` sits in `codes`, so a description finds its own code even after nested ones.
    var open: [Int] = []
    var sawCodebook = false
    var closed = false
    var inDescription = false
    var problem: FieldProblem?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "CodeBook": sawCodebook = true
        case "Code":
            let codeName = (attributes["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if codeName.isEmpty || codeName.count > 200 || codeName.contains(">") {
                problem = problem ?? FieldProblem("line \(parser.lineNumber): name", "error_code_path")
            }
            stack.append(codeName)
            open.append(codes.count)
            codes.append(
                .init(
                    path: stack, nameFr: "", description: "", line: parser.lineNumber,
                    id: attributes["guid"].flatMap(UUID.init(uuidString:))))
        case "Description": inDescription = !stack.isEmpty
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inDescription, let index = open.last else { return }
        codes[index].description += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "CodeBook": closed = true
        case "Code":
            stack.removeLast()
            open.removeLast()
        case "Description":
            inDescription = false
            if let index = open.last {
                codes[index].description = codes[index].description.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        default: break
        }
    }
}
