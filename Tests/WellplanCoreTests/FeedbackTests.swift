import Foundation
import Testing

@testable import WellplanCore

@Suite struct QRCodeTests {
    /// The worked example of the QR tutorials (thonky.com): "HELLO WORLD" at 1-M, its 16 data codewords
    /// and the 10 error-correction codewords the standard's generator gives them.
    @Test func reedSolomonMatchesThePublishedExample() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(QRCode.ReedSolomon.remainder(data, degree: 10) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    /// Reads the 15 format bits back from both copies, as a reader would, and checks the BCH code.
    func formatBits(_ code: QRCode, second: Bool) -> Int {
        let m = code.modules, n = code.size
        var positions: [(Int, Int)] = []  // (x, y), bit 0 first
        if second {
            positions = (0..<8).map { (n - 1 - $0, 8) } + (8..<15).map { (8, n - 15 + $0) }
        } else {
            positions = (0..<6).map { (8, $0) } + [(8, 7), (8, 8), (7, 8)] + (9..<15).map { (14 - $0, 8) }
        }
        return positions.enumerated().reduce(0) { bits, entry in
            bits | ((m[entry.element.1][entry.element.0] ? 1 : 0) << entry.offset)
        }
    }

    @Test func theSymbolCarriesFindersTimingAndAValidFormat() throws {
        for text in [
            "https://wellplan.example/f/1B4E28BA-2FA1-11D2-883F-0016D3CCA427", "x", String(repeating: "é", count: 100),
        ] {
            let code = try #require(QRCode(text))
            let m = code.modules, n = code.size
            #expect(n == code.version * 4 + 17)
            for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
                #expect(m[cy][cx] && !m[cy - 2][cx] && m[cy - 3][cx] && m[cy][cx + 3])
            }
            #expect((8..<(n - 8)).allSatisfy { m[6][$0] == ($0 % 2 == 0) && m[$0][6] == ($0 % 2 == 0) })
            let first = formatBits(code, second: false), second = formatBits(code, second: true)
            #expect(first == second)
            let data = (first ^ 0x5412) >> 10
            #expect(data >> 3 == 0 && data & 7 == code.mask)  // level M, the chosen mask
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            #expect((first ^ 0x5412) & 0x3FF == rem)
        }
        // Byte capacity at level M: 26 bytes in version 2, 213 in version 10.
        #expect(
            QRCode(String(repeating: "a", count: 26))?.version == 2
                && QRCode(String(repeating: "a", count: 27))?.version == 3)
        #expect(QRCode(String(repeating: "a", count: 214)) == nil)
        #expect(QRCode(String(repeating: "a", count: 213))?.version == 10)
    }
}

@Suite struct FeedbackTests {
    let agree = FeedbackQuestion(
        questionKind: .likert,
        textEn: "I feel more confident supporting safety related to substance use after this session")
    let open = FeedbackQuestion(questionKind: .freeText, textEn: "What would you change?")

    @Test func aSubmissionReadsTheFormAndSaysWhatIsWrong() throws {
        let s = try FeedbackSubmission(
            ["q-\(agree.id)": "5", "q-\(open.id)": "  More time  ", "q-\(UUID())": "ignored"],
            questions: [agree, open], channel: .online)
        #expect(
            s.answers == [
                .init(questionId: agree.id, likert: 5, text: nil),
                .init(questionId: open.id, likert: nil, text: "More time"),
            ])
        #expect(throws: WellplanError.invalid([FieldProblem("q-\(agree.id)", "error_out_of_range", ["1", "5"])])) {
            try FeedbackSubmission(["q-\(agree.id)": "6"], questions: [agree, open], channel: .paper)
        }
        #expect(throws: WellplanError.invalid([FieldProblem("form", "error_feedback_empty")])) {
            try FeedbackSubmission(["q-\(agree.id)": " "], questions: [agree, open], channel: .paper)
        }
        #expect(FeedbackQuestion(questionKind: .choice, textEn: "Pick").ruleProblems().count == 1)
    }

    @Test func resultsArePercentAgreeWithNAndWithheldBelowTheMinimum() {
        func submissions(_ scores: [Int]) -> [FeedbackSubmission] {
            scores.map {
                FeedbackSubmission(channel: .online, answers: [.init(questionId: agree.id, likert: $0, text: nil)])
            }
        }
        let policy = DisclosurePolicy(publicMinimum: 10, partnerMinimum: 5)
        // 28 trained, 100 % positive (seed 000): 20 strongly agree, 8 agree.
        let all = FeedbackResults(
            questions: [agree, open],
            submissions: submissions(Array(repeating: 5, count: 20) + Array(repeating: 4, count: 8)), policy: policy,
            audience: .publicRelease)
        #expect(
            all.lines[0]
                == .init(questionId: agree.id, isLikert: true, n: 28, agreed: 28, percentAgree: 100, withheld: false))
        #expect(all.lines[1].n == 0 && !all.lines[1].isLikert)
        let mixed = FeedbackResults(
            questions: [agree], submissions: submissions([5, 4, 3, 2, 1, 4]), policy: policy, audience: .partners)
        #expect(mixed.lines[0].agreed == 3 && mixed.lines[0].percentAgree == 50)
        let few = FeedbackResults(
            questions: [agree], submissions: submissions([5, 4, 3, 2]), policy: policy, audience: .partners)
        #expect(
            few.lines[0].n == 4 && few.lines[0].agreed == nil && few.lines[0].percentAgree == nil
                && few.lines[0].withheld)
    }
}
