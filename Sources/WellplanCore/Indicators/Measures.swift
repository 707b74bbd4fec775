import Foundation

/// What the plan measures, in Results-Based Accountability's terms: a population indicator (the
/// well-being of everyone in an area, toward a result no single agency owns) or a program's performance
/// measure (how much it did, how well, and whether anyone is better off). Its columns are those of the
/// framework's performance measurement table: data source, collection method, frequency, responsibility,
/// baseline and targets.
public struct Measure: Record {
    public static let kind = RecordKind.measure
    public static let path = "measures"
    public static var listOrder: [PartialKeyPath<Measure>] { [\.planId, \.code] }
    public static let blank = Measure(id: .none, planId: .none, code: "", nameEn: "")
    public static let fields: [Field<Measure>] = [
        .reference(\.planId, .plan),
        .text(\.code, max: 60),
        .text(\.nameEn, max: 300),
        .text(\.nameFr, max: 300),
        .code(\.measureType),
        .text(\.resultEn, max: 500),
        .text(\.resultFr, max: 500),
        .choice(\.quadrant, .rbaQuadrants),
        .code(\.polarity),
        .code(\.unit),
        .integer(\.decimals, 0...4),
        .code(\.frequency),
        .longText(\.definitionEn),
        .longText(\.definitionFr),
        .text(\.dataSource, max: 300),
        .text(\.collectionMethod, max: 300),
        .text(\.responsibility, max: 300),
        .text(\.licence, max: 200),
        .number(\.baselineValue),
        .text(\.baselinePeriod, max: 30),
        .flag(\.countsPeople, default: false),
        .code(\.calculation),
        .references(\.inputIds, .measure),
        .reference(\.layerId, .layer),
        .tags(\.dimensions, .disaggregations),
        .references(\.priorityIds, .priority),
        .references(\.goalIds, .goal),
        .references(\.outcomeIds, .output),
        .flag(\.published, default: false),
    ]
    public var id: UUID
    public var planId: UUID
    /// The key imports name the measure by, unique within its plan.
    public var code: String
    public var nameEn: String
    public var nameFr: String?
    public var measureType: MeasureType
    /// The condition of well-being a population indicator measures progress toward ("Residents feel safe").
    public var resultEn: String?
    public var resultFr: String?
    public var quadrant: String?
    public var polarity: Polarity
    public var unit: MeasureUnit
    public var decimals: Int?
    public var frequency: Period.Frequency
    public var definitionEn: String?
    public var definitionFr: String?
    public var dataSource: String?
    public var collectionMethod: String?
    public var responsibility: String?
    public var licence: String?
    public var baselineValue: Double?
    public var baselinePeriod: String?
    /// Counts of people (or rates made from them): every figure goes through the disclosure policy.
    public var countsPeople: Bool
    public var calculation: MeasureCalculation?
    public var inputIds: TagSet?
    /// The layer whose areas observations by area name; a measure page then maps them.
    public var layerId: UUID?
    public var dimensions: TagSet?
    public var priorityIds: TagSet?
    public var goalIds: TagSet?
    public var outcomeIds: TagSet?
    /// On the public dashboard and in the open data catalogue.
    public var published: Bool

    public init(
        id: UUID = UUID(), planId: UUID, code: String, nameEn: String, nameFr: String? = nil,
        measureType: MeasureType = .populationIndicator,
        resultEn: String? = nil, quadrant: String? = nil, polarity: Polarity = .higherIsBetter,
        unit: MeasureUnit = .count, decimals: Int? = nil,
        frequency: Period.Frequency = .year, countsPeople: Bool = false, calculation: MeasureCalculation? = nil,
        inputIds: [UUID]? = nil, layerId: UUID? = nil,
        dimensions: [String]? = nil, priorityIds: [UUID]? = nil, published: Bool = false
    ) {
        self.id = id
        self.planId = planId
        self.code = code
        self.nameEn = nameEn
        self.nameFr = nameFr
        self.measureType = measureType
        self.resultEn = resultEn
        self.quadrant = quadrant
        self.polarity = polarity
        self.unit = unit
        self.decimals = decimals
        self.frequency = frequency
        self.countsPeople = countsPeople
        self.calculation = calculation
        self.inputIds = Self.tags(inputIds)
        self.layerId = layerId
        self.dimensions = dimensions.map { TagSet($0) }
        self.priorityIds = Self.tags(priorityIds)
        self.published = published
    }

