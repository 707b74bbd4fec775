import Foundation
import Testing

@testable import WellplanCore

@Suite struct PeriodTests {
    @Test func periodsReadTheWaysSpreadsheetsWriteThemAndSortByTime() throws {
        #expect(Period("2024")?.description == "2024")
        for text in ["2024-Q1", "2024Q1", "Q1 2024", " 2024 q1 "] {
            #expect(Period(text) == .quarter(2024, 1), "\(text)")
        }
        #expect(Period("2024/3") == .month(2024, 3) && Period("2024-03")?.description == "2024-03")
        let fiscal = try #require(Period("2024-04-01/2025-03-31"))
        #expect(
            fiscal.frequency == .custom && fiscal.description == "2024-04-01/2025-03-31"
                && fiscal.end == Day("2025-04-01"))
        for bad in ["", "24", "2024-13", "2024-Q5", "March", "2025-03-31/2024-04-01", "1700"] {
            #expect(Period(bad) == nil, "\(bad)")
        }
        // By start, then by end: the first quarter of 2024 before the whole year.
        #expect(
            [Period.year(2024), .month(2023, 12), .quarter(2024, 1), .year(2023)].sorted() == [
                .year(2023), .month(2023, 12), .quarter(2024, 1), .year(2024),
            ])
        #expect(Period.quarter(2024, 3).label(.fr) == "2024 T3" && Period.month(2024, 3).label(.en) == "March 2024")
        #expect(Period.month(2024, 3).label(.fr) == "mars 2024")
    }

    /// Every four-digit year in every written form either reads as a period that writes itself back, or is refused:
    /// none stops the process (a quarter of 1893 once did, through a wider range here than in `Day`).
    @Test func everyYearInEveryFormReadsBackOrIsRefused() {
        for y in 0...9999 {
            let year = String(format: "%04d", y)
            let forms = [year, "\(year)-Q4", "Q1 \(year)", "\(year)-12", "\(year)-12-01/\(year)-12-31"]
            for text in forms {
                guard let period = Period(text) else {
                    #expect(!Period.years.contains(y) || text.hasSuffix("-12-31"), "\(text) refused")
                    continue
                }
                #expect(Period.years.contains(y), "\(text)")
                #expect(Period(period.description) == period, "\(text)")
                #expect(period.start < period.end, "\(text)")
            }
        }
    }

    /// Day arithmetic is total: at the edges of the representable years it stops rather than traps.
    @Test func dayArithmeticStopsAtTheFirstAndLastDay() {
        #expect(Day.last.adding(days: 1) == .last && Day.first.adding(days: -1) == .first)
        #expect(Day.last.adding(months: 1) == .last && Day.first.adding(years: -5) == .first)
        #expect(Day("2024-01-31")?.adding(months: 1) == Day("2024-02-29"))
        #expect(Day("9998-12-31")?.adding(days: 1) == Day("9999-01-01"))
    }

    /// Every day of four years, and the first days of the calendar: the quarter a day falls in holds it, and
    /// the latest release is the last quarter a month past its end, the one after it not yet.
    @Test func everyDayFallsInItsQuarterAndSeesTheLatestQuarterOut() {
        var day = Day(year: 2024, month: 1, day: 1)!
        while day.year < 2028 {
            let quarter = Period.quarter(containing: day)
            #expect(quarter.frequency == .quarter && quarter.start <= day && day < quarter.end, "\(day)")
            let latest = StatisticsRelease.latest(today: day)
            #expect(StatisticsRelease.isOut(latest, today: day), "\(day)")
            #expect(!StatisticsRelease.isOut(Period.quarter(containing: latest.end), today: day), "\(day)")
            day = day.adding(days: 1)
        }
        #expect(StatisticsRelease.latest(today: Day.first).frequency == .quarter)
    }

    @Test func figuresReadAsStatisticsAgenciesWriteThem() {
        #expect(FigureText.read("29,113") == .number(29_113) && FigureText.read("-3.90%") == .number(-3.9))
        #expect(
            FigureText.read("$1,234.50") == .number(1_234.5) && FigureText.read("1 234,5") == .number(1_234.5)
                && FigureText.read("4,5") == .number(4.5))
        for missing in ["", "NA", "n/a", "..", "x", "F", "-"] {
            #expect(FigureText.read(missing) == .missing, "\(missing)")
        }
        for bad in ["12 apples", "1,23,4", "1.2.3", "nan%"] { #expect(FigureText.read(bad) == .invalid, "\(bad)") }
    }
}

