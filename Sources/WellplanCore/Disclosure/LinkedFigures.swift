import Foundation

/// Figures published together and what ties them: an area and the whole area, a breakdown and its
/// total, quarters and their year, the same count in two tables. An intruder who sees the published
/// figures knows every tie and that no count is negative; the policy withholds figures until, for each
/// count that is too small to show, what the intruder can work out is a range at least as wide as the
/// minimum (its protection interval, in τ-ARGUS's words). Insiders know part of some counts without
/// any release (a situation table's members know their own table's): each such group also attacks, with
/// what it knows, and must not narrow the rest of a count that it does not know.
public struct LinkedFigures: Sendable {
    public struct Figure: Sendable {
        /// The true value: a count of people, possibly not whole (a five-year average).
        public var value: Double
        /// Whether it is a count of people, withheld from 0 (exclusive) to the minimum (exclusive).
        public var isCount: Bool
        /// Whether an earlier release already showed or withheld it, which cannot change now.
        public var settled: Settled
        /// What withholding it costs readers: totals and large figures cost more.
        public var cost: Double
        /// What each group of insiders knows of it without any release: all of it, or their part of a sum.
        public var insiders: [Int: Double] = [:]
    }

    public enum Settled: Sendable { case no, shown, withheld }

    /// `Σ coefficient × figure` lies in `lower…upper`: an exact sum has both zero (`total − Σ parts`);
    /// a total that also counts people in no part ("not stated") has upper bound infinite.
    public struct Tie: Sendable {
        public var terms: [(figure: Int, coefficient: Double)]
        public var lower: Double
        public var upper: Double
    }

    public private(set) var figures: [Figure] = []
    public private(set) var ties: [Tie] = []
    /// For each figure, the ties it is in.
    private var tiesOf: [[Int]] = []

    public init() {}

    /// Adds a figure and returns its index.
    @discardableResult
    public mutating func add(
        _ value: Double, isCount: Bool = true, settled: Settled = .no, cost: Double? = nil, insiders: [Int] = []
    ) -> Int {
        var figure = Figure(value: value, isCount: isCount, settled: settled, cost: cost ?? value)
        for group in insiders { figure.insiders[group] = value }
        figures.append(figure)
        tiesOf.append([])
        return figures.count - 1
    }

    /// Ties a total to its parts as the true figures allow: an exact sum (to a rounding), a total
    /// with a remainder no part holds, or (when the parts exceed the total) nothing an intruder can use.
    /// Insiders who know parts know that much of the total.
    public mutating func tie(total: Int, parts: [Int]) {
        guard !parts.isEmpty, !parts.contains(total) else { return }
        let sum = parts.reduce(0.0) { $0 + figures[$1].value }
        let gap = figures[total].value - sum
        // A published figure is at best rounded to a hundredth.
        let rounding = 0.005 * Double(parts.count + 1) + 1e-9 * max(1, abs(sum))
        let terms = [(total, 1.0)] + parts.map { ($0, -1.0) }
        if abs(gap) <= 1e-9 * max(1, abs(sum)) {
            append(Tie(terms: terms, lower: 0, upper: 0))
        } else if abs(gap) <= rounding {
            append(Tie(terms: terms, lower: min(0, gap) - rounding, upper: max(0, gap) + rounding))
        } else if gap > 0 {
            append(Tie(terms: terms, lower: 0, upper: .infinity))
        }
    }

    private mutating func append(_ tie: Tie) {
        for f in Set(tie.terms.map(\.figure)) { tiesOf[f].append(ties.count) }
        ties.append(tie)
        guard let total = tie.terms.first?.figure else { return }
        let parts = tie.terms.dropFirst().map(\.figure)
        for group in Set(parts.flatMap { figures[$0].insiders.keys }) {
            let known = parts.reduce(0.0) { $0 + figures[$1].insiders[group, default: 0] }
            figures[total].insiders[group] = max(figures[total].insiders[group, default: 0], known)
        }
    }

    /// Whether a group of insiders knows figure `f` whole (nil: no one does).
    func knowsWhole(_ group: Int?, _ f: Int) -> Bool {
        guard let group, let known = figures[f].insiders[group] else { return false }
        return abs(known - figures[f].value) <= 1e-9 * max(1, abs(known))
    }

