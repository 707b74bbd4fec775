import Foundation
import Testing

@testable import WellplanCore

@Suite struct CodebookTests {
    let consultation = UUID()

    func sample() -> [ThematicCode] {
        let issues = ThematicCode(consultationId: consultation, nameEn: "Issues")
        let housing = ThematicCode(
            consultationId: consultation, parentId: issues.id, nameEn: "Housing", nameFr: "Logement",
            descriptionEn: "Rent, \"waitlists\"")
        let rent = ThematicCode(consultationId: consultation, parentId: housing.id, nameEn: "Rent")
        let strengths = ThematicCode(consultationId: consultation, nameEn: "Strengths")
        return [rent, strengths, housing, issues]
    }

    @Test func theOutlinePutsParentsBeforeChildrenAndSubtreesGatherDescendants() {
        let book = Codebook(sample())
        #expect(
            book.outline.map { $0.path.joined(separator: "/") } == [
                "Issues", "Issues/Housing", "Issues/Housing/Rent", "Strengths",
            ])
        #expect(book.outline.map(\.depth) == [0, 1, 2, 0])
        let issues = book.outline[0].code.id
        #expect(book.subtree(issues).count == 3)
        #expect(book.subtree(book.outline[3].code.id).count == 1)
    }

    @Test func aLoopOfParentsStillShowsEveryCodeOnce() {
        var a = ThematicCode(consultationId: consultation, nameEn: "A")
        let b = ThematicCode(consultationId: consultation, parentId: a.id, nameEn: "B")
        a.parentId = b.id
        let book = Codebook([a, b])
        #expect(book.outline.count == 2 && Set(book.outline.map(\.code.id)).count == 2)
        #expect(
            ThematicCode(id: a.id, consultationId: consultation, parentId: a.id, nameEn: "Self").ruleProblems().first?
                .messageKey == "error_own_parent")
    }

    @Test func theCSVTravelsThereAndBackAndAddsNothingTheSecondTime() throws {
        let book = Codebook(sample())
        let csv = Data(book.csv().utf8)
        let elsewhere = try Codebook([]).adding(csv: csv, consultationId: consultation)
        let rebuilt = Codebook(elsewhere)
        #expect(rebuilt.outline.map(\.path) == book.outline.map(\.path))
        #expect(rebuilt.outline.map(\.code.nameFr) == book.outline.map(\.code.nameFr))
        #expect(rebuilt.outline.map(\.code.descriptionEn) == book.outline.map(\.code.descriptionEn))
        #expect(try book.adding(csv: csv, consultationId: consultation).isEmpty)
    }

    @Test func aCSVChildMayComeBeforeItsParentButAMissingParentRefusesTheFile() throws {
        let added = try Codebook([]).adding(
            csv: Data("path\nNeeds > Transit\nNeeds\n".utf8), consultationId: consultation)
        #expect(added.map(\.nameEn) == ["Needs", "Transit"] && added[1].parentId == added[0].id)
        #expect {
            try Codebook([]).adding(
                csv: Data("path\nNeeds\nIssues > Housing > Rent\n".utf8), consultationId: consultation)
        } throws: { error in
            guard case WellplanError.invalid(let problems) = error else { return false }
            return problems.count == 1 && problems[0].field == "line 3: path"
                && problems[0].messageKey == "error_code_parent_missing"
        }
        #expect(throws: WellplanError.self) {
            try Codebook([]).adding(csv: Data("path\nIssues >  > Rent\n".utf8), consultationId: consultation)
        }
    }

    @Test func theREFIQDACodebookKeepsNestingDescriptionsAndGuids() throws {
        let book = Codebook(sample())
        let xml = book.qdc()
        #expect(xml.contains("urn:QDA-XML:codebook:1.0") && xml.contains("&quot;waitlists&quot;"))
        let elsewhere = try Codebook([]).adding(qdc: Data(xml.utf8), consultationId: consultation)
        #expect(Set(elsewhere.map(\.id)) == Set(book.codes.map(\.id)))
        #expect(Codebook(elsewhere).outline.map(\.path) == book.outline.map(\.path))
        #expect(elsewhere.first { $0.nameEn == "Housing" }?.descriptionEn == "Rent, \"waitlists\"")
        #expect(try book.adding(qdc: Data(xml.utf8), consultationId: consultation).isEmpty)

        // A codebook from another tool: a description after the nested codes still belongs to its own code.
        let other = """
            <?xml version="1.0" encoding="utf-8"?>
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder"><Codes>
            <Code guid="not-a-uuid" name="Coordination" isCodable="true"><Code name="Referrals" isCodable="true"/><Description>Between agencies</Description></Code>
            </Codes></CodeBook>
            """
        let read = try Codebook([]).adding(qdc: Data(other.utf8), consultationId: consultation)
        #expect(
            read.map(\.nameEn) == ["Coordination", "Referrals"] && read[0].descriptionEn == "Between agencies"
                && read[1].parentId == read[0].id)
        #expect(throws: WellplanError.self) {
            try Codebook([]).adding(qdc: Data("<CodeBook><Codes><Code name=\"x\">".utf8), consultationId: consultation)
        }
        #expect(throws: WellplanError.self) {
            try Codebook([]).adding(qdc: Data("<html></html>".utf8), consultationId: consultation)
        }
    }

    /// A billion laughs, and an entity that reads a file: refused before any parser sees them.
    @Test func aCodebookThatDeclaresEntitiesIsRefusedUnparsed() {
        let laughs =
            #"<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">"#
            + (Character("c").asciiValue!...Character("j").asciiValue!).map { letter in
                let previous = String(UnicodeScalar(letter - 1))
                return "<!ENTITY \(UnicodeScalar(letter)) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
            }.joined() + #"]><CodeBook><Codes><Code name="&j;"/></Codes></CodeBook>"#
        let file =
            #"<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"#
            + #"<CodeBook><Codes><Code name="x"><Description>&secret;</Description></Code></Codes></CodeBook>"#
        for xml in [laughs, file] {
            #expect(throws: WellplanError.invalid([FieldProblem("file", "error_qdc_declaration")])) {
                try Codebook([]).adding(qdc: Data(xml.utf8), consultationId: UUID())
            }
        }
    }
}

