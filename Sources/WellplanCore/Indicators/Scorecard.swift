import Foundation

/// Where a measure stands, as a Results-Based Accountability scorecard shows it: the latest actual beside
/// the one before, its target, how far from the target, the trend and the change since the first actual.
///
/// - variance from target = (actual − target) ÷ target
/// - percent of target = actual ÷ target × 100
/// - baseline change = (current actual − first actual) ÷ first actual
/// - trend: the direction of the latest change and how many changes in a row went that way, judged
///   better or worse by the measure's polarity.
public struct ScorecardLine: Sendable, Equatable, Codable {
    public enum Direction: String, Sendable, Codable { case up, down, flat }
    public enum Judgement: String, Sendable, Codable { case better, worse, neutral }

    public struct Trend: Sendable, Equatable, Codable {
        public let direction: Direction
        /// Changes in a row in this direction, the latest included.
        public let periods: Int
        public let judgement: Judgement
    }

    public let currentPeriod: Period?
    public let currentActual: Double?
    public let priorPeriod: Period?
    public let priorActual: Double?
    public let currentTarget: Double?
    public let nextPeriod: Period?
    public let nextTarget: Double?
    public let forecast: Double?
    public let varianceFromTarget: Double?
    public let percentOfTarget: Double?
    public let trend: Trend?
    public let baselineChange: Double?

    /// `actuals` in any order (missing values left out by the caller); targets and forecasts by period.
    public init(
        actuals: [(Period, Double)], targets: [Period: Double] = [:], forecasts: [Period: Double] = [:],
        polarity: Polarity
    ) {
        let series = actuals.sorted { $0.0 < $1.0 }
        let current = series.last, prior = series.dropLast().last
        currentPeriod = current?.0
        currentActual = current?.1
        priorPeriod = prior?.0
        priorActual = prior?.1
        currentTarget = current.flatMap { targets[$0.0] }
        let next = targets.keys.filter { p in current.map { p > $0.0 } ?? true }.min()
        nextPeriod = next
        nextTarget = next.flatMap { targets[$0] }
        // The forecast for the current period, or else the next one forecast.
        let forecastPeriod = forecasts.keys.filter { p in current.map { p >= $0.0 } ?? true }.min()
        forecast = forecastPeriod.flatMap { forecasts[$0] }
        if let a = currentActual, let t = currentTarget, t != 0 {
            varianceFromTarget = (a - t) / t
            percentOfTarget = a / t * 100
        } else {
            varianceFromTarget = nil
            percentOfTarget = nil
        }
        if let first = series.first?.1, let last = current?.1, series.count > 1, first != 0 {
            baselineChange = (last - first) / first
        } else {
            baselineChange = nil
        }
        trend = Self.trend(series.map(\.1), polarity)
    }

    static func trend(_ values: [Double], _ polarity: Polarity) -> Trend? {
        guard values.count > 1 else { return nil }
        func direction(_ before: Double, _ after: Double) -> Direction {
            if after > before { return .up }
            if after < before { return .down }
            return .flat
        }
        let changes = zip(values, values.dropFirst()).map(direction)
        let latest = changes.last!
        let run = changes.reversed().prefix { $0 == latest }.count
        let judgement: Judgement =
            switch (latest, polarity) {
            case (.flat, _), (_, .neutral): .neutral
            case (.up, .higherIsBetter), (.down, .lowerIsBetter): .better
            default: .worse
            }
        return Trend(direction: latest, periods: run, judgement: judgement)
    }
}

/// A measure worked out from others of the same frequency, period by period: their sum or average, the
/// first divided by the second, or the first per 100,000 of the second (a population).
public enum MeasureCalculation: String, LogicCode {
    public static let list = CodeList.measureCalculations

    case sum, average, ratio
    case ratePer100000 = "rate_per_100000"

    /// The calculated observations, one per period, area and breakdown that every input has. A period some
    /// input lacks is left out rather than guessed.
    public func observations(_ inputs: [[Observation]], units: [MeasureUnit]) -> [Observation] {
        let resolved = zip(inputs, units).map { observations, unit in
            Dictionary(observations.compactMap { o in o.resolved(unit: unit).map { (o.key, (o, $0)) } }) { first, _ in
                first
            }
        }
        guard let first = resolved.first else { return [] }
        return first.keys.sorted().compactMap { key -> Observation? in
            let values = resolved.compactMap { $0[key]?.1 }
            guard values.count == resolved.count, let base = first[key]?.0 else { return nil }
            let value: Double?
            switch self {
            case .sum: value = values.reduce(0, +)
            case .average: value = values.reduce(0, +) / Double(values.count)
            case .ratio: value = values.count == 2 && values[1] != 0 ? values[0] / values[1] : nil
            case .ratePer100000: value = values.count == 2 && values[1] != 0 ? values[0] / values[1] * 100_000 : nil
            }
            guard let value else { return nil }
            // A rate keeps its count and population, so the disclosure policy can judge the count behind it.
            let parts = self == .ratePer100000 || self == .ratio ? (values[0], values[1]) : nil
            return Observation(
                period: base.period, areaCode: base.areaCode, breakdown: base.breakdown, value: value,
                numerator: parts?.0, denominator: parts?.1)
        }
    }

    /// Inputs must share the calculated measure's frequency: a yearly count is not summed with monthly ones.
    public static func frequencyProblem(_ measure: Measure, inputs: [Measure]) -> FieldProblem? {
        let other = inputs.first { $0.frequency != measure.frequency }
        return other.map { FieldProblem("inputIds", "error_inputs_frequency", [$0.code, measure.frequency.rawValue]) }
    }
}