    /// Who might narrow count `k` below the minimum: anyone holding the releases (nil), and each group of
    /// insiders who know part of it but not all. Knowing more only narrows, so a group's program answers
    /// for everyone else too; it is everyone else's when nothing the group knows whole is linked to `k`.
    private func intruders(of k: Int, _ hidden: [Bool], groups: [Int]) -> [Int?] {
        let partial = groups.filter { figures[k].value - figures[k].insiders[$0, default: 0] > 1e-9 }
        guard !partial.isEmpty else { return [nil] }
        let linked = neighbourhood(of: k, hidden, limit: largestExact).unknowns
        let informed = partial.filter { group in linked.contains { knowsWhole(group, $0) } }
        return informed.isEmpty ? [nil] : informed
    }

    /// Two figures that are the same count (a month in the year's table and in its quarter's).
    public mutating func same(_ a: Int, _ b: Int) { tie(total: a, parts: [b]) }

    /// Whether a count is too small to show.
    func isSmall(_ i: Int, minimum: Double) -> Bool {
        figures[i].isCount && figures[i].value > 0 && figures[i].value < minimum
    }

    /// Which figures to withhold: every count from above 0 to below the minimum, then more, cheapest
    /// first, until each of them has a protection interval at least as wide as the minimum.
    public func withheld(minimum: Double) -> [Bool] {
        var hidden = figures.map { $0.settled == .withheld }
        for i in figures.indices where figures[i].settled == .no { hidden[i] = isSmall(i, minimum: minimum) }
        let touched = touchingOpen(hidden)
        var pending = figures.indices.filter { hidden[$0] && isSmall($0, minimum: minimum) && touched[$0] }
        let groups = Set(figures.flatMap { $0.insiders.keys }).sorted()
        var audits: [Int?: Audit] = [:]
        func narrows(_ intruder: Int?, _ k: Int) -> Bool {
            if audits[intruder] == nil {
                audits[intruder] = Audit(self, hidden, limit: largestExact, insider: intruder)
            }
            return !audits[intruder]!.isProtected(k, minimum: minimum)
        }
        // Withholding more only widens every interval, so a figure once protected stays protected.
        while let k = pending.popLast() {
            let intruders = intruders(of: k, hidden, groups: groups)
            guard let intruder = intruders.first(where: { narrows($0, k) }) else { continue }
            let extra = complement(for: k, hidden, minimum: minimum, intruder: intruder)
            guard !extra.isEmpty else { continue }
            for e in extra { hidden[e] = true }
            for i in audits.values.indices { audits.values[i].withhold(extra) }
            pending.append(k)
        }
        return hidden
    }

    /// For each figure, whether the withheld figures linked to it through ties meet a figure still open.
    /// One that meets none was settled by earlier releases exactly as the intruder meets it now: its
    /// program is the one they already solved, so it need not be solved again (nor can anything open
    /// widen it). Re-solving every earlier withheld count was most of a plan's yearly release.
    private func touchingOpen(_ hidden: [Bool]) -> [Bool] {
        // Union-find over the withheld figures, joined by the ties they share.
        var parent = Array(figures.indices)
        func root(_ f: Int) -> Int {
            var f = f
            while parent[f] != f {
                parent[f] = parent[parent[f]]
                f = parent[f]
            }
            return f
        }
        var touches = Array(repeating: false, count: figures.count)
        for tie in ties {
            let withheld = tie.terms.map(\.figure).filter { hidden[$0] }
            guard let first = withheld.first else { continue }
            let open = tie.terms.contains { figures[$0.figure].settled == .no }
            var joined = root(first)
            for f in withheld.dropFirst() {
                let other = root(f)
                guard other != joined else { continue }
                parent[other] = joined
                touches[joined] = touches[joined] || touches[other]
            }
            joined = root(first)
            if open { touches[joined] = true }
        }
        return figures.indices.map { figures[$0].settled == .no || touches[root($0)] }
    }

