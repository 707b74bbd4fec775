import Foundation

/// Incident counts before and after a change, in the response area (R), its displacement buffer (D) and a
/// control area (C), over equal windows. `buffer` is nil when no buffer is studied.
public struct PrePostCounts: Sendable, Equatable, Codable {
    public struct Pair: Sendable, Equatable, Codable {
        public let before: Int
        public let after: Int
        public init(before: Int, after: Int) { (self.before, self.after) = (before, after) }
        var change: Int { after - before }
    }

    public let response: Pair
    public let buffer: Pair?
    public let control: Pair

    public init(response: Pair, buffer: Pair?, control: Pair) {
        self.response = response
        self.buffer = buffer
        self.control = control
    }
}

/// The standard measures of a place-based crime-prevention change (domain §4.6): gross and net effect,
/// the Weighted Displacement Quotient and total net effect (Bowers & Johnson 2003), and the Weighted
/// Displacement Difference with its standard error and 95 % interval (Wheeler & Ratcliffe 2018). With
/// too few incidents any of them would say more than the data can, so the result is then "insufficient".
public struct WeightedDisplacementQuotient: Sendable, Equatable, Codable {
    /// Below this many incidents in any area and window, the measures are not given.
    public static let minimumCount = 5

    public let counts: PrePostCounts
    /// Nil when the data are insufficient.
    public let grossEffect: Int?
    public let netEffect: Double?
    /// Ra/Ca − Rb/Cb: below zero, the response area did better than the control.
    public let successMeasure: Double?
    /// Da/Ca − Db/Cb: above zero, possible displacement to the buffer; below, diffusion of benefits.
    public let bufferDisplacement: Double?
    /// Given only where the success measure is below zero (the change worked) and a buffer was studied.
    public let quotient: Double?
    public let totalNetEffect: Double?
    public let difference: Double?
    public let standardError: Double?
    public let interval: ClosedRange<Double>?
    public let insufficientData: Bool

    public init(_ counts: PrePostCounts) {
        self.counts = counts
        let pairs = [counts.response, counts.control] + (counts.buffer.map { [$0] } ?? [])
        insufficientData = pairs.contains { min($0.before, $0.after) < Self.minimumCount }
        guard !insufficientData else {
            grossEffect = nil
            netEffect = nil
            successMeasure = nil
            bufferDisplacement = nil
            quotient = nil
            totalNetEffect = nil
            difference = nil
            standardError = nil
            interval = nil
            return
        }
        let (rb, ra) = (Double(counts.response.before), Double(counts.response.after))
        let (cb, ca) = (Double(counts.control.before), Double(counts.control.after))
        grossEffect = counts.response.before - counts.response.after
        netEffect = rb / cb - ra / ca
        let success = ra / ca - rb / cb
        successMeasure = success
        var wdd = Double(counts.response.change - counts.control.change)
        var variance = rb + ra + cb + ca
        if let buffer = counts.buffer {
            let (db, da) = (Double(buffer.before), Double(buffer.after))
            let displacement = da / ca - db / cb
            bufferDisplacement = displacement
            quotient = success < 0 ? displacement / success : nil
            totalNetEffect = (rb * (ca / cb) - ra) + (db * (ca / cb) - da)
            wdd += Double(buffer.change - counts.control.change)
            variance += db + da + cb + ca
        } else {
            bufferDisplacement = nil
            quotient = nil
            totalNetEffect = rb * (ca / cb) - ra
        }
        difference = wdd
        let se = variance.squareRoot()
        standardError = se
        interval = (wdd - 1.96 * se)...(wdd + 1.96 * se)
    }

    /// What the quotient says, as the literature reads it; nil when it is not given.
    public var reading: Reading? {
        guard !insufficientData else { return .insufficientData }
        guard let successMeasure, successMeasure < 0 else { return .noReduction }
        guard let quotient else { return .reductionNoBuffer }
        if quotient > 1 { return .diffusionLargerThanEffect }
        if quotient > 0 { return .diffusionOfBenefits }
        if quotient == 0 { return .noDisplacement }
        if quotient >= -1 { return .someDisplacementNetBenefit }
        return .displacementErasedGain
    }

    public enum Reading: String, Sendable, Codable {
        case insufficientData = "insufficient_data"
        case noReduction = "no_reduction"
        case reductionNoBuffer = "reduction_no_buffer"
        case diffusionLargerThanEffect = "diffusion_larger_than_effect"
        case diffusionOfBenefits = "diffusion_of_benefits"
        case noDisplacement = "no_displacement"
        case someDisplacementNetBenefit = "some_displacement_net_benefit"
        case displacementErasedGain = "displacement_erased_gain"
    }

    /// Whether the interval leaves out zero: a change beyond what chance alone would give.
    public var isSignificant: Bool? { interval.map { !$0.contains(0) } }
}