@Suite struct ScorecardTests {
    /// Worked by hand: 40, 44, 50, 47 against a 2024 target of 50, the next (2025) of 55, a 2025 forecast of 46.
    @Test func theScorecardColumnsMatchAHandWorkedExample() throws {
        let line = ScorecardLine(
            actuals: [(.year(2023), 50), (.year(2021), 40), (.year(2024), 47), (.year(2022), 44)],
            targets: [.year(2024): 50, .year(2025): 55],
            forecasts: [.year(2025): 46], polarity: .higherIsBetter)
        #expect(line.currentPeriod == .year(2024) && line.currentActual == 47 && line.priorActual == 50)
        #expect(
            line.currentTarget == 50 && line.nextPeriod == .year(2025) && line.nextTarget == 55 && line.forecast == 46)
        #expect(abs(try #require(line.varianceFromTarget) - -0.06) < 1e-12)
        #expect(abs(try #require(line.percentOfTarget) - 94) < 1e-12)
        #expect(abs(try #require(line.baselineChange) - 0.175) < 1e-12)
        #expect(line.trend == .init(direction: .down, periods: 1, judgement: .worse))
    }

    @Test func theTrendCountsChangesInARowAndIsJudgedByPolarity() {
        func trend(_ values: [Double], _ polarity: Polarity) -> ScorecardLine.Trend? {
            ScorecardLine(
                actuals: values.enumerated().map { (.year(2020 + $0.offset), $0.element) }, polarity: polarity
            ).trend
        }
        #expect(trend([10, 9, 8], .lowerIsBetter) == .init(direction: .down, periods: 2, judgement: .better))
        #expect(trend([10, 9, 8], .higherIsBetter)?.judgement == .worse)
        #expect(trend([3, 5, 7, 9], .neutral) == .init(direction: .up, periods: 3, judgement: .neutral))
        #expect(trend([5, 5], .higherIsBetter) == .init(direction: .flat, periods: 1, judgement: .neutral))
        #expect(trend([5], .higherIsBetter) == nil)
        // No target, or a target of zero: nothing to compare with, rather than a division by zero.
        let zero = ScorecardLine(actuals: [(.year(2024), 3)], targets: [.year(2024): 0], polarity: .lowerIsBetter)
        #expect(zero.varianceFromTarget == nil && zero.percentOfTarget == nil && zero.baselineChange == nil)
    }

    @Test func calculatedMeasuresCombineInputsPeriodByPeriod() {
        let incidents = [
            Observation(period: .year(2022), value: 150), Observation(period: .year(2023), value: 120),
            Observation(period: .year(2024), value: 90),
        ]
        let population = [
            Observation(period: .year(2023), value: 400_000), Observation(period: .year(2024), value: 410_000),
        ]
        let rates = MeasureCalculation.ratePer100000.observations([incidents, population], units: [.count, .count])
        #expect(rates.map(\.period) == [.year(2023), .year(2024)])  // 2022 has no population: left out, not guessed
        #expect(
            zip(rates.compactMap(\.value), [30, 21.951_219_512]).allSatisfy { abs($0 - $1) < 1e-8 } && rates.count == 2)
        #expect(rates[1].numerator == 90 && rates[1].denominator == 410_000)
        let a = [
            Observation(period: .year(2024), areaCode: "N1", value: 4),
            Observation(period: .year(2024), areaCode: "N2", value: 6),
        ]
        let b = [
            Observation(period: .year(2024), areaCode: "N1", value: 8),
            Observation(period: .year(2024), areaCode: "N2", numerator: 1, denominator: 2),
        ]
        #expect(MeasureCalculation.sum.observations([a, b], units: [.count, .percent]).map(\.value) == [12, 56])
        #expect(MeasureCalculation.average.observations([a, b], units: [.count, .count]).map(\.value) == [6, 3.25])
        let yearly = Measure(
            planId: UUID(), code: "rate", nameEn: "Rate", resultEn: "Safe", calculation: .ratePer100000)
        var monthly = Measure(planId: UUID(), code: "monthly", nameEn: "Monthly", resultEn: "Safe")
        monthly.frequency = .month
        #expect(
            MeasureCalculation.frequencyProblem(yearly, inputs: [monthly])
                == FieldProblem("inputIds", "error_inputs_frequency", ["monthly", "year"]))
    }

    @Test func aMeasuresRulesNameTheFieldAtFault() {
        var m = Measure(
            planId: UUID(), code: "crime rate", nameEn: "Crime", measureType: .performanceMeasure, calculation: .ratio,
            inputIds: [UUID()])
        m.baselinePeriod = "last year"
        #expect(
            Set(m.ruleProblems().map(\.field)) == ["code", "quadrant", "baselinePeriod", "inputIds"])
        let indicator = Measure(planId: UUID(), code: "belonging", nameEn: "Sense of belonging")
        #expect(indicator.ruleProblems() == [FieldProblem("resultEn", "error_result_required")])
        #expect(
            MeasureTarget(measureId: UUID(), period: "2024-Q5", target: 3).ruleProblems().map(\.field) == ["period"])
    }
}

