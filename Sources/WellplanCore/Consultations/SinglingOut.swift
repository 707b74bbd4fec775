import Foundation

/// Answers that, alone or together, put respondents in groups smaller than the public minimum: a school
/// and a subject can pin most of a class. Read from the closed questions (few distinct answers, most of
/// them shared: the kind a respondent is described by); open answers are the identifier guard's work.
public struct SinglingOut: Sendable, Equatable, Codable {
    /// The question codes, one or two.
    public let questions: [String]
    /// Respondents whose answers to them are shared by fewer than the minimum.
    public let respondents: Int

    /// The questions and pairs of questions that single out respondents, most first; a pair only where it
    /// singles out more than either of its questions alone.
    public static func risks(in export: SurveyExport, minimum: Int) -> [SinglingOut] {
        let closed = export.questions.map(\.code).filter { isClosed($0, export.responses) }
        func singledOut(_ codes: [String]) -> Int {
            var groups: [String: Int] = [:]
            for response in export.responses {
                groups[codes.map { response.answers[$0] ?? "" }.joined(separator: "\u{1F}"), default: 0] += 1
            }
            return groups.values.filter { $0 < minimum }.reduce(0, +)
        }
        var alone: [String: Int] = [:]
        var found: [SinglingOut] = []
        for code in closed {
            alone[code] = singledOut([code])
            if alone[code]! > 0 { found.append(SinglingOut(questions: [code], respondents: alone[code]!)) }
        }
        // Pairs among the first questions that describe people only: a survey of 100,000 with 60 of them
        // would otherwise take minutes to preview.
        let paired = Array(closed.prefix(Self.pairedQuestions))
        for (i, a) in paired.enumerated() {
            for b in paired[(i + 1)...] {
                let n = singledOut([a, b])
                if n > max(alone[a]!, alone[b]!) { found.append(SinglingOut(questions: [a, b], respondents: n)) }
            }
        }
        return found.sorted { ($0.respondents, $1.questions.count) > ($1.respondents, $0.questions.count) }
    }

    /// How many closed questions are read in pairs.
    static let pairedQuestions = 24

    /// A question whose answers describe people rather than tell their views: a few distinct answers that
    /// most respondents share with someone (a free-text answer is rarely anyone else's).
    static func isClosed(_ code: String, _ responses: [SurveyExport.Response]) -> Bool {
        let answers = responses.compactMap { $0.answers[code] }
        var counts: [String: Int] = [:]
        for answer in answers { counts[answer, default: 0] += 1 }
        let shared = counts.values.filter { $0 > 1 }.reduce(0, +)
        return !answers.isEmpty && counts.count <= max(12, responses.count / 5) && 2 * shared >= answers.count
    }
}
