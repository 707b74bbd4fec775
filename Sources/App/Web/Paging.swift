import Vapor
import WellplanCore

/// `?page=` and `?per=` for every list, pages and API alike: a number out of range is refused with a
/// 422 naming it, never clamped or read as the first page.
enum Paging {
    static let maxPer = 200

    static func from(_ req: Request, per defaultPer: Int = 50) throws -> (page: Int, per: Int) {
        func number(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = req.query[String.self, at: name] else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw WellplanError.invalid([
                    FieldProblem(name, "error_out_of_range", [String(range.lowerBound), String(range.upperBound)])
                ])
            }
            return n
        }
        return (try number("page", 1, 1...100_000), try number("per", defaultPer, 1...maxPer))
    }
}