@Suite struct ObservationImportTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/data/wellbeing"
    ).standardized

    func figures(_ file: String, _ layout: ObservationLayout) throws -> [MeasureFigure] {
        var reader = ObservationReader(layout)
        return try ImportPipeline.items(
            try CSVDocument(data: Data(contentsOf: Self.data.appendingPathComponent(file))), &reader
        ).flatMap { $0 }
    }

    /// The Community Well-Being index comes in two dialects: bare headers and blanks, or quoted headers with
    /// spaces and "NA". Both give the same figures.
    @Test func theTwoCommunityWellBeingDialectsImportToTheSameValues() throws {
        let components = [
            "Census_Population_2021": "population", "Income_2021": "cwb_income", "Education_2021": "cwb_education",
            "Housing_2021": "cwb_housing", "Labour_Force_Activity_2021": "cwb_labour", "CWB_2021": "cwb",
        ]
        let plain = try figures(
            "CWB_2021_isc_v1.csv",
            .areasInRows(area: "CSD_Code_2021", period: .fixed(.year(2021)), measures: components))
        let quoted = try figures(
            "CWB_2021_isc_v2_R.csv",
            .areasInRows(
                area: "CSD Code 2021", period: .fixed(.year(2021)),
                measures: Dictionary(
                    uniqueKeysWithValues: components.map { ($0.key.replacingOccurrences(of: "_", with: " "), $0.value) }
                )))
        func sorted(_ f: [MeasureFigure]) -> [MeasureFigure] {
            f.sorted { ($0.measureCode, $0.observation.key) < ($1.measureCode, $1.observation.key) }
        }
        #expect(plain.count == 5_161 * 6)
        #expect(sorted(plain) == sorted(quoted))
        let trepassey = plain.filter { $0.observation.areaCode == "1001113" }
        #expect(trepassey.first { $0.measureCode == "cwb_income" }?.observation.value == 76)
        #expect(trepassey.first { $0.measureCode == "cwb" }?.observation.value == 73)
        // "St. Shott's" has only its population: the rest is missing, not zero.
        let shott = plain.filter { $0.observation.areaCode == "1001120" }
        #expect(
            shott.filter { $0.observation.value == nil }.count == 5
                && shott.first { $0.measureCode == "population" }?.observation.value == 55)
    }

    @Test func theTorontoProfileReadsOneMeasurePerRowWithNeighbourhoodsAsColumns() throws {
        let found = try figures(
            "toronto_neighbourhood-profiles-2016-140-model.csv",
            .measuresInRows(
                label: "Characteristic", period: .fixed(.year(2016)),
                measures: ["Population, 2016": "population", "Population Change 2011-2016": "growth"],
                whole: "City of Toronto", skip: ["_id", "Category", "Topic", "Data Source"],
                codesRow: "Neighbourhood Number"))
        #expect(found.count == 2 * 141)
        let population = found.filter { $0.measureCode == "population" }
        #expect(population.first { $0.observation.areaCode == nil }?.observation.value == 2_731_571)
        #expect(population.first { $0.observation.areaCode == "129" }?.observation.value == 29_113)  // Agincourt North
        #expect(
            found.first { $0.measureCode == "growth" && $0.observation.areaCode == "129" }?.observation.value == -3.9)
    }

    @Test func aLongFileWithBreakdownsReadsAndABadRowIsToldWithItsLine() throws {
        let csv = """
            measure,period,area,age_group,value,numerator,denominator
            youth_contacts,2024-Q1,N1,12-17,,4,50
            youth_contacts,2024-Q1,N1,,12,,
            youth_contacts,2024-Q5,N1,,twelve,,

            """
        var reader = ObservationReader(
            .long(
                .init(
                    area: "area", numerator: "numerator", denominator: "denominator",
                    dimensions: ["age_group": "age_group"])))
        #expect(
            throws: WellplanError.invalid([
                FieldProblem("line 4: period", "error_not_period"), FieldProblem("line 4: value", "error_not_number"),
            ])
        ) {
            _ = try ImportPipeline.items(try CSVDocument(data: Data(csv.utf8)), &reader)
        }
        let good = try ImportPipeline.items(
            try CSVDocument(data: Data(csv.split(separator: "\n").dropLast().joined(separator: "\n").utf8)), &reader
        )
        .flatMap { $0 }
        #expect(good.map(\.observation.breakdown.description) == ["age_group=12-17", ""])
        #expect(good[0].observation.resolved(unit: .percent) == 8 && good[1].observation.value == 12)
    }
}

