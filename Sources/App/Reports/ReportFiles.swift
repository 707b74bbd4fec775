import Crypto
import Foundation
import Vapor
import WellplanCore
import ZIPFoundation

/// The formats a report is read in, each from the same report model.
enum ReportFormat: String, CaseIterable, Sendable, Codable {
    case html, md, csv, pdf

    var httpMediaType: HTTPMediaType {
        switch self {
        case .html: .html
        case .md: HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"])
        case .csv: .zip
        case .pdf: .pdf
        }
    }

    var mediaType: String { httpMediaType.serialize() }

    /// The kept file's name: `report-en.html`, `report-fr-tables.zip`.
    func fileName(_ language: Language) -> String {
        switch self {
        case .csv: "report-\(language.rawValue)-tables.zip"
        default: "report-\(language.rawValue).\(rawValue)"
        }
    }
}

enum ReportFiles {
    /// A report's own styles are inline, allowed by their digest alone; nothing else loads, no script runs.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'sha256-\(Data(SHA256.hash(data: Data(ReportDocument.style.utf8))).base64EncodedString())'; "
        + "img-src 'self' data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'"

    struct Rendered {
        let name: String
        let mediaType: String
        let data: Data
    }

    /// The line under a report's title: its edition and day, or that it is a draft.
    static func status(_ stored: StoredReport, _ language: Language) -> String {
        let w = ReportWriting(language)
        guard let edition = stored.edition, let at = stored.publishedAt else { return w.text("report_draft") }
        return w.text("report_edition_published", String(edition), w.day(at.day))
    }

    static func alternate(_ stored: StoredReport, _ language: Language, base: String) -> String {
        "\(base)?lang=\(language == .en ? "fr" : "en")"
    }

    /// The report in one format and language, for the given reader. PDF is printed from the HTML.
    static func render(
        _ format: ReportFormat, _ report: Report, _ stored: StoredReport, readers: Report.Link.Reader, base: String,
        views: any ViewRenderer, chromium: String? = ReportPDF.installed
    ) async throws -> Data {
        let status = status(stored, report.language)
        switch format {
        case .html:
            let alternate = alternate(stored, report.language, base: base)
            let document = ReportDocument(report, reader: readers, alternate: alternate, status: status)
            return Data(try await document.render(views).utf8)
        case .md:
            return Data(ReportMarkdown(reader: readers, status: status).render(report).utf8)
        case .csv:
            return try zip(ReportCSV.files(report), at: report.asOf)
        case .pdf:
            let document = ReportDocument(report, reader: readers, status: status)
            let html = try await document.render(views)
            return try await ReportPDF.print(html, language: report.language, chromium: chromium)
        }
    }

    /// Every file a published edition keeps, in both languages (PDF is kept when first asked for).
    static func rendered(
        _ stored: StoredReport, _ reports: [Language: Report], readers: Report.Link.Reader, views: any ViewRenderer
    ) async throws -> [Rendered] {
        let base = SiteURL.publicReport(stored.id).path
        var files: [Rendered] = []
        for language in Language.allCases {
            guard let report = reports[language] else { continue }
            for format in [ReportFormat.html, .md, .csv] {
                let data = try await render(format, report, stored, readers: readers, base: base, views: views)
                let name = format.fileName(language)
                files.append(Rendered(name: name, mediaType: format.mediaType, data: data))
            }
        }
        return files
    }

    /// The CSV files in one ZIP, dated at the report's as-of time so the same report makes the same bytes.
    static func zip(_ files: [ReportCSV.File], at asOf: Timestamp) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for file in files {
            let data = Data(file.text.utf8)
            try archive.addEntry(
                with: file.name, type: .file, uncompressedSize: Int64(data.count), modificationDate: asOf.date,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }
}

/// Prints a report's HTML to PDF with headless Chromium, which draws the same page a reader sees.
enum ReportPDF {
    /// Where Chromium is: `WELLPLAN_CHROMIUM` when set, else where Debian's `chromium` package puts it.
    static var installed: String? {
        let candidates =
            Environment.get("WELLPLAN_CHROMIUM").map { [$0] } ?? [
                "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium",
            ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Unavailable: AbortError {
        var status: HTTPResponseStatus { .serviceUnavailable }
        var reason: String
    }

    static func print(_ html: String, language: Language, chromium: String?) async throws -> Data {
        guard let chromium else {
            throw Unavailable(reason: Catalogue.shared.text("error_pdf_needs_chromium", language))
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wellplan-pdf-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html"), pdf = folder.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
            "--no-first-run",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--print-to-pdf=\(pdf.path)",
            page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Chromium prints in about a second; a minute means it hung. (Elapsed time, not a time of day.)
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw Unavailable(reason: "Chromium did not finish printing the report within a minute")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: pdf),
            data.starts(with: Data("%PDF".utf8))
        else {
            throw Unavailable(reason: "Chromium could not print the report (exit status \(process.terminationStatus))")
        }
        return data
    }
}