@Suite struct CodingAnalysisTests {
    @Test func anExcerptIsFoundWhereTheCoderSelectedIt() throws {
        let text = "Rent is high. Rent keeps rising — é."
        #expect(Coding.excerpt("Rent", in: text, at: 14)! == (14, 4, "Rent"))
        #expect(Coding.excerpt("Rent", in: text, at: 3)! == (0, 4, "Rent"))
        #expect(Coding.excerpt("rising — é", in: text)!.start == 25)
        #expect(Coding.excerpt("", in: text)! == (0, text.count, text))
        #expect(Coding.excerpt("transit", in: text) == nil)
    }

    /// Two coders, four answers both finished, two codes: hand-computed 2×2 tables.
    /// For `code`: both applied it to a0; only A to a1; neither to a2 and a3. pₒ = 3/4; A applied 2/4, B 1/4;
    /// pₑ = (2/4·1/4) + (2/4·3/4) = 1/2; κ = (3/4 − 1/2) / (1/2) = 0.5; prevalence |1 − 2| / 4 = 0.25; PABAK 0.5.
    /// All codes together (8 decisions): pₒ = 6/8, both coders said yes to 4 of 8, pₑ = 1/2, κ = 0.5.
    /// Question 1 (a0, a1): pₒ = 2/4, pₑ = 1/2, κ = 0; question 2 (a2, a3): full agreement, κ = 1.
    @Test func kappaForAllCodesEachQuestionAndEachCodeMatchesTheHandExample() throws {
        let (a, b) = (UUID(), UUID())
        let code = UUID(), other = UUID(), (q1, q2) = (UUID(), UUID())
        let answers = (0..<4).map { _ in UUID() }
        func coding(_ answer: Int, _ code: UUID, _ coder: UUID) -> Coding {
            Coding(answerId: answers[answer], codeId: code, coderId: coder, start: 0, length: 1, excerpt: "x")
        }
        let lone = UUID()
        let codings = [
            coding(0, code, a), coding(1, code, a), coding(2, other, a), coding(3, other, a),
            coding(0, code, b), coding(1, other, b), coding(2, other, b), coding(3, other, b),
            // An answer only one coder finished is not a unit.
            Coding(answerId: lone, codeId: code, coderId: a, start: 0, length: 1, excerpt: "x"),
        ]
        let finished = [a: Set(answers + [lone]), b: Set(answers)]
        let questions = [answers[0]: q1, answers[1]: q1, answers[2]: q2, answers[3]: q2, lone: q2]
        let pair = try #require(
            CodingAgreement.pairs(codings, finished: finished, questions: questions, codes: [code, other]).first)
        #expect(Set(pair.coders) == [a, b] && pair.answers == 4)
        let forCode = try #require(pair.byCode[code])
        #expect(forCode.units == 4 && forCode.observed == 0.75 && forCode.expected == 0.5 && forCode.kappa == 0.5)
        #expect(forCode.prevalence == 0.25 && forCode.pabak == 0.5 && !forCode.isRareCodeParadox)
        #expect(pair.byCode[other]?.observed == 0.75)
        #expect(
            pair.overall.units == 8 && pair.overall.observed == 0.75 && pair.overall.expected == 0.5
                && pair.overall.kappa == 0.5)
        #expect(pair.byQuestion[q1]?.kappa == 0 && pair.byQuestion[q2]?.kappa == 1)

        // An answer both finished without coding anything is a unit where both said no to every code.
        let empty = UUID()
        let wider = CodingAgreement.pairs(
            codings, finished: [a: finished[a]!.union([empty]), b: finished[b]!.union([empty])], questions: questions,
            codes: [code, other])
        #expect(wider.first?.byCode[code]?.units == 5 && wider.first?.byCode[code]?.observed == 0.8)

        let use = CodeUse.of(codings, finished: finished)
        #expect(use.first { $0.coder == a }?.byCode[code] == 3 && use.first { $0.coder == a }?.answers == 5)
        #expect(use.first { $0.coder == b }?.byCode[other] == 3)
    }

    /// A rare code: each coder applied it to one answer of twenty, not the same one. They agree on 18 of 20
    /// (90 %), yet κ = (0.9 − 0.905) / 0.095 ≈ −0.05: prevalence 0.9 explains it, and PABAK is 0.8.
    @Test func aRareCodeShowsThePrevalenceThatExplainsItsLowKappa() throws {
        let labels = (0..<20).map { i in (i == 0, i == 1) }
        let kappa = CohensKappa(applied: labels)
        #expect(kappa.observed == 0.9 && abs(kappa.kappa! - (-0.005 / 0.095)) < 1e-12)
        #expect(kappa.prevalence == 0.9 && abs(kappa.pabak! - 0.8) < 1e-12 && kappa.isRareCodeParadox)
    }

    /// Blind coding: a coder sees only their own codings of an answer until both they and the other coder
    /// have finished it; then both; and everyone's everywhere once the lead reveals them.
    @Test func aCoderSeesAnothersCodingsOnlyOnAnswersBothFinished() {
        let (a, b) = (UUID(), UUID())
        let (open, half, done) = (UUID(), UUID(), UUID())
        let codings = [open, half, done].flatMap { answer in
            [a, b].map { Coding(answerId: answer, codeId: UUID(), coderId: $0, start: 0, length: 1, excerpt: "x") }
        }
        let blind = BlindCoding(finished: [a: [done], b: [half, done]], revealed: false)
        #expect(blind.visible(codings, to: b).count == 4)
        #expect(blind.visible(codings, to: b).allSatisfy { $0.coderId == b || $0.answerId == done })
        #expect(blind.visible(codings, to: a).allSatisfy { $0.coderId == a || $0.answerId == done })
        #expect(blind.visible(codings, to: nil).isEmpty)
        #expect(BlindCoding(finished: [:], revealed: true).visible(codings, to: a) == codings)
    }

    @Test func aThemeCountsItsCodesAndTheCodesBeneathThemAndAddsUpByMethodAndGroup() {
        let c = UUID()
        let issues = ThematicCode(consultationId: c, nameEn: "Issues")
        let housing = ThematicCode(consultationId: c, parentId: issues.id, nameEn: "Housing")
        let rent = ThematicCode(consultationId: c, parentId: housing.id, nameEn: "Rent")
        let transit = ThematicCode(consultationId: c, nameEn: "Transit")
        let book = Codebook([issues, housing, rent, transit])
        let wide = Theme(consultationId: c, section: "issues", nameEn: "Issues", codeIds: [issues.id, housing.id])
        let narrow = Theme(consultationId: c, section: "needs", nameEn: "Transit", codeIds: [transit.id])
        let pairs = ThemeFrequency.codePairs([wide, narrow], codebook: book)
        #expect(Set(pairs.filter { $0.theme == wide.id }.map(\.code)) == [issues.id, housing.id, rent.id])
        #expect(pairs.filter { $0.theme == wide.id }.count == 3)  // housing once, though named and beneath issues
        #expect(pairs.filter { $0.theme == narrow.id }.map(\.code) == [transit.id])

        let survey = UUID(), focus = UUID()
        let f = ThemeFrequency.combine(
            [wide, narrow],
            tallies: [
                .init(themeId: wide.id, methodId: survey, responses: 4, excerpts: 6),
                .init(themeId: wide.id, methodId: focus, responses: 2, excerpts: 2),
                .init(themeId: narrow.id, methodId: nil, responses: 1, excerpts: 1),
            ], audienceGroups: [survey: ["youth"], focus: ["youth", "seniors"]])
        #expect(f[0].responses == 6 && f[0].excerpts == 8)
        #expect(f[0].byMethod == [survey.uuidString: 4, focus.uuidString: 2])
        #expect(f[0].byAudienceGroup == ["youth": 6, "seniors": 2])
        #expect(f[1].responses == 1 && f[1].byMethod == ["none": 1] && f[1].byAudienceGroup.isEmpty)
    }

    @Test func thePublicSummaryKeepsPublishedThemesAndWithholdsSmallCounts() {
        let c = Consultation(planId: UUID(), titleEn: "Leamington")
        let code = ThematicCode(consultationId: c.id, nameEn: "Lighting")
        let shown = Theme(
            consultationId: c.id, section: "issues", nameEn: "Dark streets", codeIds: [code.id], weDidEn: "New lights",
            published: true)
        let hidden = Theme(consultationId: c.id, section: "issues", nameEn: "Draft theme")
        let frequencies = [
            ThemeFrequency(themeId: shown.id, responses: 4, excerpts: 4, byMethod: [:], byAudienceGroup: [:]),
            ThemeFrequency(themeId: hidden.id, responses: 30, excerpts: 30, byMethod: [:], byAudienceGroup: [:]),
        ]
        let quotes = [
            IllustrativeQuote(themeId: shown.id, text: "It is dark", published: true),
            IllustrativeQuote(themeId: shown.id, text: "Draft"),
        ]
        func summary(_ policy: DisclosurePolicy?) -> ConsultationSummary {
            ConsultationSummary(
                c, methods: [], responsesByMethod: [:], themes: [shown, hidden], frequencies: frequencies,
                codebook: Codebook([code]), quotes: quotes,
                priorities: [], actionItems: [], language: .en, publicEdition: policy)
        }
        let partners = summary(nil)
        #expect(partners.sections["issues"]?.map(\.name) == ["Draft theme", "Dark streets"])
        #expect(partners.sections["issues"]?.last?.responses == 4 && !partners.withheld)
        let published = summary(DisclosurePolicy(publicMinimum: 10))
        #expect(published.sections["issues"]?.map(\.name) == ["Dark streets"])
        #expect(published.sections["issues"]?.first?.responses == nil && published.withheld)
        #expect(
            published.sections["issues"]?.first?.quotes == ["It is dark"]
                && published.sections["issues"]?.first?.codes == ["Lighting"])
        #expect(summary(DisclosurePolicy(publicMinimum: 3)).sections["issues"]?.first?.responses == 4)
    }
}