@Suite struct ObservationEntryTests {
    /// The form and the API read a typed-in figure the same way.
    @Test func aTypedInFigureIsCheckedFieldByField() throws {
        let figure = try Observation.entered(
            period: "2024-Q2", areaCode: " N1 ", breakdown: "gender=woman", value: 12, note: "  ")
        #expect(
            figure
                == Observation(
                    period: .quarter(2024, 2), areaCode: "N1", breakdown: Breakdown(["gender": "woman"]), value: 12))
        #expect(
            try Observation.entered(period: "2024", value: nil, numerator: 4, denominator: 50).resolved(unit: .percent)
                == 8)
        #expect(
            throws: WellplanError.invalid([
                FieldProblem("period", "error_not_period"), FieldProblem("breakdown", "error_not_breakdown"),
                FieldProblem("denominator", "error_must_be_positive"),
            ])
        ) {
            _ = try Observation.entered(period: "soon", breakdown: "gender", value: nil, numerator: 3, denominator: 0)
        }
        #expect(throws: WellplanError.invalid([FieldProblem("value", "error_required")])) {
            _ = try Observation.entered(period: "2024", value: nil, numerator: 3)
        }
    }
}

@Suite struct MeasureDisclosureTests {
    let policy = DisclosurePolicy(publicMinimum: 10, partnerMinimum: 5)

