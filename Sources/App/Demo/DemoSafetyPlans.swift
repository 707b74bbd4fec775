import Foundation
import WellplanCore

/// Seed 000's safety plans: the SSNAPP neighbourhood plan already handed out at the three community
/// events (82 copies), and the Leamington and Essex plans being written after the consultation.
extension DemoRegion {
    static func loadSafetyPlans(_ w: RecordWriter, plan: UUID, project: UUID, handedOut: [(Event, Int)]) async throws {
        let versions = SafetyPlanVersions(db: w.db)
        let existing = NeighbourhoodSafetyPlan(
            planId: plan, projectId: project, titleEn: "SSNAPP neighbourhood safety plan",
            titleFr: "Plan de sécurité de quartier SSNAPP",
            area: "Windsor (SSNAPP neighbourhoods)",
            topics: ["substance_use", "property_crime", "emergency_preparedness"], status: .distributed)
        try await w.create(existing)
        _ = try await versions.add(
            existing.id, fileName: "ssnapp-safety-plan.pdf", data: pdf(existing.titleEn), note: "As distributed",
            author: w.author)
        for (event, copies) in handedOut {
            try await w.create(
                SafetyPlanDistribution(
                    safetyPlanId: existing.id, channel: .event, eventId: event.id, count: copies,
                    distributedOn: event.occurredOn))
        }
        for (town, status) in [("Leamington", SafetyPlanStatus.partnerReview), ("Essex", .draft)] {
            let draft = NeighbourhoodSafetyPlan(
                planId: plan, projectId: project, titleEn: "\(town) safety plan",
                titleFr: "Plan de sécurité de \(town)", area: town,
                topics: ["human_trafficking", "intimate_partner_violence", "substance_use"], status: status)
            try await w.create(draft)
            _ = try await versions.add(
                draft.id, fileName: "\(town.lowercased())-safety-plan-draft.pdf", data: pdf(draft.titleEn),
                note: "First draft", author: w.author)
        }
    }

    /// A one-page PDF with a title line, so the demo's files open in any viewer.
    static func pdf(_ title: String) -> Data {
        let text = title.unicodeScalars.filter { $0.isASCII && $0 != "(" && $0 != ")" && $0 != "\\" }.map(String.init)
            .joined()
        let stream = "BT /F1 18 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(i + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out +=
            "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
            + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
