import Foundation

/// Every page's address, built from what the page shows rather than written out as a string. A link names
/// the page it goes to; `SiteURLTests` resolves an example of every case against the server's own route
/// table, so a route cannot be renamed and leave links pointing nowhere.
public enum SiteURL: Hashable, Sendable {
    // Any kind of record: its list, its page, the forms that add, edit and delete it.
    case records(RecordKind)
    case record(RecordKind, UUID)
    /// The form for a new record, with fields filled in ahead ("a project of this plan").
    case newRecord(RecordKind, prefill: [String: String] = [:])
    case editRecord(RecordKind, UUID)
    case deleteRecord(RecordKind, UUID)

    // Pages about one record, beyond its own.
    case plan(UUID, PlanPage)
    case table(UUID, TablePage)
    case consultation(UUID, ConsultationPage)
    case layer(UUID, LayerPage)
    case feedbackForm(UUID, FeedbackFormPage)
    case measureSeries(UUID)
    case discussionCompartment(UUID)
    /// Where a discussion's lifecycle events (concluded, closed…) are recorded.
    case discussionEvents(UUID)
    case findingPhotos(UUID)
    case safetyPlanVersions(UUID)
    case safetyPlanFile(UUID, version: Int)
    /// A CPTED audit's site, or one of its recommendations, evaluated with incidents before and after.
    case evaluation(RecordKind, UUID)
    case areaMap(layer: UUID, code: String)
    case incidentCounts(layer: UUID? = nil, from: Day? = nil, to: Day? = nil)
    case responseImportPreview(consultation: UUID, upload: UUID)
    case deleteCoding(consultation: UUID, coding: UUID)
    /// Where the coding page's form sends the codes given to answers.
    case codeAnswers(consultation: UUID)
    /// Marks an answer as fully coded.
    case finishAnswer(consultation: UUID, answer: UUID)

    // Reports, jobs, accounts, code lists.
    case report(UUID)
    case reportAction(UUID, ReportAction)
    case reportView(UUID)
    case reportDownload(UUID, format: String)
    /// The reports page with its "new report" form chosen for a subject.
    case newReport(kind: String, subject: UUID)
    case job(UUID)
    case account(UUID)
    case accountAction(UUID, AccountAction)
    case revokeToken(account: UUID, token: UUID)
    case codeList(String)
    case signIn(next: String)

    // What the public reads, signed in or not.
    case publicPlan(UUID)
    case publicDashboard(UUID)
    case publicMeasure(UUID)
    case publicConsultation(UUID)
    case publicStatistics(table: UUID, period: String? = nil)
    case publicReport(UUID, format: String? = nil)
    case publicFeedbackForm(UUID)
    case feedbackQRCode(UUID)

    // The API's address of a record, for `Location` headers.
    case apiRecord(RecordKind, UUID)

    public enum PlanPage: String, CaseIterable, Sendable {
        case compliance, versions, scorecard
        case situationStatistics = "situation-statistics"
        case observationImport = "observations/import"
    }
    public enum TablePage: String, CaseIterable, Sendable {
        case statistics, meeting
        case discussionImport = "discussions/import"
        case discussionsCSV = "discussions.csv"
    }
    public enum ConsultationPage: String, CaseIterable, Sendable {
        case coding, codebook, agreement, summary
        case responseImport = "responses/import"
    }
    public enum LayerPage: String, CaseIterable, Sendable {
        case areas, map
    }
    public enum FeedbackFormPage: String, CaseIterable, Sendable {
        case poster, paper, results
    }
    /// What a draft report's editor can do to it.
    public enum ReportAction: String, CaseIterable, Sendable {
        case publish, rebuild, delete, edits
    }
    public enum AccountAction: String, CaseIterable, Sendable {
        case password, tokens
    }

