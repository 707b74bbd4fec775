import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import WellplanCore

@testable import App

@Suite struct ReportTests {
    @Test func theDemoUpdateTellsSeed000sAccomplishmentsFromRecords() async throws {
        try await withApp { app in
            try await DemoRegion.load(into: app, .init(arguments: []))
            let reports = try await Reports(db: app.db, author: .commandLine).all()
            let update = try #require(reports.first { $0.reportKind == .workingGroupUpdate && $0.state == .draft })
            let md = ReportMarkdown(reader: .partners).render(try #require(update.shown(.en)))
            try md.write(toFile: "/tmp/probe/wg.md", atomically: true, encoding: .utf8)
            try ReportMarkdown(reader: .partners).render(try #require(update.shown(.fr))).write(
                toFile: "/tmp/probe/wg-fr.md", atomically: true, encoding: .utf8)
            for r in reports {
                try ReportHTML(reader: .partners).render(r.shown(.en)!).write(
                    toFile: "/tmp/probe/\(r.kind)-\(r.id.uuidString.prefix(4)).html", atomically: true, encoding: .utf8)
                try ReportMarkdown(reader: .partners).render(r.shown(.en)!).write(
                    toFile: "/tmp/probe/\(r.kind)-\(r.id.uuidString.prefix(4)).md", atomically: true, encoding: .utf8)
            }
        }
    }
}
