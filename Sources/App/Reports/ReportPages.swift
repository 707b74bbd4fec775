import Vapor
import WellplanCore

/// Partners' report pages: the list with the form that asks for a new report, a draft's editor (choose,
/// order and annotate findings; narrative in both languages), rebuild, publish, and every format.
struct ReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", use: list)
        routes.post("reports", use: create)
        routes.get("reports", ":id", use: editor)
        // A large report's editor sends a field or four per finding.
        routes.large(.POST, "reports", ":id", "edits", max: "4mb", use: saveEdits)
        routes.post("reports", ":id", "rebuild", use: rebuild)
        routes.post("reports", ":id", "publish", use: publish)
        routes.post("reports", ":id", "delete", use: delete)
        routes.get("reports", ":id", "view", use: view)
        routes.get("reports", ":id", "download", ":format", use: download)
    }

    struct ListPage: Encodable {
        struct Item: Encodable {
            let href: String
            let title: String
            let kind: String
            let period: String
            let state: String
            let edition: String
            let asOf: String
        }
        struct Option: Encodable {
            let value: String
            let label: String
            var selected = false
        }
        let items: [Item]
        let kinds: [Option]
        let subjects: [Option]
        let canCreate: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    func listPage(_ req: Request, problems: [FieldProblem] = [], status: HTTPStatus = .ok) async throws -> Response {
        try await req.authorize(.read, .reports)
        _ = req.csrfToken
        let lang = req.language
        let store = Records(db: req.sql)
        let items = try await req.reports.all().map { r in
            ListPage.Item(
                href: SiteURL.report(r.id).path, title: r.summary(lang).title ?? req.text("report_building"),
                kind: req.text(r.reportKind.titleKey),
                period: [r.fromDay, r.toDay].compactMap { $0?.description }.joined(separator: " – "),
                state: req.text("report_state_\(r.state.rawValue)"),
                edition: r.edition.map(String.init) ?? "—",
                asOf: r.asOf.map { String($0.description.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "—")
        }
        // Every subject a report can be about, named by its kind, so one form serves every report kind.
        var subjects: [ListPage.Option] = []
        for plan in try await store.list(Plan.self) {
            subjects.append(.init(value: plan.id.uuidString, label: "\(req.text("kind_plan")): \(plan.title(lang))"))
        }
        for table in try await store.list(PartnerTable.self) {
            subjects.append(
                .init(value: table.id.uuidString, label: "\(req.text("kind_partner_table")): \(table.title(lang))"))
        }
        for c in try await store.list(Consultation.self) {
            subjects.append(.init(value: c.id.uuidString, label: "\(req.text("kind_consultation")): \(c.title(lang))"))
        }
        for a in try await store.list(CptedAudit.self) {
            subjects.append(.init(value: a.id.uuidString, label: "\(req.text("kind_cpted_audit")): \(a.title(lang))"))
        }
        // A subject's page links here with the kind and subject chosen.
        let kind = req.query[String.self, at: "kind"], subject = req.query[String.self, at: "subjectId"]?.uppercased()
        let content = ListPage(
            items: items,
            kinds: ReportKind.allCases.map {
                .init(value: $0.rawValue, label: req.text($0.titleKey), selected: $0.rawValue == kind)
            },
            subjects: subjects.map { .init(value: $0.value, label: $0.label, selected: $0.value == subject) },
            canCreate: (try? await req.authorize(.create, .reports)) != nil, problems: req.shown(problems))
        return try await req.page("reports", title: req.text("reports_heading"), status: status, content)
    }

    @Sendable func list(req: Request) async throws -> Response { try await listPage(req) }

    @Sendable func create(req: Request) async throws -> Response {
        try await req.authorize(.create, .reports)
        let form = try req.content.decode([String: String].self)
        do {
            let (_, job) = try await req.reports.request(
                try ReportForm.request(form), policy: req.application.settings.disclosure)
            return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await listPage(req, problems: problems, status: .unprocessableEntity)
        }
    }

    struct EditorPage: Encodable {
        struct Section: Encodable {
            let index: Int
            let key: String
            let title: String
            let depth: Int
            let shown: Bool
            let narrativeEn: String
            let narrativeFr: String
            let findings: [Finding]
        }
        struct Finding: Encodable {
            let index: Int
            let key: String
            let text: String
            let shown: Bool
            let order: String
            let noteEn: String
            let noteFr: String
        }
        let id: UUID
        /// Where the editor's forms go, by `SiteURL.ReportAction`.
        let actions: [String: String]
        let heading: String
        let kind: String
        let state: String
        let isDraft: Bool
        let isBuilding: Bool
        let jobHref: String?
        let viewHref: String
        let publicHref: String?
        let downloads: [ListPage.Option]
        let sections: [Section]
        let canEdit: Bool
        let problems: [ErrorResponses.Body.Problem]
    }

    func editorPage(_ req: Request, _ stored: StoredReport, problems: [FieldProblem] = [], status: HTTPStatus = .ok)
        async throws -> Response
    {
        _ = req.csrfToken
        let edits = stored.reportEdits
        // The report as built, before the edits, in the reader's language: every finding, kept or not.
        let built = stored.report(req.language)
        var sections: [EditorPage.Section] = [], findingIndex = 0
        func walk(_ section: Report.Section, depth: Int) {
            let findings = section.blocks.flatMap { block -> [Report.Finding] in
                if case .findings(let f) = block { f } else { [] }
            }
            sections.append(
                .init(
                    index: sections.count, key: section.key, title: section.title, depth: depth,
                    shown: !edits.hidden.contains(section.key),
                    narrativeEn: edits.narrative[section.key]?.en ?? "",
                    narrativeFr: edits.narrative[section.key]?.fr ?? "",
                    findings: findings.map { f in
                        findingIndex += 1
                        let rank = edits.order.firstIndex(of: f.key).map { String($0 + 1) } ?? ""
                        return .init(
                            index: findingIndex, key: f.key, text: f.text, shown: !edits.hidden.contains(f.key),
                            order: rank,
                            noteEn: edits.annotations[f.key]?.en ?? "", noteFr: edits.annotations[f.key]?.fr ?? "")
                    }))
            for sub in section.subsections { walk(sub, depth: depth + 1) }
        }
        built?.sections.forEach { walk($0, depth: 0) }
        let mayEdit = (try? await req.authorize(.update, .reports)) != nil
        let canEdit = stored.state == .draft && mayEdit
        let content = EditorPage(
            id: stored.id,
            actions: Dictionary(
                uniqueKeysWithValues: SiteURL.ReportAction.allCases.map {
                    ($0.rawValue, SiteURL.reportAction(stored.id, $0).path)
                }), heading: stored.report(req.language)?.title ?? req.text("report_building"),
            kind: req.text(stored.reportKind.titleKey),
            state: req.text("report_state_\(stored.state.rawValue)"), isDraft: stored.state == .draft,
            isBuilding: stored.state == .building,
            jobHref: stored.jobId.map { SiteURL.job($0).path }, viewHref: SiteURL.reportView(stored.id).path,
            publicHref: stored.state == .published && stored.readers == .publicRelease
                ? SiteURL.publicReport(stored.id).path : nil,
            downloads: stored.state == .building
                ? []
                : ReportFormat.allCases.map {
                    .init(
                        value: SiteURL.reportDownload(stored.id, format: $0.rawValue).path,
                        label: req.text("report_format_\($0.rawValue)"))
                },
            sections: sections, canEdit: canEdit, problems: req.shown(problems))
        return try await req.page("report", title: content.heading, status: status, content)
    }

    @Sendable func editor(req: Request) async throws -> Response {
        try await req.authorize(.read, .reports)
        return try await editorPage(req, try await req.storedReport())
    }

    @Sendable func saveEdits(req: Request) async throws -> Response {
        try await req.authorize(.update, .reports)
        let stored = try await req.storedReport()
        let form = try req.content.decode([String: String].self)
        do {
            _ = try await req.reports.saveEdits(stored.id, try ReportForm.edits(form))
            return req.redirect(to: SiteURL.report(stored.id).path, redirectType: .normal)
        } catch WellplanError.invalid(let problems) {
            return try await editorPage(req, stored, problems: problems, status: .unprocessableEntity)
        }
    }

    @Sendable func rebuild(req: Request) async throws -> Response {
        try await req.authorize(.update, .reports)
        let job = try await req.reports.rebuild(
            try await req.storedReport(), policy: req.application.settings.disclosure)
        return req.redirect(to: SiteURL.job(job.id).path, redirectType: .normal)
    }

    @Sendable func publish(req: Request) async throws -> Response {
        try await req.authorize(.create, .reports)
        let stored = try await req.reports.publish(try await req.storedReport().id, views: req.view)
        return req.redirect(to: SiteURL.report(stored.id).path, redirectType: .normal)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        try await req.authorize(.delete, .reports)
        try await req.reports.delete(try await req.storedReport().id)
        return req.redirect(to: "/reports", redirectType: .normal)
    }

    @Sendable func view(req: Request) async throws -> Response {
        try await req.authorize(.read, .reports)
        return try await req.reportFile(try await req.storedReport(), .html, readers: .partners)
    }

    @Sendable func download(req: Request) async throws -> Response {
        try await req.authorize(.read, .reports)
        guard let format = req.parameters.get("format").flatMap(ReportFormat.init(rawValue:)) else {
            throw WellplanError.notFound("format")
        }
        return try await req.reportFile(try await req.storedReport(), format, readers: .partners)
    }
}

/// Reads the report forms' fields: the request for a new report, and a draft's edits.
enum ReportForm {
    static func request(_ form: [String: String]) throws(WellplanError) -> ReportRequest {
        var problems: [FieldProblem] = []
        let kind = form["kind"].flatMap(ReportKind.init(rawValue:))
        if kind == nil { problems.append(FieldProblem("kind", "error_required")) }
        let subject = form["subjectId"].flatMap(UUID.init(uuidString:))
        if subject == nil { problems.append(FieldProblem("subjectId", "error_required")) }
        func day(_ name: String) -> Day? {
            guard let text = form[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let day = Day(text) else {
                problems.append(FieldProblem(name, "error_not_day"))
                return nil
            }
            return day
        }
        let from = day("from"), to = day("to")
        let audience = form["audience"].flatMap { $0.isEmpty ? nil : Audience(rawValue: $0) }
        let names = ["controlLayerId", "controlAreaCode", "changedOn"] + EvaluationDesign.parameterNames
        let parameters = form.filter { names.contains($0.key) && !$0.value.isEmpty }
        if !problems.isEmpty { throw .invalid(problems) }
        return ReportRequest(
            kind: kind!, subjectId: subject!, from: from, to: to, audience: audience,
            parameters: parameters.isEmpty ? nil : parameters)
    }

    /// `s<i>` names a section, `keepS<i>` keeps it, and `narrativeEn<i>`/`narrativeFr<i>` its narrative; `k<i>` names a finding,
    /// `keep<i>` keeps it, `order<i>` places it, `noteEn<i>`/`noteFr<i>` annotate it.
    static func edits(_ form: [String: String]) throws(WellplanError) -> ReportEdits {
        var edits = ReportEdits()
        var ranked: [(rank: Int, key: String)] = []
        var problems: [FieldProblem] = []
        for (name, key) in form where name.hasPrefix("s") && Int(name.dropFirst()) != nil {
            let i = String(name.dropFirst())
            if form["keepS\(i)"] == nil { edits.hidden.insert(key) }
            let text = ReportEdits.Text(en: form["narrativeEn\(i)"], fr: form["narrativeFr\(i)"])
            if text.en != nil || text.fr != nil { edits.narrative[key] = text }
        }
        for (name, key) in form where name.hasPrefix("k") && Int(name.dropFirst()) != nil {
            let i = String(name.dropFirst())
            if form["keep\(i)"] == nil { edits.hidden.insert(key) }
            let note = ReportEdits.Text(en: form["noteEn\(i)"], fr: form["noteFr\(i)"])
            if note.en != nil || note.fr != nil { edits.annotations[key] = note }
            if let order = form["order\(i)"]?.trimmingCharacters(in: .whitespaces), !order.isEmpty {
                guard let rank = Int(order), rank > 0 else {
                    problems.append(FieldProblem("order\(i)", "error_not_number"))
                    continue
                }
                ranked.append((rank, key))
            }
        }
        if !problems.isEmpty { throw .invalid(problems.sorted { $0.field < $1.field }) }
        edits.order = ranked.sorted { ($0.rank, $0.key) < ($1.rank, $1.key) }.map(\.key)
        return edits
    }
}
