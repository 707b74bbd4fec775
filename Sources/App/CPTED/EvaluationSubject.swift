import Vapor
import WellplanCore

/// What is evaluated: an implemented recommendation, from the day it was implemented, or an audit's site,
/// from the day the coordinator names (by default the day its last implemented recommendation was).
struct EvaluationSubject {
    let kindLabelKey: String
    let title: String
    let href: String
    let audit: CptedAudit
    let changedOn: Day?
    /// A site's day of change is the reader's to choose; a recommendation's is its implementation day.
    let asksForDay: Bool

    static func recommendation(_ req: Request) async throws -> EvaluationSubject {
        let recommendation = try await req.authorizedRecord(CptedRecommendation.self, .read)
        guard let implementedOn = recommendation.implementedOn else {
            throw WellplanError.invalid([FieldProblem("implementedOn", "error_implemented_on_required")])
        }
        guard let audit = try await Records(db: req.sql).find(CptedAudit.self, recommendation.auditId) else {
            throw WellplanError.notFound("cpted_audit")
        }
        return EvaluationSubject(
            kindLabelKey: RecordKind.cptedRecommendation.labelKey, title: recommendation.title(req.language),
            href: SiteURL.record(.cptedRecommendation, recommendation.id).path, audit: audit, changedOn: implementedOn,
            asksForDay: false)
    }

    static func site(_ req: Request) async throws -> EvaluationSubject {
        let audit = try await req.authorizedRecord(CptedAudit.self, .read)
        var changedOn = try req.queryDay("changedOn")
        if changedOn == nil { changedOn = try await Evaluations(db: req.db).lastChange(of: audit) }
        return EvaluationSubject(
            kindLabelKey: RecordKind.cptedAudit.labelKey, title: audit.siteName,
            href: SiteURL.record(.cptedAudit, audit.id).path,
            audit: audit, changedOn: changedOn,
            asksForDay: true)
    }

    /// `/cpted-recommendations/:id/evaluation` and `/cpted-audits/:id/evaluation`, as pages and in the API.
    typealias Reader = @Sendable (Request) async throws -> EvaluationSubject
    static let readers: [(path: PathComponent, read: Reader)] = [
        ("cpted-recommendations", EvaluationSubject.recommendation), ("cpted-audits", EvaluationSubject.site),
    ]

    /// The subject, and its outcome for the design and control the query asks for (none until a control is chosen).
    static func outcome(_ req: Request, _ read: Reader) async throws -> (EvaluationSubject, Evaluations.Outcome?) {
        let subject = try await read(req)
        try await req.authorize(.read, .incidents)
        guard let layer = req.query[String.self, at: "controlLayerId"].flatMap(UUID.init(uuidString:)),
            let code = req.query[String.self, at: "controlAreaCode"],
            !code.isEmpty
        else { return (subject, nil) }
        guard let changedOn = subject.changedOn else {
            throw WellplanError.invalid([FieldProblem("changedOn", "error_required")])
        }
        let given = EvaluationDesign.parameterNames.compactMap { name in
            req.query[String.self, at: name].map { (name, $0) }
        }
        let design = try EvaluationDesign(implementedOn: changedOn, parameters: Dictionary(given) { a, _ in a })
        return (
            subject,
            try await Evaluations(db: req.db).evaluate(
                subject.audit, design: design, controlLayer: layer, controlCode: code)
        )
    }
}
