import Foundation
import Vapor
import WellplanCore

/// Everything the server reads from its environment, read once at start.
struct Settings: Sendable {
    enum Store: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, schema: String?)
    }

    var store: Store
    /// Cookies are marked Secure when the public address is HTTPS.
    var secureCookies: Bool
    /// Jobs are run by this process: a server's, unless `WELLPLAN_JOBS` is off. A command advances the
    /// audit anchor only as it ends; a server, every two seconds.
    var runsJobs: Bool
    /// Failed sign-ins an account may make before it waits `signInDelay` (doubling with each further failure,
    /// at most `signInWindow`); failures older than the window, or before a success, do not count.
    var signInAttempts = 5
    var signInDelay: TimeInterval = 30
    var signInWindow: TimeInterval = 15 * 60
    /// Failed sign-ins from one address, across all accounts, before it waits out the window.
    var signInAttemptsPerAddress = 100
    /// Opens situation-table compartments; nil when no master key is configured (compartments stay locked).
    var compartmentCipher: CompartmentCipher?
    /// Signs the audit log's head where it is kept outside the database (in each backup), so that a log
    /// cut short or chained anew is found out: `WELLPLAN_AUDIT_KEY`, or the 0600 file `WELLPLAN_AUDIT_KEY_FILE`.
    var auditKey: AuditKey?
    /// Where the audit log's head is kept outside the database (`AuditAnchor`): `WELLPLAN_AUDIT_ANCHOR`, by
    /// default beside the SQLite file, or in the working folder for PostgreSQL; nil in tests unless set.
    var auditAnchor: URL?
    /// Days after a discussion concludes before its compartment's key is destroyed.
    var shredAfterDays = 0
    var disclosure = DisclosurePolicy()
    /// Headless Chromium for reports as PDF: `WELLPLAN_CHROMIUM`, or Debian's `chromium`; nil when neither is there.
    var chromium: String? = ReportPDF.installed
    /// The address the public reaches the server at (`WELLPLAN_PUBLIC_URL`), for links printed on paper;
    /// without it, the address the request came to.
    var publicURL: String?
    /// Where an upload streams in and is checked, and where a worker copies one out to import it
    /// (`WELLPLAN_UPLOADS`): beside the SQLite file by default, or in the working folder.
    var uploads: URL
    /// The day the rules read: the system's, or a fixed one in tests.
    var clock = Clock.system
    /// Pages are answered again while nothing they show has changed (`PageCache`), unless
    /// `WELLPLAN_PAGE_CACHE` is off; tests turn it off to compare a kept page with one rendered afresh.
    var keepsPages = true

    struct Key: StorageKey { typealias Value = Settings }

    init(store: Store, secureCookies: Bool = false, runsJobs: Bool = true) {
        self.store = store
        self.secureCookies = secureCookies
        self.runsJobs = runsJobs
        uploads = Self.uploads(beside: store)
    }

    static func uploads(beside store: Store) -> URL {
        guard case .sqlite(let path) = store else { return URL(fileURLWithPath: "wellplan-uploads") }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("wellplan-uploads")
    }

    static func auditAnchor(beside store: Store) -> URL {
        switch store {
        case .sqlite(let path): URL(fileURLWithPath: path + ".audit-anchor")
        case .postgres(_, let schema):
            URL(fileURLWithPath: "wellplan" + (schema.map { "-" + $0 } ?? "") + ".audit-anchor")
        }
    }

    /// Whether the command serves (`serve`, which `demo` becomes, is the default). Only a server works the
    /// job queue: a command runs the job it queued itself (`JobQueue.runHere`), and a worker beside it raced
    /// it for the claim, then was cancelled as the command ended, failing the job's first attempt.
    static func serves(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }

    init(environment: Environment) throws {
        if let url = Environment.get("DATABASE_URL"), !url.isEmpty {
            store = .postgres(url: url, schema: Environment.get("WELLPLAN_DATABASE_SCHEMA"))
        } else {
            store = .sqlite(path: Environment.get("WELLPLAN_DATABASE_PATH") ?? "wellplan.sqlite")
        }
        uploads =
            Environment.get("WELLPLAN_UPLOADS").flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? Self.uploads(beside: store)
        secureCookies = (Environment.get("WELLPLAN_PUBLIC_URL") ?? "").lowercased().hasPrefix("https://")
        runsJobs = Environment.get("WELLPLAN_JOBS") != "off" && Self.serves(environment.arguments)
        keepsPages = Environment.get("WELLPLAN_PAGE_CACHE") != "off"
        publicURL = Environment.get("WELLPLAN_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .flatMap { $0.isEmpty ? nil : $0 }
        compartmentCipher = try Self.masterKey()
        auditKey = try Self.auditKey()
        auditAnchor =
            Environment.get("WELLPLAN_AUDIT_ANCHOR").flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? Self.auditAnchor(beside: store)
        shredAfterDays = try Self.number("WELLPLAN_SHRED_AFTER_DAYS", default: 0)
        disclosure = DisclosurePolicy(
            publicMinimum: try Self.number("WELLPLAN_PUBLIC_MINIMUM", default: 10),
            partnerMinimum: try Self.number("WELLPLAN_PARTNER_MINIMUM", default: 5))
    }

    /// The master key from `WELLPLAN_MASTER_KEY` (base64 of 32 bytes) or from the file named by
    /// `WELLPLAN_MASTER_KEY_FILE`, which only its owner may read (mode 0600).
    static func masterKey() throws -> CompartmentCipher? {
        var text = Environment.get("WELLPLAN_MASTER_KEY")
        if text == nil || text!.isEmpty, let path = Environment.get("WELLPLAN_MASTER_KEY_FILE"), !path.isEmpty {
            text = try keyFile(path)
        }
        guard let text, !text.isEmpty else { return nil }
        do {
            return try CompartmentCipher(base64: text)
        } catch {
            throw SettingsError("the master key must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)")
        }
    }

    /// At least 32 bytes of secret, as text (`openssl rand -base64 32` gives one).
    static func auditKey() throws -> AuditKey? {
        var text = Environment.get("WELLPLAN_AUDIT_KEY")
        if text == nil || text!.isEmpty, let path = Environment.get("WELLPLAN_AUDIT_KEY_FILE"), !path.isEmpty {
            text = try keyFile(path).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let text, !text.isEmpty else { return nil }
        guard let key = AuditKey(text) else {
            throw SettingsError("the audit key must be at least 32 characters (e.g. `openssl rand -base64 32`)")
        }
        return key
    }

    static func keyFile(_ path: String) throws -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { throw SettingsError("the master key file \(path) cannot be read") }
        guard mode & 0o077 == 0 else {
            throw SettingsError(
                "the master key file \(path) may be read by others (mode \(String(mode, radix: 8))); run `chmod 600 \(path)`"
            )
        }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func number(_ name: String, default fallback: Int) throws -> Int {
        guard let text = Environment.get(name), !text.isEmpty else { return fallback }
        guard let n = Int(text), n >= 0 else {
            throw SettingsError("\(name) must be a whole number of 0 or more, not \(text)")
        }
        return n
    }
}

/// A setting the server cannot start with, said plainly.
struct SettingsError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Application {
    var settings: Settings {
        get { storage[Settings.Key.self]! }
        set { storage[Settings.Key.self] = newValue }
    }

    var clock: Clock { settings.clock }
}

extension Request {
    /// The day and time the rules read (`Settings.clock`).
    var clock: Clock { application.settings.clock }
}