    /// The path and query, ready for an `href` or a redirect.
    public var path: String {
        switch self {
        case .records(let kind): "/\(kind.path)"
        case .record(let kind, let id): "/\(kind.path)/\(id)"
        case .newRecord(let kind, let prefill):
            "/\(kind.path)/new" + Self.query(prefill.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        case .editRecord(let kind, let id): "/\(kind.path)/\(id)/edit"
        case .deleteRecord(let kind, let id): "/\(kind.path)/\(id)/delete"
        case .plan(let id, let page): "/plans/\(id)/\(page.rawValue)"
        case .table(let id, let page): "/tables/\(id)/\(page.rawValue)"
        case .consultation(let id, let page): "/consultations/\(id)/\(page.rawValue)"
        case .layer(let id, let page): "/layers/\(id)/\(page.rawValue)"
        case .feedbackForm(let id, let page): "/feedback-forms/\(id)/\(page.rawValue)"
        case .measureSeries(let id): "/measures/\(id)/series"
        case .discussionCompartment(let id): "/discussions/\(id)/compartment"
        case .discussionEvents(let id): "/discussions/\(id)/events"
        case .findingPhotos(let id): "/audit-findings/\(id)/photos"
        case .safetyPlanVersions(let id): "/safety-plans/\(id)/versions"
        case .safetyPlanFile(let id, let version): "/safety-plans/\(id)/versions/\(version)/file"
        case .evaluation(let kind, let id): "/\(kind.path)/\(id)/evaluation"
        case .areaMap(let layer, let code): "/layers/\(layer)/areas/\(Self.segment(code))/map"
        case .incidentCounts(let layer, let from, let to):
            "/incidents/counts"
                + Self.query([
                    ("layerId", layer?.uuidString), ("from", from?.description), ("to", to?.description),
                ])
        case .responseImportPreview(let consultation, let upload):
            "/consultations/\(consultation)/responses/import/\(upload)"
        case .deleteCoding(let consultation, let coding): "/consultations/\(consultation)/codings/\(coding)/delete"
        case .codeAnswers(let consultation): "/consultations/\(consultation)/codings"
        case .finishAnswer(let consultation, let answer): "/consultations/\(consultation)/answers/\(answer)/finished"
        case .report(let id): "/reports/\(id)"
        case .reportAction(let id, let action): "/reports/\(id)/\(action.rawValue)"
        case .reportView(let id): "/reports/\(id)/view"
        case .reportDownload(let id, let format): "/reports/\(id)/download/\(Self.segment(format))"
        case .newReport(let kind, let subject):
            "/reports" + Self.query([("kind", kind), ("subjectId", subject.uuidString)]) + "#new-report"
        case .job(let id): "/jobs/\(id)"
        case .account(let id): "/accounts/\(id)"
        case .accountAction(let id, let action): "/accounts/\(id)/\(action.rawValue)"
        case .revokeToken(let account, let token): "/accounts/\(account)/tokens/\(token)/revoke"
        case .codeList(let name): "/code-lists/\(Self.segment(name))"
        case .signIn(let next): "/signin" + Self.query([("next", next)])
        case .publicPlan(let id): "/public/plans/\(id)"
        case .publicDashboard(let id): "/public/plans/\(id)/dashboard"
        case .publicMeasure(let id): "/public/measures/\(id)"
        case .publicConsultation(let id): "/public/consultations/\(id)"
        case .publicStatistics(let table, let period):
            "/public/situation-tables/\(table)/statistics" + Self.query([("period", period)])
        case .publicReport(let id, let format): "/public/reports/\(id)" + (format.map { "/" + Self.segment($0) } ?? "")
        case .publicFeedbackForm(let id): "/f/\(id)"
        case .feedbackQRCode(let id): "/f/\(id)/qr.svg"
        case .apiRecord(let kind, let id): "/api/v1/\(kind.path)/\(id)"
        }
    }

    /// Pages anyone may read; a link to any other is for signed-in partners.
    public var isPublic: Bool {
        switch self {
        case .publicPlan, .publicDashboard, .publicMeasure, .publicConsultation, .publicStatistics, .publicReport,
            .publicFeedbackForm, .feedbackQRCode, .signIn:
            true
        default: false
        }
    }

    /// A path segment with anything that is not a plain character percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
    }

    /// `?a=1&b=2` for the pairs that have a value, or nothing.
    static func query(_ pairs: [(String, String?)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let given = pairs.compactMap { name, value in
            value.map { name + "=" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) }
        }
        return given.isEmpty ? "" : "?" + given.joined(separator: "&")
    }
}

extension SiteURL: CustomStringConvertible {
    public var description: String { path }
}
