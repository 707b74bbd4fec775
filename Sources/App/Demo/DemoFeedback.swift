import Foundation
import WellplanCore

/// Seed 000's workshop feedback: 28 first responders and service providers, 100 % positive, typed in
/// from paper; the form stays open so the demo's public link and QR code work.
extension DemoRegion {
    static func loadWorkshopFeedback(_ w: RecordWriter, workshop: UUID) async throws {
        let confident = FeedbackQuestion(
            questionKind: "likert", textEn: "I feel more confident supporting safety related to substance use after this session",
            textFr: "Je me sens plus à l'aise pour soutenir la sécurité liée à la consommation de substances après cette séance")
        let useful = FeedbackQuestion(
            questionKind: "likert", textEn: "I will use what I learned in my work", textFr: "J'utiliserai ce que j'ai appris dans mon travail")
        let change = FeedbackQuestion(
            questionKind: "free_text", textEn: "What would you change about this session?", textFr: "Que changeriez-vous à cette séance?")
        for q in [confident, useful, change] { try await w.create(q) }
        let form = FeedbackForm(
            eventId: workshop, titleEn: "Trauma-Informed Care workshop feedback",
            titleFr: "Rétroaction sur l'atelier sur les soins tenant compte des traumatismes",
            questions: [confident.id, useful.id, change.id])
        try await w.create(form)
        let store = FeedbackStore(db: w.db)
        for n in 0..<28 {
            var answers: [FeedbackSubmission.Answer] = [
                .init(questionId: confident.id, likert: n % 3 == 0 ? 4 : 5, text: nil),
                .init(questionId: useful.id, likert: n % 7 == 0 ? 3 : 5, text: nil),
            ]
            if n % 4 == 0 { answers.append(.init(questionId: change.id, likert: nil, text: n % 8 == 0 ? "More time for case studies." : "A second session.")) }
            try await store.keep(FeedbackSubmission(channel: .paper, answers: answers), for: form, enteredBy: w.author)
        }
    }
}
