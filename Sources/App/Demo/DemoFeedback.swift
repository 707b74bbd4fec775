import Foundation
import WellplanCore

/// Seed 000's workshop feedback: 28 first responders and service providers, 100 % positive, typed in
/// from paper; the form stays open so the demo's public link and QR code work.
extension DemoRegion {
    static func loadWorkshopFeedback(_ w: RecordWriter, workshop: UUID) async throws {
        let confident = FeedbackQuestion(
            questionKind: .likert,
            textEn: "I feel more confident supporting safety related to substance use after this session",
            textFr:
                "Je me sens plus à l'aise pour soutenir la sécurité liée à la consommation de substances après cette séance"
        )
        let useful = FeedbackQuestion(
            questionKind: .likert, textEn: "I will use what I learned in my work",
            textFr: "J'utiliserai ce que j'ai appris dans mon travail")
        let change = FeedbackQuestion(
            questionKind: .freeText, textEn: "What would you change about this session?",
            textFr: "Que changeriez-vous à cette séance?")
        for q in [confident, useful, change] { try await w.create(q) }
        let form = FeedbackForm(
            eventId: workshop, titleEn: "Trauma-Informed Care workshop feedback",
            titleFr: "Rétroaction sur l'atelier sur les soins tenant compte des traumatismes",
            questions: [confident.id, useful.id, change.id])
        try await w.create(form)
        let store = FeedbackSubmissions(db: w.db, clock: w.author.clock)
        for n in 0..<28 {
            var answers: [FeedbackSubmission.Answer] = [
                .init(questionId: confident.id, likert: n % 3 == 0 ? 4 : 5, text: nil),
                .init(questionId: useful.id, likert: n % 7 == 0 ? 3 : 5, text: nil),
            ]
            if n % 4 == 0 {
                answers.append(
                    .init(
                        questionId: change.id, likert: nil,
                        text: n % 8 == 0 ? "More time for case studies." : "A second session."))
            }
            try await store.keep(FeedbackSubmission(channel: .paper, answers: answers), for: form, enteredBy: w.author)
        }
    }

    /// Seed 000: "100% indicated they felt more confident in supporting safety related to substance use after
    /// receiving a review of the plans", from paper forms at the three community events.
    static func loadSafetyPlanFeedback(_ w: RecordWriter, events: [Event]) async throws {
        let confident = FeedbackQuestion(
            questionKind: .likert,
            textEn: "I feel more confident supporting safety related to substance use after reviewing the safety plan",
            textFr:
                "Je me sens plus à l'aise pour soutenir la sécurité liée à la consommation de substances après avoir examiné le plan de sécurité"
        )
        try await w.create(confident)
        let store = FeedbackSubmissions(db: w.db, clock: w.author.clock)
        for (event, forms) in zip(events, [12, 9, 10]) {
            let form = FeedbackForm(
                eventId: event.id, titleEn: "Safety plan review", titleFr: "Examen du plan de sécurité",
                questions: [confident.id], open: false)
            try await w.create(form)
            for n in 0..<forms {
                let answer = FeedbackSubmission.Answer(questionId: confident.id, likert: n % 3 == 0 ? 4 : 5, text: nil)
                try await store.keep(
                    FeedbackSubmission(channel: .paper, answers: [answer]), for: form, enteredBy: w.author)
            }
        }
    }
}
