import Foundation

/// What an intruder knows about some unknown, non-negative quantities: linear equations `A x = b`.
/// `range(of:)` gives the least and greatest value one of them can take, by the simplex method.
///
/// A dense tableau in one flat array; the regions the disclosure policy builds are small, since
/// published figures become constants and only the withheld ones stay unknown.
struct FeasibleRegion {
    /// `B⁻¹A | B⁻¹b` for the current basis, row after row, each `width` long (the last is the constant).
    private var tableau: [Double]
    private var rows: Int
    private var width: Int
    private var basis: [Int]
    private let variables: Int
    private static let tolerance = 1e-9

    /// Nil when no non-negative x satisfies the equations.
    init?(equations: [[Double]], constants: [Double], variables: Int) {
        self.variables = variables
        // Phase one: an artificial variable per equation, driven to zero.
        let m = equations.count
        rows = m
        width = variables + m + 1
        tableau = []
        tableau.reserveCapacity(m * width)
        for i in 0..<m {
            let sign: Double = constants[i] < 0 ? -1 : 1
            tableau += equations[i].map { $0 * sign }
            tableau += (0..<m).map { $0 == i ? 1 : 0 }
            tableau.append(constants[i] * sign)
        }
        basis = (0..<m).map { variables + $0 }
        let artificialCost = (0..<(variables + m)).map { $0 < variables ? 0.0 : 1.0 }
        guard let infeasibility = minimize(cost: artificialCost, allowed: variables + m),
            infeasibility <= Self.tolerance * max(1, constants.map(abs).max() ?? 1)
        else { return nil }
        // Take the artificial variables out of the basis; a row where none can leave is redundant.
        var keep: [Int] = []
        for i in 0..<m {
            if basis[i] >= variables {
                if let j = (0..<variables).first(where: { abs(tableau[i * width + $0]) > Self.tolerance }) {
                    pivot(row: i, column: j)
                } else {
                    continue
                }
            }
            keep.append(i)
        }
        var reduced: [Double] = []
        reduced.reserveCapacity(keep.count * (variables + 1))
        for i in keep {
            reduced += tableau[(i * width)..<(i * width + variables)]
            reduced.append(tableau[i * width + width - 1])
        }
        tableau = reduced
        basis = keep.map { basis[$0] }
        rows = keep.count
        width = variables + 1
    }

    /// The least and greatest values of unknown `k`; the greatest is infinite when nothing bounds it.
    func range(of k: Int) -> (lower: Double, upper: Double) {
        (lower(of: k), upper(of: k))
    }

    /// The least value of unknown `k`.
    func lower(of k: Int) -> Double {
        var cost = Array(repeating: 0.0, count: variables)
        cost[k] = 1
        var copy = self
        return max(0, copy.minimize(cost: cost, allowed: variables) ?? 0)
    }

    /// The greatest value of unknown `k`, infinite when nothing bounds it.
    func upper(of k: Int) -> Double {
        var cost = Array(repeating: 0.0, count: variables)
        cost[k] = -1
        var copy = self
        return copy.minimize(cost: cost, allowed: variables).map { -$0 } ?? .infinity
    }

    /// Minimizes `cost · x` from the current basis; nil when unbounded below. Dantzig's rule (the most
    /// negative reduced cost) moves fast; after many pivots that gain nothing it turns to Bland's rule,
    /// which cannot cycle.
    private mutating func minimize(cost: [Double], allowed: Int) -> Double? {
        let w = width, tol = Self.tolerance
        // The objective row: reduced costs cost[j] − Σ cost[basis[i]] · t[i][j], and minus the objective.
        var objective = cost + [0]
        for i in 0..<rows where cost[basis[i]] != 0 {
            let c = cost[basis[i]]
            for j in 0..<w { objective[j] -= c * tableau[i * w + j] }
        }
        var stalled = 0
        while true {
            var entering = -1
            for j in 0..<allowed where objective[j] < -tol {
                if stalled > 50 {
                    entering = j
                    break
                }
                if entering < 0 || objective[j] < objective[entering] { entering = j }
            }
            guard entering >= 0 else { return -objective[w - 1] }
            let j = entering
            var leaving = -1
            for i in 0..<rows where tableau[i * w + j] > tol {
                guard leaving >= 0 else {
                    leaving = i
                    continue
                }
                let ratio = tableau[i * w + w - 1] / tableau[i * w + j]
                let best = tableau[leaving * w + w - 1] / tableau[leaving * w + j]
                if ratio < best - tol || (abs(ratio - best) <= tol && basis[i] < basis[leaving]) { leaving = i }
            }
            guard leaving >= 0 else { return nil }
            stalled = tableau[leaving * w + w - 1] <= tol ? stalled + 1 : 0
            pivot(row: leaving, column: j)
            let factor = objective[j]
            for k in 0..<w { objective[k] -= factor * tableau[leaving * w + k] }
        }
    }

    /// The tableau stays sparse (each tie names few figures), so each row is updated only where the pivot
    /// row is not zero: the same arithmetic, several times fewer steps.
    private mutating func pivot(row: Int, column: Int) {
        let w = width, rows = rows
        tableau.withUnsafeMutableBufferPointer { t in
            let start = row * w, p = t[start + column]
            var nonzero: [(column: Int, value: Double)] = []
            for j in 0..<w where t[start + j] != 0 {
                t[start + j] /= p
                nonzero.append((j, t[start + j]))
            }
            for i in 0..<rows where i != row {
                let base = i * w, factor = t[base + column]
                if factor == 0 { continue }
                for (j, value) in nonzero { t[base &+ j] -= factor * value }
            }
        }
        basis[row] = column
    }
}
