import Foundation
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

/// Every address the product links to is a `SiteURL`; each of its cases, with every kind and sub-page it
/// can take, must land on a route the server has, with the method the link is followed by.
@Suite struct SiteURLTests {
    static let id = UUID()

    /// An example of every case: every record kind for the record pages, every sub-page of each enum.
    static var examples: [SiteURL] {
        var urls: [SiteURL] = []
        for kind in RecordKind.allCases {
            urls += [
                .records(kind), .record(kind, id), .newRecord(kind), .editRecord(kind, id), .apiRecord(kind, id),
            ]
            if kind != .situationDiscussion { urls.append(.deleteRecord(kind, id)) }
        }
        urls += SiteURL.PlanPage.allCases.map { .plan(id, $0) }
        urls += SiteURL.TablePage.allCases.map { .table(id, $0) }
        urls += SiteURL.ConsultationPage.allCases.map { .consultation(id, $0) }
        urls += SiteURL.LayerPage.allCases.map { .layer(id, $0) }
        urls += SiteURL.FeedbackFormPage.allCases.map { .feedbackForm(id, $0) }
        urls += SiteURL.ReportAction.allCases.map { .reportAction(id, $0) }
        urls += SiteURL.AccountAction.allCases.map { .accountAction(id, $0) }
        urls += [
            .newRecord(.project, prefill: ["planId": id.uuidString]), .measureSeries(id),
            .discussionCompartment(id), .discussionEvents(id), .findingPhotos(id), .safetyPlanVersions(id),
            .safetyPlanFile(id, version: 2),
            .evaluation(.cptedAudit, id), .evaluation(.cptedRecommendation, id), .areaMap(layer: id, code: "077 é/x"),
            .incidentCounts(), .incidentCounts(layer: id, from: Day("2024-01-01"), to: Day("2024-12-31")),
            .responseImportPreview(consultation: id, upload: id), .deleteCoding(consultation: id, coding: id),
            .finishAnswer(consultation: id, answer: id), .codeAnswers(consultation: id), .report(id), .reportView(id),
            .reportDownload(id, format: "pdf"), .newReport(kind: "working-group-update", subject: id), .job(id),
            .account(id), .revokeToken(account: id, token: id), .codeList("risk_factors"),
            .signIn(next: "/plans?x=1&y=2"), .publicPlan(id), .publicDashboard(id), .publicMeasure(id),
            .publicConsultation(id), .publicStatistics(table: id), .publicStatistics(table: id, period: "2024-Q3"),
            .publicReport(id), .publicReport(id, format: "html"), .publicFeedbackForm(id), .feedbackQRCode(id),
        ]
        return urls
    }

    /// The cases that are actions, followed by a form's POST rather than a link's GET.
    static func method(of url: SiteURL) -> HTTPMethod {
        switch url {
        case .deleteRecord, .deleteCoding, .finishAnswer, .codeAnswers, .revokeToken, .reportAction, .accountAction,
            .discussionEvents:
            .POST
        default: .GET
        }
    }

    /// The case's name, as `Mirror` tells it.
    static func name(of url: SiteURL) -> String {
        Mirror(reflecting: url).children.first?.label ?? String(describing: url)
    }

    /// Whether a route's path (constants and `:parameters`) takes these segments.
    static func matches(_ route: [PathComponent], _ segments: [Substring]) -> Bool {
        guard route.count == segments.count else { return false }
        return zip(route, segments).allSatisfy { component, segment in
            switch component {
            case .constant(let text): text == segment
            case .parameter: true
            case .anything, .catchall: true
            }
        }
    }

    @Test func theExamplesCoverEveryCaseTheEnumDeclares() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/WellplanCore/Shared/SiteURL.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        // The enum's own cases are indented once; the sub-page enums' cases twice.
        let declared = Set(text.matches(of: /(?m)^    case (\w+)/).map { String($0.output.1) })
        #expect(declared.count >= 35)
        #expect(Set(Self.examples.map(Self.name)) == declared)
    }

    @Test func everyAddressLandsOnARouteTheServerHas() async throws {
        try await withApp { app in
            let routes = app.routes.all
            for url in Self.examples {
                let path = url.path.split(separator: "#")[0].split(separator: "?")[0]
                let segments = path.split(separator: "/").map { Substring($0.removingPercentEncoding ?? String($0)) }
                let method = Self.method(of: url)
                let found = routes.contains { $0.method == method && Self.matches($0.path, segments) }
                #expect(found, "\(method) \(url.path) has no route")
            }
        }
    }

    @Test func textInAnAddressIsEncodedAndPublicPagesAreLinkedForEveryone() {
        #expect(SiteURL.areaMap(layer: Self.id, code: "077 é/x").path.hasSuffix("/areas/077%20%C3%A9%2Fx/map"))
        #expect(SiteURL.signIn(next: "/plans?x=1&y=2").path == "/signin?next=/plans%3Fx%3D1%26y%3D2")
        #expect(SiteURL.incidentCounts().path == "/incidents/counts")
        for url in Self.examples {
            let link = Report.Link(url)
            #expect(
                (link.reader == .everyone)
                    == (url.path.hasPrefix("/public/") || url.path.hasPrefix("/f/")
                        || url.path.hasPrefix("/signin")),
                "\(url.path)")
        }
    }
}