    /// What to withhold next for `k` against `intruder`: the cheapest published figure tied to it that
    /// gives `k` the minimum width, or else widens it most; else the cheapest pair that widens it (the
    /// corner of a rectangle in a two-way table); else the cheapest figure tied to it.
    private func complement(for k: Int, _ hidden: [Bool], minimum: Double, intruder: Int?) -> [Int] {
        let unknown = hidden.indices.map { hidden[$0] && !knowsWhole(intruder, $0) }
        let region = neighbourhood(of: k, unknown, limit: largestExact).unknowns
        let near = Set(region.flatMap { tiesOf[$0] }.flatMap { ties[$0].terms.map(\.figure) })
        let candidates = near.filter { !hidden[$0] && figures[$0].settled == .no && !knowsWhole(intruder, $0) }
            .sorted {
                (figures[$0].value == 0 ? 1 : 0, figures[$0].cost, $0) < (
                    figures[$1].value == 0 ? 1 : 0, figures[$1].cost, $1
                )
            }
        // Trials start from what this intruder does not know; no candidate is one they know.
        func width(_ extra: [Int]) -> Double {
            var trial = unknown
            for e in extra { trial[e] = true }
            var audit = Audit(self, trial, limit: Self.nearestForChoosing)
            return audit.width(of: k)
        }
        let before = width([])
        var best: (extra: [Int], width: Double)?
        for c in candidates.prefix(12) {
            let w = width([c])
            if w >= minimum { return [c] }
            if w > before + 1e-9, best == nil || w > best!.width + 1e-9 { best = ([c], w) }
        }
        if let best { return best.extra }
        let few = Array(candidates.prefix(8))
        for (n, a) in few.enumerated() {
            for b in few[(n + 1)...] where width([a, b]) > before + 1e-9 { return [a, b] }
        }
        return candidates.first.map { [$0] } ?? []
    }

    /// Up to `limit` withheld figures nearest `k` through ties, ring by ring outward; `isWhole` when
    /// they are all those linked to it (the figures an intruder must solve together with `k`).
    private func neighbourhood(of k: Int, _ hidden: [Bool], limit: Int = .max) -> (unknowns: Set<Int>, isWhole: Bool) {
        var seen: Set = [k], queue = [k], next = 0
        while next < queue.count {
            let f = queue[next]
            next += 1
            for t in tiesOf[f] {
                for (g, _) in ties[t].terms where hidden[g] && !seen.contains(g) {
                    guard seen.count < limit else { return (seen, false) }
                    seen.insert(g)
                    queue.append(g)
                }
            }
        }
        return (seen, true)
    }

    /// How many withheld figures nearest `k` a candidate complement is tried with. Only a choice: whether
    /// `k` is then protected is asked of the whole program (`largestExact`). Trying each candidate over the
    /// whole program was nearly all of a table's yearly release (a minute for 250 discussions).
    static let nearestForChoosing = 25

    /// The most withheld figures the policy solves together exactly. Beyond it, the figures outside the nearest
    /// `largestExact` are taken as known: the intruder is told more, so what is protected then is
    /// protected, at the cost of withholding more than needed (the dense tableau grows with the square).
    public var largestExact = 800

    /// How wide a range the intruder can narrow figure `k` to, given what `hidden` withholds.
    func width(of k: Int, _ hidden: [Bool]) -> Double {
        guard let (lower, upper) = interval(of: k, hidden) else { return .infinity }
        return upper - lower
    }

    /// The least and greatest value figure `k` can take given every published figure and every tie
    /// (nil when it is not withheld). The intruder's linear program, whole however large.
    public func interval(of k: Int, _ hidden: [Bool]) -> (lower: Double, upper: Double)? {
        guard hidden[k] else { return nil }
        var audit = Audit(self, hidden, limit: .max)
        return audit.interval(of: k)
    }

    /// The intruder's linear programs for one choice of withheld figures: one for each linked set of them,
    /// set up once (the first phase of the simplex is most of the work) and asked about each of its figures.
    /// An insider's programs take what they know whole as known.
    struct Audit {
        let linked: LinkedFigures
        let insider: Int?
        /// The figures this intruder does not know.
        private(set) var hidden: [Bool]
        /// The most withheld figures in one program.
        let limit: Int
        /// For each withheld figure asked about, the withheld figures its program solves together and the
        /// program with their columns there (nil when infeasible).
        private var programs: [Int: (unknowns: Set<Int>, built: (region: FeasibleRegion, column: [Int: Int])?)] =
            [:]

        init(_ linked: LinkedFigures, _ hidden: [Bool], limit: Int, insider: Int? = nil) {
            self.linked = linked
            self.insider = insider
            self.hidden = insider == nil ? hidden : hidden.indices.map { hidden[$0] && !linked.knowsWhole(insider, $0) }
            self.limit = limit
        }

