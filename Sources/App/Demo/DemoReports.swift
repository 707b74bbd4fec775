import Vapor
import WellplanCore

/// The demo's reports: the Enforcement and Justice working group's summer update (published), then the
/// update seed 000 shows for the December 2 meeting, which runs from the day after it and is built from the
/// recorded events and activities, shaped as the seed's slides (its one project, the next steps in their
/// order, the summary's narrative); the Leamington and Essex consultation's results for the public and the WECOSS
/// consultation's for partners; and the year's progress report as a draft.
extension DemoRegion {
    static func loadReports(_ app: Application, _ w: RecordWriter, plan: UUID, workingGroup: UUID) async throws {
        let reports = Reports(db: app.db, author: w.author)
        let policy = app.settings.disclosure
        let summer = try await reports.buildNow(
            ReportRequest(
                kind: .workingGroupUpdate, subjectId: workingGroup, from: day("2025-06-01"), to: day("2025-09-30")),
            policy: policy)
        _ = try await reports.publish(summer.id, views: app.view)
        let december = try await reports.buildNow(
            ReportRequest(kind: .workingGroupUpdate, subjectId: workingGroup, to: day("2025-12-02")), policy: policy)
        _ = try await reports.saveEdits(december.id, try seed000Edits(december.report(.en)!))
        let consultations = try await Records(db: app.db.sql).list(Consultation.self, filters: ["planId": plan])
        // Leamington and Essex's consultation has published themes: its results are public.
        let leamington = consultations.first { $0.titleEn.hasPrefix("Leamington") }!
        _ = try await reports.publish(
            try await reports.buildNow(
                ReportRequest(kind: .consultationResults, subjectId: leamington.id), policy: policy
            ).id, views: app.view)
        let wecoss = consultations.first { $0.titleEn.hasPrefix("WECOSS") }!
        let results = try await reports.buildNow(
            ReportRequest(kind: .consultationResults, subjectId: wecoss.id, audience: .partners), policy: policy)
        _ = try await reports.publish(results.id, views: app.view)
        _ = try await reports.buildNow(
            ReportRequest(kind: .annualProgress, subjectId: plan, from: day("2025-01-01"), to: day("2025-12-31")),
            policy: policy)
    }

    /// What the coordinator did to the December update: kept the project the meeting heard about, put its
    /// next steps in the seed's order and wrote the summary's narrative, in both languages.
    static func seed000Edits(_ report: Report) throws -> ReportEdits {
        var edits = ReportEdits()
        let project = report.sections.first { $0.title == "Strengthening Community Safety and Wellbeing" }!
        edits.hidden = Set(report.sections.map(\.key).filter { $0 != project.key })
        let next = project.subsections.first { $0.key.hasSuffix("-next") }!.allFindings
        for start in ["Finalize", "Create an evaluation", "Continue to attend", "Host five"] {
            edits.order += next.filter { $0.text.hasPrefix(start) }.map(\.key)
        }
        let results = project.subsections.first { $0.key.hasSuffix("-results") }!
        edits.narrative[results.key] = ReportEdits.Text(
            en:
                "Main safety concerns highlighted include mental health, substance use, homelessness, road safety, and harassment. "
                + "Two new topics were added to both the Leamington and Essex safety plans: human trafficking and intimate partner violence.",
            fr:
                "Les principales préoccupations soulevées sont la santé mentale, la consommation de substances, l'itinérance, la sécurité routière et le harcèlement. "
                + "Deux nouveaux sujets ont été ajoutés aux plans de Leamington et d'Essex : la traite de personnes et la violence entre partenaires intimes."
        )
        return edits
    }
}
