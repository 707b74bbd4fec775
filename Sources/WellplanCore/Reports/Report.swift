import Foundation

/// The kinds of report Wellplan writes, each about one subject (a working group, a plan, a consultation,
/// a situation table, a CPTED audit).
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    case workingGroupUpdate = "working-group-update"
    case annualProgress = "annual-progress"
    case consultationResults = "consultation-results"
    case situationTableAnnual = "situation-table-annual"
    case cptedEvaluation = "cpted-evaluation"

    /// What the report is about.
    public var subject: RecordKind {
        switch self {
        case .workingGroupUpdate, .situationTableAnnual: .partnerTable
        case .annualProgress: .plan
        case .consultationResults: .consultation
        case .cptedEvaluation: .cptedAudit
        }
    }

    public var titleKey: String { "report_kind_" + rawValue.replacingOccurrences(of: "-", with: "_") }
}

/// One report in one language, as every renderer reads it: sections of findings, tables and charts, with
/// their notes and sources. Figures enter it already through the disclosure policy (a withheld figure has
/// no number), so no renderer can leak what the builder left out. A report is a value: frozen, compared
/// between editions, stored.
public struct Report: Sendable, Codable, Equatable {
    public var kind: ReportKind
    public var language: Language
    public var title: String
    public var subtitle: String?
    public var from: Day?
    public var to: Day?
    /// When the data were read: the report shows the records as they stood then.
    public var asOf: Timestamp
    public var sections: [Section]
    public var sources: [Source]

    public init(
        kind: ReportKind, language: Language, title: String, subtitle: String? = nil, from: Day? = nil, to: Day? = nil,
        asOf: Timestamp,
        sections: [Section], sources: [Source] = []
    ) {
        self.kind = kind
        self.language = language
        self.title = title
        self.subtitle = subtitle
        self.from = from
        self.to = to
        self.asOf = asOf
        self.sections = sections
        self.sources = sources
    }

    /// A part of the report under its own heading. `key` is stable across builds, so the coordinator's
    /// choices and narrative stay with it when the data are read again.
    public struct Section: Sendable, Codable, Equatable {
        public var key: String
        public var title: String
        public var narrative: String?
        public var blocks: [Block]
        public var subsections: [Section]

        public init(
            key: String, title: String, narrative: String? = nil, blocks: [Block] = [], subsections: [Section] = []
        ) {
            self.key = key
            self.title = title
            self.narrative = narrative
            self.blocks = blocks
            self.subsections = subsections
        }

        /// Every finding in this section and below, in order.
        public var allFindings: [Finding] {
            blocks.flatMap { block -> [Finding] in
                if case .findings(let f) = block { return f.flatMap { [$0] + $0.details } }
                return []
            } + subsections.flatMap(\.allFindings)
        }

        public var allTables: [Table] {
            blocks.compactMap { if case .table(let t) = $0 { t } else { nil } } + subsections.flatMap(\.allTables)
        }

        public var allCharts: [Chart] {
            blocks.compactMap { if case .chart(let c) = $0 { c } else { nil } } + subsections.flatMap(\.allCharts)
        }

        public var isEmpty: Bool { blocks.isEmpty && subsections.allSatisfy(\.isEmpty) && (narrative ?? "").isEmpty }
    }

    public enum Block: Sendable, Codable, Equatable {
        case paragraph(String)
        /// A list of findings: "Attended **3** community events …", with sub-findings beneath.
        case findings([Finding])
        case table(Table)
        case chart(Chart)
        /// A note under what precedes it: how a figure is made, why one is withheld.
        case note(String)
    }

    /// One statement the report makes, as text with figures in it, so each figure can be bold and link
    /// to the records behind it.
    public struct Finding: Sendable, Codable, Equatable {
        public var key: String
        public var spans: [Span]
        public var link: Link?
        public var annotation: String?
        public var details: [Finding]

        public init(key: String, _ spans: [Span], link: Link? = nil, details: [Finding] = []) {
            self.key = key
            self.spans = spans
            self.link = link
            self.details = details
        }