    @Test func aSmallCountIsWithheldAndSoIsTheCellThatWouldRevealIt() {
        let measure = Measure(
            planId: UUID(), code: "clients", nameEn: "Clients", resultEn: "Supported", countsPeople: true)
        let figures = [
            Observation(period: .year(2024), value: 30),
            Observation(period: .year(2024), breakdown: Breakdown(["gender": "woman"]), value: 24),
            Observation(period: .year(2024), breakdown: Breakdown(["gender": "man"]), value: 6),
            Observation(period: .year(2023), value: 0),
        ]
        let shown = policy.shown(figures, of: measure, for: .publicRelease)
        #expect(shown.map(\.withheld) == [false, true, true, false])  // 24 would give away 6 through the total of 30
        #expect(shown.map(\.value) == [30, nil, nil, 0])
        #expect(policy.shown(figures, of: measure, for: .partners).map(\.withheld) == [false, false, false, false])
        var notPeople = measure
        notPeople.countsPeople = false
        #expect(policy.shown(figures, of: notPeople, for: .publicRelease).allSatisfy { !$0.withheld })
    }

    @Test func aPercentFromASmallCountIsWithheldNumbersAndAll() {
        var measure = Measure(
            planId: UUID(), code: "share", nameEn: "Share", resultEn: "Supported", unit: .percent, countsPeople: true)
        measure.unit = .percent
        let shown = policy.shown(
            [Observation(period: .year(2024), value: nil, numerator: 4, denominator: 50)], of: measure,
            for: .publicRelease)
        #expect(shown == [ShownFigure(Observation(period: .year(2024), value: nil), value: nil, withheld: true)])
        #expect(shown[0].numerator == nil && shown[0].denominator == nil)
    }
}

@Suite struct LineChartTests {
    func format(_ unit: MeasureUnit, _ decimals: Int? = nil, _ language: Language = .en) -> FigureFormat {
        var m = Measure(planId: UUID(), code: "m", nameEn: "M", unit: unit)
        m.decimals = decimals
        return FigureFormat(m, language)
    }

    @Test func figuresReadInTheReadersConventions() {
        #expect(
            format(.count).text(1_234_567) == "1,234,567"
                && format(.count, nil, .fr).text(1_234_567) == "1\u{00A0}234\u{00A0}567")
        #expect(format(.percent).text(94.2727) == "94.3%" && format(.percent, 2, .fr).text(-5.5) == "-5,50\u{00A0}%")
        #expect(format(.currency).text(1500) == "$1,500.0" && format(.index, 0).text(-0.4) == "0")
    }

    @Test func theValueAxisHasRoundStepsAndTheLineBreaksAtAWithheldFigure() {
        #expect(LineChart.scale([25, 30]) == (24, 30, 2))
        #expect(LineChart.scale([3, 40]) == (0, 40, 10))
        #expect(LineChart.scale([-12, 8]) == (-15, 10, 5))
        // No step finer than the figures' precision: counts from 0 to 1 step by 1, not "0, 0, 0, 1, 1".
        #expect(LineChart.scale([0, 1], finest: 1) == (0, 1, 1) && LineChart.scale([], finest: 1) == (0, 1, 1))
        // Map classes of figures other than counts start at the lowest figure and say "over" between classes.
        let classes = MapClasses([81.0, 76, 85])
        #expect(
            classes.ranges({ String(Int($0)) }) == ["76", "over 76 – 81", "over 81 – 85"]
                && classes.shade(of: 85.0) == MapClasses.shades[4])
        let periods = [Period.year(2021), .year(2022), .year(2023)]
        let actual: [Period: Double?] = [.year(2021): 10, .year(2022): nil as Double?, .year(2023): 14]
        let chart = LineChart(
            periods: periods, actual: actual, target: [.year(2023): 15], format: format(.count),
            names: ("Actual", "Target"))
        #expect(chart.lines[0].path.components(separatedBy: "M").count == 3)  // two strokes around the gap
        #expect(chart.lines[0].points.map(\.label) == ["2021: 10", "2023: 14"])
        #expect(chart.lines[1].dashed && chart.lines[1].points.count == 1)
        #expect(
            chart.valueTicks.map(\.label) == ["10", "12", "14", "16"]
                && chart.periodTicks.map(\.label) == ["2021", "2022", "2023"])
    }
}
