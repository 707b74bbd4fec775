import Vapor
import WellplanCore

/// Web pages use the session and CSRF token; the API uses bearer tokens only; both ask the same policy, and
/// both answers are kept while nothing they show changes.
func routes(_ app: Application) throws {
    app.get("healthz", use: Health.check)

    let web = app.grouped(PageCache.Stamp(), app.sessions.middleware, SessionSignIn(), CSRFProtection(), PageCache())
    try web.register(collection: AccountPages())
    try web.register(collection: AccountManagementPages())
    try web.register(collection: PlanPages())
    try web.register(collection: JobPages())
    try web.register(collection: DiscussionPages())
    try web.register(collection: StatisticsPages())
    try web.register(collection: GuardedNamePages())
    try web.register(collection: CodeListPages())
    try web.register(collection: ResponseImportPages())
    try web.register(collection: CodingPages())
    try web.register(collection: FeedbackPages())
    try web.register(collection: SafetyPlanPages())
    try web.register(collection: FindingPhotoPages())
    try web.register(collection: PlacesPages())
    try web.register(collection: EvaluationPages())
    try web.register(collection: MapPages())
    try web.register(collection: MeasurePages())
    try web.register(collection: ObservationImportPages())
    try web.register(collection: PublicIndicatorPages())
    try web.register(collection: ReportPages())
    try web.register(collection: PublicReportPages())
    func webPages<R: Record>(_ type: R.Type) throws { try web.register(collection: RecordPages<R>()) }
    for kind in RecordKind.allCases where !kind.hasOwnRoutes { try webPages(kind.recordType) }

    let api = app.grouped("api", "v1").grouped(PageCache.Stamp(), TokenSignIn(), PageCache())
    api.get("openapi.json") { _ in
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: OpenAPIDocument.json))
    }
    try api.register(collection: PlanAPI())
    try api.register(collection: DiscussionAPI())
    try api.register(collection: CodeListAPI())
    try api.register(collection: ResponseImportAPI())
    try api.register(collection: CodingAPI())
    try api.register(collection: FeedbackAPI())
    try api.register(collection: SafetyPlanAPI())
    try api.register(collection: FindingPhotoAPI())
    try api.register(collection: PlacesAPI())
    try api.register(collection: EvaluationAPI())
    try api.register(collection: IndicatorAPI())
    try api.register(collection: ReportAPI())
    try api.register(collection: JobAPI())
    try api.register(collection: AccountAPI())
    func apiRoutes<R: Record>(_ type: R.Type) throws { try api.register(collection: RecordAPI<R>()) }
    for kind in RecordKind.allCases where !kind.hasOwnRoutes { try apiRoutes(kind.recordType) }
}