        public var text: String { spans.map(\.text).joined() }
        public var figures: [Figure] { spans.compactMap { if case .figure(let f) = $0 { f } else { nil } } }
    }

    public enum Span: Sendable, Codable, Equatable {
        case text(String)
        case figure(Figure)

        public var text: String {
            switch self {
            case .text(let t): t
            case .figure(let f): f.text
            }
        }
    }

    /// A number as the report prints it. A withheld figure keeps its label and the reason, never a value.
    public struct Figure: Sendable, Codable, Equatable {
        public var key: String
        public var value: Double?
        public var text: String
        public var link: Link?

        public init(key: String, value: Double?, text: String, link: Link? = nil) {
            self.key = key
            self.value = value
            self.text = text
            self.link = link
        }

        public var isWithheld: Bool { value == nil }
    }

    /// Where the records behind a figure are, and who may follow the link: a reader who may not is shown
    /// the figure without it.
    public struct Link: Sendable, Codable, Equatable {
        public enum Reader: String, Sendable, Codable { case everyone, partners }
        public var path: String
        public var reader: Reader

        public init(_ path: String, reader: Reader) { (self.path, self.reader) = (path, reader) }

        /// A link to a page of the site, for everyone when the page is public and for partners otherwise.
        public init(_ url: SiteURL) { self.init(url.path, reader: url.isPublic ? .everyone : .partners) }

        /// A record's own page, for signed-in partners.
        public static func record(_ kind: RecordKind, _ id: UUID) -> Link { Link(SiteURL.record(kind, id)) }
    }

    public struct Table: Sendable, Codable, Equatable {
        public var key: String
        public var caption: String
        public var columns: [String]
        /// How many leading columns name the row (the rest hold figures).
        public var rowHeaders: Int
        public var rows: [[Cell]]

        public init(key: String, caption: String, columns: [String], rowHeaders: Int = 1, rows: [[Cell]]) {
            self.key = key
            self.caption = caption
            self.columns = columns
            self.rowHeaders = rowHeaders
            self.rows = rows
        }
    }

    public struct Cell: Sendable, Codable, Equatable {
        public var text: String
        /// The number behind a figure cell, for CSV and comparison; nil for text and for withheld figures.
        public var value: Double?
        public var link: Link?

        public init(_ text: String, value: Double? = nil, link: Link? = nil) {
            self.text = text
            self.value = value
            self.link = link
        }
        public init(_ figure: Figure) { (text, value, link) = (figure.text, figure.value, figure.link) }
    }

    /// Bars by label: drawn as SVG in HTML, given as a table everywhere, so no reader needs the picture.
    public struct Chart: Sendable, Codable, Equatable {
        public var key: String
        public var title: String
        public var description: String
        public var bars: [Bar]
        /// A reference line such as a target.
        public var reference: Double?
        public var referenceLabel: String?

        public struct Bar: Sendable, Codable, Equatable {
            public var label: String
            public var figure: Figure
            public init(label: String, figure: Figure) { (self.label, self.figure) = (label, figure) }
        }

        public init(
            key: String, title: String, description: String, bars: [Bar], reference: Double? = nil,
            referenceLabel: String? = nil
        ) {
            self.key = key
            self.title = title
            self.description = description
            self.bars = bars
            self.reference = reference
            self.referenceLabel = referenceLabel
        }
    }

    /// What the report was built from: "Events (4 records)", with a link for those who may follow it.
    public struct Source: Sendable, Codable, Equatable {
        public var text: String
        public var link: Link?
        public init(_ text: String, link: Link? = nil) { (self.text, self.link) = (text, link) }
    }

    public var allFindings: [Finding] { sections.flatMap(\.allFindings) }
    public var allTables: [Table] { sections.flatMap(\.allTables) }
    public var allCharts: [Chart] { sections.flatMap(\.allCharts) }

    /// Every figure in the report, in order, wherever it sits.
    public var allFigures: [Figure] {
        allFindings.flatMap(\.figures) + allCharts.flatMap { $0.bars.map(\.figure) }
    }
}