    static func tags(_ ids: [UUID]?) -> TagSet? { ids.map { TagSet($0.map(\.uuidString)) } }

    /// The measures a calculated one is worked out from, in order (the numerator first).
    public var inputs: [UUID] { inputIds?.codes.compactMap(UUID.init(uuidString:)) ?? [] }

    /// A calculated measure's inputs are of its frequency: a yearly count is not divided by monthly ones.
    public func inputProblems(_ inputs: [Measure]) -> [FieldProblem] {
        MeasureCalculation.frequencyProblem(self, inputs: inputs).map { [$0] } ?? []
    }
    public var priorities: [UUID] { priorityIds?.codes.compactMap(UUID.init(uuidString:)) ?? [] }

    public var isPopulationIndicator: Bool { measureType == .populationIndicator }
    public var isCalculated: Bool { calculation != nil }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if code.contains(where: { $0.isWhitespace || $0 == "," }) {
            problems.append(FieldProblem("code", "error_code_spaces"))
        }
        if isPopulationIndicator, (resultEn ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem("resultEn", "error_result_required"))
        }
        if !isPopulationIndicator, quadrant == nil {
            problems.append(FieldProblem("quadrant", "error_quadrant_required"))
        }
        if let text = baselinePeriod, !text.isEmpty, Period(text) == nil {
            problems.append(FieldProblem("baselinePeriod", "error_not_period"))
        }
        let inputs = self.inputs
        switch calculation {
        case .sum, .average:
            if inputs.isEmpty { problems.append(FieldProblem("inputIds", "error_inputs_required", ["1"])) }
        case .ratio, .ratePer100000:
            if inputs.count != 2 { problems.append(FieldProblem("inputIds", "error_inputs_exactly", ["2"])) }
        case nil: if !inputs.isEmpty { problems.append(FieldProblem("inputIds", "error_inputs_without_calculation")) }
        }
        if inputs.contains(id) { problems.append(FieldProblem("inputIds", "error_input_is_itself")) }
        return problems
    }

    public func name(_ language: Language) -> String { language == .fr ? nameFr ?? nameEn : nameEn }
}

/// Whether a rise is good news.
/// Whether a measure is a population indicator or a performance measure: the code list `measure_types`.
public enum MeasureType: String, LogicCode {
    public static let list = CodeList.measureTypes

    case populationIndicator = "population_indicator"
    case performanceMeasure = "performance_measure"
}

/// What a measure's figures are: the code list `measure_units`.
public enum MeasureUnit: String, LogicCode {
    public static let list = CodeList.measureUnits

    case count, percent
    case ratePer100000 = "rate_per_100000"
    case ratio, index, currency, days, other
}

public enum Polarity: String, LogicCode {
    public static let list = CodeList.polarities

    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"
    case neutral
}

/// A measure's target, and what it would be if nothing changed (RBA's forecast), for one period.
public struct MeasureTarget: Record {
    public static let kind = RecordKind.measureTarget
    public static let path = "measure-targets"
    public static var listOrder: [PartialKeyPath<MeasureTarget>] { [\.measureId, \.period] }
    public static let blank = MeasureTarget(id: .none, measureId: .none, period: "")
    public static let fields: [Field<MeasureTarget>] = [
        .reference(\.measureId, .measure),
        .text(\.period, max: 30),
        .number(\.target),
        .number(\.forecast),
        .text(\.noteEn, max: 500),
    ]
    public var id: UUID
    public var measureId: UUID
    public var period: String
    public var target: Double?
    public var forecast: Double?
    public var noteEn: String?

    public init(
        id: UUID = UUID(), measureId: UUID, period: String, target: Double? = nil, forecast: Double? = nil,
        noteEn: String? = nil
    ) {
        self.id = id
        self.measureId = measureId
        self.period = period
        self.target = target
        self.forecast = forecast
        self.noteEn = noteEn
    }

    public func ruleProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if Period(period) == nil { problems.append(FieldProblem("period", "error_not_period")) }
        if target == nil, forecast == nil { problems.append(FieldProblem("target", "error_target_or_forecast")) }
        return problems
    }
}

extension Period.Frequency: LogicCode {
    /// A measure's frequency: the code list `measure_frequencies`.
    public static let list = CodeList.measureFrequencies
}
