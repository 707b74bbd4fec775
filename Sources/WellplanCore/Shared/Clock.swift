import Foundation

/// What day and time it is, as the product's rules read it: the system's clock in service, a fixed moment
/// in tests, so that a rule about time (a quarter released a month after it ends, a meeting's agenda, a
/// form dated today) is tested on the day it matters. Rules take the day they are given; the web and the
/// jobs give them this clock's.
public struct Clock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public static let system = Clock { Date() }

    /// Always noon of `day`.
    public static func fixed(_ day: Day) -> Clock {
        let noon = day.date.addingTimeInterval(12 * 3600)
        return Clock { noon }
    }

    public var now: Timestamp { Timestamp(read()) }
    public var today: Day { Day(read()) }
}
