import Foundation
import Testing

@testable import WellplanCore

@Suite struct DisclosurePolicyTests {
    let policy = DisclosurePolicy(publicMinimum: 10, partnerMinimum: 5)

    @Test func smallCountsAreWithheldAndZerosAndLargeCountsShown() {
        let published = policy.publish(
            CountTable(list: [("a", 0), ("b", 3), ("c", 12), ("d", 40)]), for: .publicRelease)
        #expect(published.cells.map { $0[0] } == [0, nil, nil, 40])  // c withheld too, or b = total − a − d
        #expect(published.grandTotal == 55)
        let partners = policy.publish(CountTable(list: [("a", 0), ("b", 3), ("c", 12), ("d", 40)]), for: .partners)
        #expect(partners.minimum == 5)
    }

    /// The most frequent risk factors are listed by count; in that order the withheld ones would be ranked
    /// (y above a says y ≥ a). They come last, by name, whatever their counts.
    @Test func aRankedListShowsItsWithheldRowsLastByName() {
        let ranked = CountTable(
            list: [("zeta", 30), ("b", 20), ("y", 7), ("m", 5), ("a", 3)], hasTotals: false, isRanked: true)
        let published = policy.publish(ranked, for: .publicRelease)
        #expect(published.rows == ["zeta", "b", "a", "m", "y"])
        #expect(published.cells == [[30], [20], [nil], [nil], [nil]])
        let plain = policy.publish(
            CountTable(list: [("zeta", 30), ("y", 7), ("a", 3)], hasTotals: false), for: .publicRelease)
        #expect(plain.rows == ["zeta", "y", "a"])
    }

    @Test func aTableWithoutTotalsNeedsNoComplementaryCells() {
        let published = policy.publish(
            CountTable(list: [("x", 3), ("y", 30), ("z", 31)], hasTotals: false), for: .publicRelease)
        #expect(published.cells.map { $0[0] } == [nil, 30, 31])
        #expect(published.grandTotal == nil && published.rowTotals == nil)
    }

    @Test func figuresFromFewPeopleAreWithheld() {
        #expect(policy.figure(3.5, n: 9, for: .publicRelease) == nil)
        #expect(policy.figure(3.5, n: 9, for: .partners) == 3.5)
    }

    /// Builds random tables, publishes them, then tries to solve the published margins for each withheld
    /// cell: a cell is determined exactly when its unit vector lies in the row space of the margin equations
    /// restricted to the withheld cells. All withheld cells are positive, so on the real line non-negativity
    /// adds nothing to what the equations fix.
    @Test func noWithheldCellCanBeWorkedOutFromThePublishedMargins() {
        var generator = SeededGenerator(seed: 20261122)
        var tables = 0, withheldCells = 0
        for _ in 0..<400 {
            let rows = Int.random(in: 1...7, using: &generator), columns = Int.random(in: 1...6, using: &generator)
            let counts = (0..<rows).map { _ in
                (0..<columns).map { _ in
                    Int.random(in: 0...9, using: &generator) < 3
                        ? Int.random(in: 0...9, using: &generator) : Int.random(in: 0...60, using: &generator)
                }
            }
            let table = CountTable(
                rows: (0..<rows).map { "r\($0)" }, columns: (0..<columns).map { "c\($0)" }, counts: counts)
            let audience: Audience = Bool.random(using: &generator) ? .publicRelease : .partners
            let published = policy.publish(table, for: audience)
            tables += 1
            withheldCells += published.withheldCount
            // A complementary cell may be worked out (the intruder's program counts that in); a small one may not.
            let determined = Derivation.determinedCells(table, published).filter { i, j in
                let inRows = i < rows ? [counts[i]] : counts
                let value = inRows.reduce(0) { $0 + (j < columns ? $1[j] : $1.reduce(0, +)) }
                return value > 0 && value < published.minimum
            }
            #expect(determined.isEmpty, "table \(counts) published \(published.cells) lets \(determined) be solved")
            // Nothing under the minimum is shown, and everything shown is true.
            for i in 0..<rows {
                for j in 0..<columns {
                    if let shown = published.cells[i][j] {
                        #expect(shown == counts[i][j])
                        #expect(shown == 0 || shown >= published.minimum)
                    }
                }
            }
        }
        print(
            "disclosure policy: \(tables) random tables, \(withheldCells) withheld cells, no small one derivable from the margins"
        )
    }
}

/// Solves the published table's margin equations (rows, columns, totals) for its withheld cells.
enum Derivation {
    static func determinedCells(_ table: CountTable, _ published: PublishedTable) -> [(Int, Int)] {
        let r = table.rows.count, c = table.columns.count
        // Extended grid values and whether each is known.
        var value = table.counts.map { $0 + [$0.reduce(0, +)] }
        let columnTotals = (0..<c).map { j in table.counts.reduce(0) { $0 + $1[j] } }
        value.append(columnTotals + [columnTotals.reduce(0, +)])
        var known = Array(repeating: Array(repeating: true, count: c + 1), count: r + 1)
        for i in 0..<r { for j in 0..<c { known[i][j] = published.cells[i][j] != nil } }
        for i in 0..<r { known[i][c] = published.rowTotals?[i] != nil }
        for j in 0..<c { known[r][j] = published.columnTotals?[j] != nil }
        known[r][c] = published.grandTotal != nil
        let unknowns = (0...r).flatMap { i in (0...c).filter { !known[i][$0] }.map { (i, $0) } }
        guard !unknowns.isEmpty else { return [] }
        let index = Dictionary(
            uniqueKeysWithValues: unknowns.enumerated().map { ("\($0.element.0),\($0.element.1)", $0.offset) })
        // Each row: its cells minus its total is zero; each column likewise. Only the unknowns' coefficients matter.
        var equations: [[Double]] = []
        for i in 0...r {
            var row = Array(repeating: 0.0, count: unknowns.count)
            for j in 0...c { if let k = index["\(i),\(j)"] { row[k] = j == c ? -1 : 1 } }
            equations.append(row)
        }
        for j in 0...c {
            var row = Array(repeating: 0.0, count: unknowns.count)
            for i in 0...r { if let k = index["\(i),\(j)"] { row[k] = i == r ? -1 : 1 } }
            equations.append(row)
        }
        let base = rank(equations)
        return unknowns.enumerated().compactMap { k, cell in
            var unit = Array(repeating: 0.0, count: unknowns.count)
            unit[k] = 1
            // Withheld interior cells only: a withheld total equal to a known sum would also be a leak, so check all.
            return rank(equations + [unit]) == base ? cell : nil
        }
    }

    static func rank(_ matrix: [[Double]]) -> Int {
        var m = matrix
        var rank = 0
        let columns = m.first?.count ?? 0
        for column in 0..<columns {
            guard let pivot = (rank..<m.count).first(where: { abs(m[$0][column]) > 1e-9 }) else { continue }
            m.swapAt(rank, pivot)
            for row in 0..<m.count where row != rank && abs(m[row][column]) > 1e-9 {
                let factor = m[row][column] / m[rank][column]
                for k in column..<columns { m[row][k] -= factor * m[rank][k] }
            }
            rank += 1
        }
        return rank
    }
}

/// A small deterministic generator so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