        /// Withholds `extra` too. Only the programs with a figure tied to one of them change: the others
        /// are kept (a neighbourhood cut at the limit reaches a new figure only through a tie with its own).
        mutating func withhold(_ extra: [Int]) {
            for e in extra where !linked.knowsWhole(insider, e) { hidden[e] = true }
            let tied = Set(extra.flatMap { linked.tiesOf[$0] }.flatMap { linked.ties[$0].terms.map(\.figure) })
            programs = programs.filter { $0.value.unknowns.isDisjoint(with: tied) }
        }

        private mutating func program(for k: Int) -> (region: FeasibleRegion, column: Int)? {
            if let known = programs[k] { return known.built.map { ($0.region, $0.column[k]!) } }
            let (unknowns, isWhole) = linked.neighbourhood(of: k, hidden, limit: limit)
            let built = linked.program(over: unknowns)
            // A whole component's program answers for every figure in it, and is kept. A neighbourhood cut
            // at the limit answers only for its centre, which is asked again only once more is withheld
            // near it: kept, each was megabytes, and a province's releases held gigabytes of them.
            if isWhole {
                for f in unknowns { programs[f] = (unknowns, built) }
            }
            return built.map { ($0.region, $0.column[k]!) }
        }

        /// The range, or the true value at both ends when the rounding of ties leaves no room (assume the worst).
        mutating func interval(of k: Int) -> (lower: Double, upper: Double) {
            guard let (region, column) = program(for: k) else {
                return (linked.figures[k].value, linked.figures[k].value)
            }
            return region.range(of: column)
        }

        mutating func width(of k: Int) -> Double {
            let (lower, upper) = interval(of: k)
            return upper - lower
        }

        /// Solving for the lower end only when the upper end alone does not settle it (the upper end less
        /// the true value is a width the interval has).
        mutating func isProtected(_ k: Int, minimum: Double) -> Bool {
            guard let (region, column) = program(for: k) else { return false }
            let upper = region.upper(of: column)
            if upper - linked.figures[k].value >= minimum { return true }
            return upper - region.lower(of: column) >= minimum
        }
    }

    /// The intruder's linear program over the withheld figures `unknowns`, with every tie they are in;
    /// every other figure is taken at its true value. Nil when no solution is left (rounding at its edge).
    private func program(over unknowns: Set<Int>) -> (region: FeasibleRegion, column: [Int: Int])? {
        let unknowns = unknowns.sorted()
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var equations: [[Double]] = [], constants: [Double] = []
        var extra = 0  // slack variables, after the unknowns
        var rows: [(coefficients: [Int: Double], slack: Bool, bound: Double?, constant: Double)] = []
        for tie in Set(unknowns.flatMap { tiesOf[$0] }).sorted().map({ ties[$0] }) {
            var coefficients: [Int: Double] = [:], known = 0.0
            for (f, c) in tie.terms {
                if let j = column[f] { coefficients[j, default: 0] += c } else { known += c * figures[f].value }
            }
            // lower ≤ Σ c·x + known ≤ upper; with a slack s ≥ 0: Σ c·x − s = lower − known, s ≤ upper − lower.
            let exact = tie.upper - tie.lower < 1e-12
            rows.append(
                (coefficients, !exact, exact || tie.upper.isInfinite ? nil : tie.upper - tie.lower, tie.lower - known))
            if !exact { extra += tie.upper.isInfinite ? 1 : 2 }
        }
        let total = unknowns.count + extra
        var next = unknowns.count
        for row in rows {
            var equation = Array(repeating: 0.0, count: total)
            for (j, c) in row.coefficients { equation[j] = c }
            if row.slack {
                equation[next] = -1
                if let bound = row.bound {
                    // s + t = bound
                    var cap = Array(repeating: 0.0, count: total)
                    (cap[next], cap[next + 1]) = (1, 1)
                    equations.append(cap)
                    constants.append(bound)
                    next += 1
                }
                next += 1
            }
            equations.append(equation)
            constants.append(row.constant)
        }
        guard let region = FeasibleRegion(equations: equations, constants: constants, variables: total) else {
            return nil
        }
        return (region, column)
    }
}
