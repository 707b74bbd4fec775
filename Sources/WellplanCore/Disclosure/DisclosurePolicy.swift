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
    /// Whether the rows are ordered by their counts (the most frequent risk factors). Shown so, the order
    /// of withheld rows would rank counts that are withheld; they are shown last, by name.
    public var isRanked: Bool

    public init(rows: [String], columns: [String], counts: [[Int]], hasTotals: Bool = true, isRanked: Bool = false) {
        self.rows = rows
        self.columns = columns
        self.counts = counts
        self.hasTotals = hasTotals
        self.isRanked = isRanked
    }

    /// A one-column list: discussions by month, by sector…
    public init(list: [(String, Int)], column: String = "count", hasTotals: Bool = true, isRanked: Bool = false) {
        self.init(
            rows: list.map(\.0), columns: [column], counts: list.map { [$0.1] }, hasTotals: hasTotals,
            isRanked: isRanked)
    }

    public var rowSums: [Int] { counts.map { $0.reduce(0, +) } }
    public var columnSums: [Int] { columns.indices.map { j in counts.reduce(0) { $0 + $1[j] } } }
    public var total: Int { counts.joined().reduce(0, +) }
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
        (cells.flatMap { $0 } + (rowTotals ?? []) + (columnTotals ?? []) + (hasTotals ? [grandTotal] : [])).filter {
            $0 == nil
        }.count
    }
}

/// Where a table's counts went among the figures published with it.
public struct TablePlacement: Sendable {
    public let cells: [[Int]]
    /// Nil when the table publishes no totals.
    public let rowTotals: [Int]?
    public let columnTotals: [Int]?
    public let grandTotal: Int?

    /// Each figure by row and column code ("*" for a total), to tie it to the same figure of another period.
    public func keyed(_ table: CountTable) -> [(String, Int)] {
        var keyed: [(String, Int)] = []
        for (i, row) in table.rows.enumerated() {
            for (j, column) in table.columns.enumerated() { keyed.append(("\(row)|\(column)", cells[i][j])) }
            if let rowTotals { keyed.append(("\(row)|*", rowTotals[i])) }
        }
        for (j, column) in table.columns.enumerated() {
            if let columnTotals { keyed.append(("*|\(column)", columnTotals[j])) }
        }
        if let grandTotal { keyed.append(("*|*", grandTotal)) }
        // Twins (a list's row total is its cell) appear once.
        var seen = Set<Int>()
        return keyed.filter { seen.insert($0.1).inserted }
    }
}

extension LinkedFigures {
    /// Adds a table's counts and, where it publishes them, its totals tied to their parts. Totals cost
    /// more to withhold than cells, and the grand total most, so readers keep the figures that matter most.
    ///
    /// `settled`: the table as an earlier release showed it, which cannot change. `preferred`: the table as
    /// another audience sees it; what that shows is withheld here only when nothing else protects a count,
    /// and then the other audience loses it too (the caller's part). `insiders`: the groups that know the
    /// whole table without it (the situation table's members, alone or with others').
    public mutating func add(
        _ table: CountTable, settled: PublishedTable? = nil, preferred: PublishedTable? = nil, insiders: [Int] = []
    ) -> TablePlacement {
        func state(_ figure: Int??) -> Settled {
            guard let figure, settled != nil else { return .no }
            return figure == nil ? .withheld : .shown
        }
        func cost(_ figure: Int??, _ cost: Double) -> Double {
            guard settled == nil, preferred != nil, case .some(.some) = figure else { return cost }
            return cost + Self.preferredCost
        }
        let given = (settled ?? preferred).flatMap { $0.ordered(like: table) }
        let cells = table.counts.indices.map { i in
            table.counts[i].indices.map { j in
                let value = Double(table.counts[i][j]), figure = given?.cells[i][j]
                return add(value, settled: state(figure), cost: cost(figure, value), insiders: insiders)
            }
        }
        guard table.hasTotals else {
            return TablePlacement(cells: cells, rowTotals: nil, columnTotals: nil, grandTotal: nil)
        }
        let (rowSums, columnSums, total) = (table.rowSums, table.columnSums, table.total)
        let large = Double(total) + 1
        // With one column a row's total is its cell, and with one row a column's total is: one figure each.
        let rowTotals = table.counts.indices.map { i in
            table.columns.count == 1
                ? cells[i][0]
                : add(
                    Double(rowSums[i]), settled: state(given?.rowTotals?[i]), cost: cost(given?.rowTotals?[i], large),
                    insiders: insiders)
        }
        let columnTotals = table.columns.indices.map { j in
            table.rows.count == 1
                ? cells[0][j]
                : add(
                    Double(columnSums[j]), settled: state(given?.columnTotals?[j]),
                    cost: cost(given?.columnTotals?[j], large), insiders: insiders)
        }
        let grandTotal =
            table.columns.count == 1
            ? columnTotals[0]
            : table.rows.count == 1
                ? rowTotals[0]
                : add(
                    Double(total), settled: state(given.map { $0.grandTotal }),
                    cost: cost(given.map { $0.grandTotal }, 2 * large), insiders: insiders)
        for i in cells.indices { tie(total: rowTotals[i], parts: cells[i]) }
        for j in columnTotals.indices { tie(total: columnTotals[j], parts: cells.map { $0[j] }) }
        tie(total: grandTotal, parts: rowTotals)
        tie(total: grandTotal, parts: columnTotals)
        return TablePlacement(cells: cells, rowTotals: rowTotals, columnTotals: columnTotals, grandTotal: grandTotal)
    }

