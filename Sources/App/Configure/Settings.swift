import Foundation
import Vapor

/// Everything the server reads from its environment, read once at start.
struct Settings: Sendable {
    enum Store: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, schema: String?)
    }

    var store: Store
    /// Cookies are marked Secure when the public address is HTTPS.
    var secureCookies: Bool
    /// Jobs are run by this process (off for commands that only need the database).
    var runsJobs: Bool
    /// Failed sign-ins allowed per account and address before a pause.
    var signInAttempts = 5
    var signInWindow: TimeInterval = 15 * 60

    struct Key: StorageKey { typealias Value = Settings }

    init(store: Store, secureCookies: Bool = false, runsJobs: Bool = true) {
        (self.store, self.secureCookies, self.runsJobs) = (store, secureCookies, runsJobs)
    }

    init(environment: Environment) throws {
        if let url = Environment.get("DATABASE_URL"), !url.isEmpty {
            store = .postgres(url: url, schema: Environment.get("WELLPLAN_DATABASE_SCHEMA"))
        } else {
            store = .sqlite(path: Environment.get("WELLPLAN_DATABASE_PATH") ?? "wellplan.sqlite")
        }
        secureCookies = (Environment.get("WELLPLAN_PUBLIC_URL") ?? "").lowercased().hasPrefix("https://")
        runsJobs = Environment.get("WELLPLAN_JOBS") != "off"
    }
}

extension Application {
    var settings: Settings {
        get { storage[Settings.Key.self]! }
        set { storage[Settings.Key.self] = newValue }
    }
}
