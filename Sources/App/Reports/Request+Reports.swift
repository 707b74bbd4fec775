import Vapor
import WellplanCore

/// What report pages and API share: the report in the path, the reader's view of it, and its files.
extension Request {
    var reports: Reports { Reports(db: db, author: author) }

    func storedReport() async throws -> StoredReport {
        guard let id = parameters.get("id", as: UUID.self), let report = try await reports.find(id) else {
            throw WellplanError.notFound("report")
        }
        return report
    }

    /// A report in one format and language. A published edition's HTML, Markdown and CSV for the public are
    /// the kept bytes; partners reading any report get it rendered from its frozen model with their links.
    func reportFile(_ stored: StoredReport, _ format: ReportFormat, readers: Report.Link.Reader) async throws
        -> Response
    {
        let language = self.language
        let base = readers == .everyone ? SiteURL.publicReport(stored.id).path : SiteURL.reportView(stored.id).path
        let keeps = stored.state == .published && readers == .everyone
        if keeps, let kept = try await reports.file(stored.id, name: format.fileName(language)) {
            return reportResponse(kept, stored, format)
        }
        guard let report = stored.shown(language) else { throw WellplanError.conflict("error_report_building") }
        var data = try await ReportFiles.render(
            format, report, stored, readers: readers, base: base, views: view,
            chromium: application.settings.chromium)
        // A published file not kept at publication (a PDF) is kept the first time it is made.
        if keeps {
            data = try await reports.keep(
                stored.id, name: format.fileName(language), mediaType: format.mediaType, data: data)
        }
        return reportResponse(data, stored, format)
    }

    private func reportResponse(_ data: Data, _ stored: StoredReport, _ format: ReportFormat) -> Response {
        let language = self.language
        let name =
            "\(stored.kind)-\(stored.edition.map { "edition-\($0)" } ?? "draft")-\(language.rawValue).\(format == .csv ? "zip" : format.rawValue)"
        let response = StoredFiles.response(
            data, type: format.httpMediaType, fileName: name, inline: format == .html || format == .pdf)
        if format == .html {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: ReportFiles.contentSecurityPolicy)
        }
        return response
    }
}
