import Foundation

/// A QR code (ISO/IEC 18004) for a short text such as a feedback form's link: byte mode, error
/// correction level M (15 % of the symbol may be damaged or covered), versions 1 to 10 (up to 213 bytes),
/// the mask chosen by the standard's penalty rules. Written here because no maintained Swift package on
/// this machine makes one, and a printed poster must not depend on a service.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let mask: Int
    /// Rows of modules, `true` for dark.
    public let modules: [[Bool]]
    public var size: Int { modules.count }

    /// Per version, level M: error-correction codewords per block, and the data codewords of each block.
    static let blocks: [(ec: Int, data: [Int])] = [
        (10, [16]), (16, [28]), (26, [44]), (18, [32, 32]), (24, [43, 43]),
        (16, [27, 27, 27, 27]), (18, [31, 31, 31, 31]), (22, [38, 38, 39, 39]), (22, [36, 36, 36, 37, 37]),
        (26, [43, 43, 43, 43, 44]),
    ]
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    /// Nil when the text is too long for version 10.
    public init?(_ text: String, mask forcedMask: Int? = nil) {
        let bytes = Array(text.utf8)
        guard
            let version = (1...10).first(where: { v in
                4 + (v < 10 ? 8 : 16) + bytes.count * 8 <= Self.blocks[v - 1].data.reduce(0, +) * 8
            })
        else { return nil }
        let codewords = Self.codewords(bytes, version: version)
        var grid = Grid(version: version)
        grid.place(codewords)
        var best: (penalty: Int, mask: Int, grid: Grid)?
        for mask in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var candidate = grid
            candidate.apply(mask: mask)
            candidate.drawFormat(mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (penalty, mask, candidate) }
        }
        self.version = version
        self.mask = best!.mask
        self.modules = best!.grid.dark
    }

    // MARK: Data and error correction

    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let layout = blocks[version - 1]
        let capacity = layout.data.reduce(0, +)
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in (0..<count).reversed() { bits.append((value >> i) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacity * 8 - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var data = stride(from: 0, to: bits.count, by: 8).map { i in
            bits[i..<i + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while data.count < capacity {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        var offset = 0
        var dataBlocks: [[UInt8]] = [], ecBlocks: [[UInt8]] = []
        for length in layout.data {
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, degree: layout.ec))
        }
        var out: [UInt8] = []
        for i in 0..<(layout.data.max() ?? 0) { for block in dataBlocks where i < block.count { out.append(block[i]) } }
        for i in 0..<layout.ec { for block in ecBlocks { out.append(block[i]) } }
        return out
    }

    /// Reed–Solomon error correction over GF(256) with the polynomial x⁸ + x⁴ + x³ + x² + 1.
    enum ReedSolomon {
        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            var (x, y, z) = (Int(a), Int(b), 0)
            while y > 0 {
                if y & 1 == 1 { z ^= x }
                x <<= 1
                if x & 0x100 != 0 { x ^= 0x11D }
                y >>= 1
            }
            return UInt8(z)
        }

        /// The generator (x − α⁰)(x − α¹)…(x − αⁿ⁻¹), leading coefficient dropped.
        static func generator(_ degree: Int) -> [UInt8] {
            var result = [UInt8](repeating: 0, count: degree)
            result[degree - 1] = 1
            var root: UInt8 = 1
            for _ in 0..<degree {
                for j in 0..<degree {
                    result[j] = multiply(result[j], root)
                    if j + 1 < degree { result[j] ^= result[j + 1] }
                }
                root = multiply(root, 0x02)
            }
            return result
        }

        static func remainder(_ data: [UInt8], degree: Int) -> [UInt8] {
            let divisor = generator(degree)
            var result = [UInt8](repeating: 0, count: degree)
            for byte in data {
                let factor = byte ^ result.removeFirst()
                result.append(0)
                for i in 0..<degree { result[i] ^= multiply(divisor[i], factor) }
            }
            return result
        }
    }

    // MARK: Modules

    struct Grid: Sendable {
        let version: Int
        let size: Int
        var dark: [[Bool]]
        var reserved: [[Bool]]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            dark = Array(repeating: Array(repeating: false, count: size), count: size)
            reserved = dark
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(cx + dx) && (0..<size).contains(cy + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(cx + dx, cy + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = QRCode.alignment[version - 1]
            for (i, ay) in positions.enumerated() {
                for (j, ax) in positions.enumerated() {
                    let last = positions.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 { for dx in -2...2 { set(ax + dx, ay + dy, max(abs(dx), abs(dy)) != 1) } }
                }
            }
            drawFormat(mask: 0)  // reserves the format areas; redrawn once the mask is known
            if version >= 7 {
                var rem = version
                for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
                let bits = version << 12 | rem
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, bit)
                    set(b, a, bit)
                }
            }
        }

        /// A function module at column `x`, row `y`.
        mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
            dark[y][x] = value
            reserved[y][x] = true
        }

        mutating func drawFormat(mask: Int) {
            let data = 0b00 << 3 | mask  // level M
            var rem = data
            for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
            let bits = (data << 10 | rem) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0..<6 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// Codeword bits in the standard's zigzag: two columns at a time from the right, up then down.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !reserved[y][x] && i < codewords.count * 8 {
                            dark[y][x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !reserved[y][x] {
                    let flip =
                        switch mask {
                        case 0: (x + y) % 2 == 0
                        case 1: y % 2 == 0
                        case 2: x % 3 == 0
                        case 3: (x + y) % 3 == 0
                        case 4: (x / 3 + y / 2) % 2 == 0
                        case 5: x * y % 2 + x * y % 3 == 0
                        case 6: (x * y % 2 + x * y % 3) % 2 == 0
                        default: ((x + y) % 2 + x * y % 3) % 2 == 0
                        }
                    if flip { dark[y][x].toggle() }
                }
            }
        }

        /// The standard's four penalties: long runs, 2×2 blocks, finder-like patterns, dark/light imbalance.
        func penalty() -> Int {
            var total = 0
            let columns = (0..<size).map { x in dark.map { $0[x] } }
            for line in dark + columns {
                var run = 1
                for i in 1...line.count {
                    if i < line.count && line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { total += run - 2 }
                        run = 1
                    }
                }
                let pattern: [Bool] = [true, false, true, true, true, false, true]
                for i in 0...(line.count - 7) where Array(line[i..<i + 7]) == pattern {
                    let before = i >= 4 && !line[(i - 4)..<i].contains(true)
                    let after = i + 11 <= line.count && !line[(i + 7)..<(i + 11)].contains(true)
                    if before || after { total += 40 }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1)
                where dark[y][x] == dark[y][x + 1] && dark[y][x] == dark[y + 1][x] && dark[y][x] == dark[y + 1][x + 1] {
                    total += 3
                }
            }
            let darkCount = dark.joined().filter { $0 }.count, all = size * size
            total += (abs(darkCount * 20 - all * 10) + all - 1) / all * 10 - 10
            return total
        }
    }

    /// An SVG drawing with a four-module quiet zone, each dark module one unit square.
    public func svg(title: String) -> String {
        let side = size + 8
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, isDark) in row.enumerated() where isDark { path += "M\(x + 4),\(y + 4)h1v1h-1z" }
        }
        let escaped = Markup.escaped(title)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" role="img" aria-labelledby="qr-title" \
            data-version="\(version)" data-mask="\(mask)" shape-rendering="crispEdges"><title id="qr-title">\(escaped)</title>\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
