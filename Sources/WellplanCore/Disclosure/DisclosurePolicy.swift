import Foundation

/// Who will read a figure: the smaller the audience's trust, the larger a published count must be.
public enum Audience: String, Sendable, Codable, CaseIterable {
    case publicRelease = "public"
    case partners
}

/// Counts by two dimensions (one column for a simple list), before anything is withheld.
public struct CountTable: Sendable, Equatable {
    public var rows: [String]
    public var columns: [String]
    public var counts: [[Int]]
    /// Whether row, column and grand totals are published. Tables of multi-valued answers (risk
    /// factors: one discussion counts in several rows) have no meaningful totals and publish none.
    public var hasTotals: Bool

    public init(rows: [String], columns: [String], counts: [[Int]], hasTotals: Bool = true) {
        (self.rows, self.columns, self.counts, self.hasTotals) = (rows, columns, counts, hasTotals)
    }

    /// A one-column list: discussions by month, by sector…
    public init(list: [(String, Int)], column: String = "count", hasTotals: Bool = true) {
        self.init(rows: list.map(\.0), columns: [column], counts: list.map { [$0.1] }, hasTotals: hasTotals)
    }
}

/// A table as it may be shown: every count either given or withheld, with the minimum that applied.
public struct PublishedTable: Sendable, Codable, Equatable {
    public let rows: [String]
    public let columns: [String]
    /// nil where withheld.
    public let cells: [[Int?]]
    public let rowTotals: [Int?]?
    public let columnTotals: [Int?]?
    public let grandTotal: Int?
    public let hasTotals: Bool
    public let minimum: Int
    public var withheldCount: Int {
        (cells.flatMap { $0 } + (rowTotals ?? []) + (columnTotals ?? []) + (hasTotals ? [grandTotal] : [])).filter { $0 == nil }.count
    }
}

/// The one disclosure policy every statistic, chart, download and report goes through.
///
/// Primary suppression withholds any count from 1 to one less than the audience's minimum (zero
/// reveals no one and is shown). Complementary suppression then withholds more cells until no withheld
/// count can be worked out exactly from the published cells and totals: in the graph whose nodes are
/// rows and columns (totals included) and whose edges are withheld cells, a withheld cell is exactly
/// derivable from the margins precisely when it lies on no cycle, so cells are added until none does.
public struct DisclosurePolicy: Sendable, Equatable {
    public var publicMinimum: Int
    public var partnerMinimum: Int

    public init(publicMinimum: Int = 10, partnerMinimum: Int = 5) {
        (self.publicMinimum, self.partnerMinimum) = (max(1, publicMinimum), max(1, partnerMinimum))
    }

    public func minimum(for audience: Audience) -> Int {
        audience == .publicRelease ? publicMinimum : partnerMinimum
    }

    /// A single figure computed from `n` people or situations (a median, a share): withheld below the minimum.
    public func figure<T>(_ value: T, n: Int, for audience: Audience) -> T? {
        n == 0 || n >= minimum(for: audience) ? value : nil
    }

    public func publish(_ table: CountTable, for audience: Audience) -> PublishedTable {
        let minimum = minimum(for: audience)
        let rowCount = table.rows.count, columnCount = table.columns.count
        // The extended grid: interior cells, then each row's total, then the row of column totals.
        var grid = table.counts.map { $0 + [$0.reduce(0, +)] }
        let columnTotals = (0..<columnCount).map { j in table.counts.reduce(0) { $0 + $1[j] } }
        grid.append(columnTotals + [columnTotals.reduce(0, +)])
        var withheld = grid.map { $0.map { $0 > 0 && $0 < minimum } }
        if !table.hasTotals {
            // Nothing but the cells is published, so nothing can be derived: primary suppression alone.
            for i in 0...rowCount { withheld[i][columnCount] = false }
            for j in 0...columnCount { withheld[rowCount][j] = false }
        } else {
            Self.protect(grid, &withheld)
        }
        func shown(_ i: Int, _ j: Int) -> Int? { withheld[i][j] ? nil : grid[i][j] }
        return PublishedTable(
            rows: table.rows, columns: table.columns,
            cells: (0..<rowCount).map { i in (0..<columnCount).map { shown(i, $0) } },
            rowTotals: table.hasTotals ? (0..<rowCount).map { shown($0, columnCount) } : nil,
            columnTotals: table.hasTotals ? (0..<columnCount).map { shown(rowCount, $0) } : nil,
            grandTotal: table.hasTotals ? shown(rowCount, columnCount) : nil,
            hasTotals: table.hasTotals, minimum: minimum)
    }

    /// Withholds more cells until every withheld cell lies on a cycle of withheld cells.
    static func protect(_ grid: [[Int]], _ withheld: inout [[Bool]]) {
        let lastRow = grid.count - 1, lastColumn = grid[0].count - 1
        // With one column a row's total is its only cell, and with one row a column's total is its cell:
        // such twins are one number, withheld together.
        func withhold(_ i: Int, _ j: Int) {
            withheld[i][j] = true
            if lastColumn == 1 { withheld[i][1 - j] = true }
            if lastRow == 1 { withheld[1 - i][j] = true }
        }
        for i in grid.indices { for j in grid[i].indices where withheld[i][j] { withhold(i, j) } }
        while let (i, j) = firstDerivable(withheld) {
            // The smallest published positive count sharing the cell's row or column, interior cells first.
            let candidates = (grid[i].indices.map { (i, $0) } + grid.indices.map { ($0, j) })
                .filter { !withheld[$0.0][$0.1] && grid[$0.0][$0.1] > 0 }
                .min { a, b in
                    let aTotal = a.0 == lastRow || a.1 == lastColumn, bTotal = b.0 == lastRow || b.1 == lastColumn
                    return (aTotal ? 1 : 0, grid[a.0][a.1]) < (bTotal ? 1 : 0, grid[b.0][b.1])
                }
            if let (ci, cj) = candidates {
                withhold(ci, cj)
            } else {
                // Nothing left beside it: withhold every positive count (a fully withheld table hides all).
                for r in grid.indices { for c in grid[r].indices where grid[r][c] > 0 { withheld[r][c] = true } }
                return
            }
        }
    }

    /// A withheld cell lying on no cycle of withheld cells (a bridge), which the margins would reveal.
    static func firstDerivable(_ withheld: [[Bool]]) -> (Int, Int)? {
        let rows = withheld.count, columns = withheld.first?.count ?? 0
        let edges = (0..<rows).flatMap { i in (0..<columns).filter { withheld[i][$0] }.map { (i, $0) } }
        for (i, j) in edges {
            // Is column j still reachable from row i without the edge (i, j)? Nodes: rows 0..<rows, columns rows..<rows+columns.
            var seen = Set([i]), queue = [i]
            while let node = queue.popLast() {
                let next: [Int] =
                    node < rows
                    ? (0..<columns).filter { withheld[node][$0] && !(node == i && $0 == j) }.map { rows + $0 }
                    : (0..<rows).filter { withheld[$0][node - rows] && !($0 == i && node - rows == j) }
                for n in next where seen.insert(n).inserted { queue.append(n) }
            }
            if !seen.contains(rows + j) { return (i, j) }
        }
        return nil
    }
}
