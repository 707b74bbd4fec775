import Vapor
import WellplanCore

/// A feedback form's public page (`/f/:id`) and its QR code; for the event's organizers, the printable
/// poster, paper entry and results.
struct FeedbackPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("f", ":id", use: publicForm)
        routes.post("f", ":id", use: submit)
        routes.get("f", ":id", "qr.svg", use: qrCode)
        let form = routes.grouped("feedback-forms", ":id")
        form.get("poster", use: poster)
        form.get("paper", use: paperForm)
        form.post("paper", use: enterPaper)
        form.get("results", use: results)
    }

    struct FormPage: Encodable {
        struct Question: Encodable {
            let name: String
            let text: String
            let isLikert: Bool
            let value: String
            let error: String?
            let options: [RecordView.FormField.Option]
        }
        let heading: String
        let event: String
        let action: String
        let questions: [Question]
        let problems: [ErrorResponses.Body.Problem]
        let isPaper: Bool
        let saved: String?
        let closed: Bool
        let thanks: Bool
    }

    static func publicLink(_ req: Request, _ form: FeedbackForm) -> String {
        let base =
            req.application.settings.publicURL
            ?? "\(req.application.settings.secureCookies ? "https" : "http")://\(req.headers.first(name: .host) ?? "localhost")"
        return "\(base)/f/\(form.id)"
    }

    func formPage(
        _ req: Request, _ form: FeedbackForm, isPaper: Bool, values: [String: String] = [:],
        problems: [FieldProblem] = [], saved: String? = nil,
        thanks: Bool = false, status: HTTPStatus = .ok
    ) async throws -> Response {
        let lang = req.language
        let event = try await Records(db: req.sql).find(Event.self, form.eventId)
        let questions = try await FeedbackSubmissions(db: req.db, clock: req.clock).questions(of: form)
        _ = req.csrfToken
        let content = FormPage(
            heading: form.title(lang), event: event.map { "\($0.title(lang)) · \($0.occurredOn)" } ?? "",
            action: isPaper ? SiteURL.feedbackForm(form.id, .paper).path : SiteURL.publicFeedbackForm(form.id).path,
            questions: questions.map { q in
                let name = "q-\(q.id.uuidString)"
                let value = values[name] ?? ""
                return .init(
                    name: name, text: q.title(lang), isLikert: q.isLikert, value: value,
                    error: problems.first { $0.field == name }.map { $0.message(lang) },
                    options: q.isLikert
                        ? FeedbackSubmission.scale.map {
                            .init(value: String($0), label: req.text("likert_\($0)"), selected: value == String($0))
                        } : [])
            },
            problems: req.shown(problems.filter { !$0.field.hasPrefix("q-") }), isPaper: isPaper, saved: saved,
            closed: !isPaper && !form.open,
            thanks: thanks)
        return try await req.page("feedback-form", title: content.heading, status: status, content)
    }

    static func openForm(_ req: Request) async throws -> FeedbackForm {
        guard let id = req.parameters.get("id", as: UUID.self),
            let form = try await Records(db: req.sql).find(FeedbackForm.self, id)
        else {
            throw WellplanError.notFound("feedback_form")
        }
        return form
    }

    static func fields(_ req: Request) throws -> [String: String] {
        req.formValues().compactMapValues(\.first)
    }

    @Sendable func publicForm(req: Request) async throws -> Response {
        let form = try await Self.openForm(req)
        return try await formPage(req, form, isPaper: false, status: form.open ? .ok : .gone)
    }

    /// Anyone with the link may answer while the form is open; nothing about who answered is kept.
    @Sendable func submit(req: Request) async throws -> Response {
        let form = try await Self.openForm(req)
        guard form.open else { return try await formPage(req, form, isPaper: false, status: .gone) }
        let values = try Self.fields(req)
        do {
            try await Self.keep(values, form, req, channel: .online)
            return try await formPage(req, form, isPaper: false, thanks: true)
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await formPage(
                req, form, isPaper: false, values: values, problems: problems, status: .unprocessableEntity)
        }
    }

    /// Reads one filled form against the form's questions and keeps it; a paper one is kept with who typed it.
    @discardableResult
    static func keep(
        _ values: [String: String], _ form: FeedbackForm, _ req: Request, channel: FeedbackSubmission.Channel
    ) async throws
        -> FeedbackSubmission
    {
        let store = FeedbackSubmissions(db: req.db, clock: req.clock)
        let submission = try FeedbackSubmission(
            values, questions: try await store.questions(of: form), channel: channel)
        try await store.keep(submission, for: form, enteredBy: channel == .paper ? req.author : nil)
        return submission
    }

    @Sendable func qrCode(req: Request) async throws -> Response {
        let form = try await Self.openForm(req)
        let link = Self.publicLink(req, form)
        guard let code = QRCode(link) else {
            throw WellplanError.invalid([FieldProblem("link", "error_too_long", ["213"])])
        }
        return Response(
            status: .ok, headers: ["Content-Type": "image/svg+xml"], body: .init(string: code.svg(title: link)))
    }

    struct PosterPage: Encodable {
        let heading: String
        let event: String
        let link: String
        let qrHref: String
        let formHref: String
    }

    @Sendable func poster(req: Request) async throws -> Response {
        let form = try await req.authorizedRecord(FeedbackForm.self, .read)
        let event = try await Records(db: req.sql).find(Event.self, form.eventId)
        let content = PosterPage(
            heading: form.title(req.language), event: event?.title(req.language) ?? "",
            link: Self.publicLink(req, form), qrHref: SiteURL.feedbackQRCode(form.id).path,
            formHref: SiteURL.record(.feedbackForm, form.id).path)
        return try await req.page("feedback-poster", title: content.heading, content)
    }

    @Sendable func paperForm(req: Request) async throws -> Response {
        try await formPage(req, try await req.authorizedRecord(FeedbackForm.self, .update), isPaper: true)
    }

    @Sendable func enterPaper(req: Request) async throws -> Response {
        let form = try await req.authorizedRecord(FeedbackForm.self, .update)
        let values = try Self.fields(req)
        do {
            try await Self.keep(values, form, req, channel: .paper)
            let count = try await FeedbackSubmissions(db: req.db, clock: req.clock).submissions(of: form).filter {
                $0.channel == .paper
            }
            .count
            return try await formPage(req, form, isPaper: true, saved: "\(req.text("feedback_paper_saved")) \(count)")
        } catch let error as WellplanError {
            guard case .invalid(let problems) = error else { throw error }
            return try await formPage(
                req, form, isPaper: true, values: values, problems: problems, status: .unprocessableEntity)
        }
    }

    struct ResultsPage: Encodable {
        struct Line: Encodable {
            let question: String
            let n: Int
            let agreed: String
            let percent: String
        }
        let heading: String
        let formHref: String
        let submissions: Int
        let lines: [Line]
        let note: String
    }

    @Sendable func results(req: Request) async throws -> Response {
        let form = try await req.authorizedRecord(FeedbackForm.self, .read)
        let store = FeedbackSubmissions(db: req.db, clock: req.clock)
        let questions = try await store.questions(of: form)
        let policy = req.application.settings.disclosure
        let results = try await store.results(of: form, policy: policy, audience: .partners)
        let withheld = req.text("summary_withheld")
        let content = ResultsPage(
            heading: req.text("feedback_results") + " · " + form.title(req.language),
            formHref: SiteURL.record(.feedbackForm, form.id).path,
            submissions: results.submissions,
            lines: zip(questions, results.lines).map { q, line in
                .init(
                    question: q.title(req.language), n: line.n,
                    agreed: line.isLikert ? (line.agreed.map(String.init) ?? withheld) : "—",
                    percent: line.isLikert
                        ? (line.percentAgree.map { "\($0) %" } ?? (line.withheld ? withheld : "—")) : "—")
            },
            note: req.text("feedback_results_note", String(policy.minimum(for: .partners))))
        return try await req.page("feedback-results", title: content.heading, content)
    }
}