    /// What withholding a figure another audience sees costs on top of its own: more than any figure of its own.
    public static let preferredCost = 1e9
}

extension PublishedTable {
    /// The table as shown once `withheld` is decided for the figures it was placed among.
    public init(_ table: CountTable, _ placement: TablePlacement, withheld: [Bool], minimum: Int) {
        func shown(_ figure: Int, _ value: Int) -> Int? { withheld[figure] ? nil : value }
        let (rowSums, columnSums) = (table.rowSums, table.columnSums)
        let published = PublishedTable(
            rows: table.rows, columns: table.columns,
            cells: table.counts.indices.map { i in
                table.counts[i].indices.map { shown(placement.cells[i][$0], table.counts[i][$0]) }
            },
            rowTotals: placement.rowTotals.map { totals in totals.indices.map { shown(totals[$0], rowSums[$0]) } },
            columnTotals: placement.columnTotals.map { totals in
                totals.indices.map { shown(totals[$0], columnSums[$0]) }
            },
            grandTotal: placement.grandTotal.flatMap { shown($0, table.total) }, hasTotals: table.hasTotals,
            minimum: minimum)
        self = table.isRanked ? published.shownFirst() : published
    }

    /// This table with every figure `other` withholds withheld too; rows are matched by name, as the
    /// same counts give the same rows in whatever order.
    func withholding(_ other: PublishedTable) -> PublishedTable {
        precondition(columns == other.columns)
        func kept(_ value: Int?, _ theirs: Int??) -> Int? {
            if case .some(.none) = theirs { return nil }
            return value
        }
        let theirs = other.positions(of: rows)
        return PublishedTable(
            rows: rows, columns: columns,
            cells: rows.indices.map { i in
                columns.indices.map { j in kept(cells[i][j], theirs[i].map { other.cells[$0][j] }) }
            },
            rowTotals: rowTotals.map { totals in
                rows.indices.map { i in kept(totals[i], theirs[i].flatMap { t in other.rowTotals.map { $0[t] } }) }
            },
            columnTotals: columnTotals.map { totals in
                columns.indices.map { j in kept(totals[j], other.columnTotals.map { $0[j] }) }
            },
            grandTotal: kept(grandTotal, other.hasTotals ? .some(other.grandTotal) : nil), hasTotals: hasTotals,
            minimum: minimum)
    }

    /// The rows in `order`, given by their positions.
    func reordered(_ order: [Int]) -> PublishedTable {
        PublishedTable(
            rows: order.map { rows[$0] }, columns: columns, cells: order.map { cells[$0] },
            rowTotals: rowTotals.map { t in order.map { t[$0] } },
            columnTotals: columnTotals, grandTotal: grandTotal, hasTotals: hasTotals, minimum: minimum)
    }

    /// The rows with a count shown, in their order, then the rows withheld, by name.
    func shownFirst() -> PublishedTable {
        let withheld = { (i: Int) in cells[i].contains { $0 == nil } }
        let order = rows.indices.filter { !withheld($0) } + rows.indices.filter(withheld).sorted { rows[$0] < rows[$1] }
        return reordered(order)
    }

    /// Rows in the order of `table`'s, matched by name: what an earlier release showed of each row. Nil
    /// when they are not the same rows (the same tallies always give the same rows).
    func ordered(like table: CountTable) -> PublishedTable? {
        guard rows != table.rows else { return self }
        let order = positions(of: table.rows).compactMap { $0 }
        return order.count == rows.count && order.count == table.rows.count ? reordered(order) : nil
    }

    /// Where each of `names` is among the rows (nil where it is not).
    private func positions(of names: [String]) -> [Int?] {
        let position = Dictionary(rows.enumerated().map { ($1, $0) }) { first, _ in first }
        return names.map { position[$0] }
    }
}

/// The one disclosure policy every statistic, chart, download and report goes through.
///
/// Primary suppression withholds any count of people above 0 and below the audience's minimum, compared
/// unrounded (9.7 is under 10; zero reveals no one and is shown). Complementary suppression then withholds
/// more figures, cheapest first, until an intruder who knows every published figure, every sum tying them
/// (areas and the whole area, a breakdown and its total, quarters and their year, one count in two
/// tables) and that no count is negative can narrow no withheld count to a range narrower than the
/// minimum: its protection interval, found by linear programming (`LinkedFigures`).
public struct DisclosurePolicy: Sendable, Hashable {
    public var publicMinimum: Int
    public var partnerMinimum: Int

    public init(publicMinimum: Int = 10, partnerMinimum: Int = 5) {
        self.publicMinimum = max(1, publicMinimum)
        self.partnerMinimum = max(1, partnerMinimum)
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
        var figures = LinkedFigures()
        let placement = figures.add(table)
        return PublishedTable(table, placement, withheld: figures.withheld(minimum: Double(minimum)), minimum: minimum)
    }
}
