import Fluent
import Vapor
import WellplanCore

func configureCommands(_ app: Application) {
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(UserCommands(), as: "user")
    app.asyncCommands.use(TokenCommands(), as: "token")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(AuditCommands(), as: "audit")
    app.asyncCommands.use(ReportCommand(), as: "report")
    app.asyncCommands.use(ImportCommands(), as: "import")
    app.asyncCommands.use(ExportCommands(), as: "export")
    app.asyncCommands.use(PurgeCommand(), as: "purge")
    app.asyncCommands.use(GuardCommand(), as: "guard")
}

/// `wellplan migrate`: brings the database up to date (the server also does this at start).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Runs pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        context.console.print("Database is up to date.")
    }
}

struct UserCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        [
            "create": CreateUserCommand(), "list": ListUsersCommand(), "password": UserPasswordCommand(),
            "disable": ChangeUserCommand(change: .disable), "enable": ChangeUserCommand(change: .enable),
            "role": ChangeUserCommand(change: .role), "link": ChangeUserCommand(change: .link),
        ]
    }
    var help: String { "Manages accounts." }
}

extension CommandContext {
    func account(_ email: String?) async throws -> User {
        guard let email,
            let user = try await Accounts(db: application.db.sql, clock: application.clock).find(email: email)
        else {
            throw CommandFailure("no account with that --email")
        }
        return user
    }

    /// A password from standard input, or one generated (and printed once by the caller) when none is given.
    func password() throws -> (text: String, generated: Bool) {
        let typed =
            isatty(0) == 1
            ? console.ask("Password (empty to generate one)", isSecure: true) : (readLine(strippingNewline: true) ?? "")
        do {
            return try AccountChanges.password(typed.nilIfEmpty)
        } catch {
            throw CommandFailure("a password needs at least \(AccountChanges.shortestPassword) characters")
        }
    }
}

/// `wellplan user create --email E --name N --role R [--person ID]`: password from standard input, or generated and printed once.
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "name") var name: String?
        @Option(name: "role", help: "admin, coordinator or member") var role: String?
        @Option(name: "person", help: "the id of the person the account is (needed to work at a table)") var person:
            String?
    }
    var help: String { "Creates an account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let email = signature.email, let name = signature.name else {
            throw CommandFailure("--email and --name are required")
        }
        guard let role = signature.role.flatMap(Role.init(rawValue:)) else {
            throw CommandFailure("--role must be admin, coordinator or member")
        }
        let person = try signature.person.map { text in
            guard let id = UUID(uuidString: text) else { throw CommandFailure("--person must be a person's id") }
            return id
        }
        let password = try context.password()
        let hash = try await app.password.async.hash(password.text)
        do {
            let user = try await AccountChanges(db: app.db, author: .commandLine)
                .create(email: email, name: name, role: role, personId: person, passwordHash: hash)
            context.console.print("Created \(user.email) (\(role.rawValue)).")
        } catch let error as WellplanError {
            throw CommandFailure("no account created", error)
        }
        if password.generated { context.console.print("Password (shown once): \(password.text)") }
    }
}

/// `wellplan user list`: every account, its role, person and state.
struct ListUsersCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists the accounts." }

    func run(using context: CommandContext, signature: Signature) async throws {
        for user in try await Accounts(db: context.application.db.sql, clock: context.application.clock).all() {
            let state = user.disabled ? "disabled" : "active"
            context.console.print(
                "\(user.email)\t\(user.role.rawValue)\t\(state)\t\(user.personId?.uuidString ?? "no person")")
        }
    }
}

/// `wellplan user password --email E`: a new password from standard input, or generated and printed once.
struct UserPasswordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
    }
    var help: String { "Sets an account's password and ends its sessions." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let user = try await context.account(signature.email)
        let password = try context.password()
        try await AccountChanges(db: app.db, author: .commandLine).setPassword(
            user.id, hash: try await app.password.async.hash(password.text))
        context.console.print("Password set for \(user.email); its sessions are ended.")
        if password.generated { context.console.print("Password (shown once): \(password.text)") }
    }
}

/// `wellplan user disable|enable --email E`, `user role --email E --role R`, `user link --email E --person ID|none`.
struct ChangeUserCommand: AsyncCommand {
    enum Change { case disable, enable, role, link }
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "role", help: "admin, coordinator or member") var role: String?
        @Option(name: "person", help: "a person's id, or none") var person: String?
    }
    let change: Change
    var help: String {
        switch change {
        case .disable: "Disables an account and ends its sessions."
        case .enable: "Enables a disabled account."
        case .role: "Changes an account's role and ends its sessions."
        case .link: "Links an account to its person (who sits at tables), or unlinks it with --person none."
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let user = try await context.account(signature.email)
        var details = AccountChanges.details(of: user)
        switch change {
        case .disable: details.disabled = true
        case .enable: details.disabled = false
        case .role:
            guard let role = signature.role.flatMap(Role.init(rawValue:)) else {
                throw CommandFailure("--role must be admin, coordinator or member")
            }
            details.role = role
        case .link:
            guard let text = signature.person, text == "none" || UUID(uuidString: text) != nil else {
                throw CommandFailure("--person must be a person's id, or none")
            }
            details.personId = UUID(uuidString: text)
        }
        do {
            let after = try await AccountChanges(db: context.application.db, author: .commandLine).update(
                user.id, to: details)
            let state = after.disabled ? "disabled" : "active"
            context.console.print(
                "\(after.email): \(after.role.rawValue), \(state), person \(after.personId?.uuidString ?? "none").")
        } catch let error as WellplanError {
            throw CommandFailure("nothing changed", error)
        }
    }
}

struct TokenCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["create": CreateTokenCommand(), "list": ListTokensCommand(), "revoke": RevokeTokenCommand()]
    }
    var help: String { "Manages API tokens." }
}

/// `wellplan token create --email E [--label L] [--days N]`: prints a new API token once; only its hash is kept.
struct CreateTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "label") var label: String?
        @Option(name: "days", help: "days until it ends (365 unless given)") var days: Int?
    }
    var help: String { "Creates an API token for an account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let user = try await context.account(signature.email)
        do {
            let made = try await AccountChanges(db: context.application.db, author: .commandLine)
                .createToken(for: user.id, label: signature.label, days: signature.days)
            context.console.print(made.token)
        } catch let error as WellplanError {
            throw CommandFailure("no token created", error)
        }
    }
}

/// `wellplan token list --email E`: an account's tokens, with their ids and ends (never the tokens).
struct ListTokensCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
    }
    var help: String { "Lists an account's API tokens." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let user = try await context.account(signature.email)
        for token in try await Accounts(db: context.application.db.sql, clock: context.application.clock).tokens(
            of: user.id)
        {
            let state = token.hasEnded(at: context.application.clock.now) ? "ended" : "ends"
            context.console.print(
                "\(token.id)\t\(token.label ?? "")\tcreated \(token.createdAt)\t\(state) \(token.expiresAt)")
        }
    }
}

/// `wellplan token revoke --email E --id ID`: the token answers 401 from its next request.
struct RevokeTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "id") var id: String?
    }
    var help: String { "Revokes one of an account's API tokens." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let user = try await context.account(signature.email)
        guard let id = signature.id.flatMap(UUID.init(uuidString:)) else {
            throw CommandFailure("--id must be a token's id (token list shows them)")
        }
        do {
            try await AccountChanges(db: context.application.db, author: .commandLine).revokeToken(id, of: user.id)
        } catch WellplanError.notFound {
            throw CommandFailure("\(user.email) has no token \(id)")
        }
        context.console.print("Revoked.")
    }
}

/// `wellplan backup FILE`: queued as a job like the web's backup, and run here with a progress bar.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
    }
    var help: String { "Writes the whole database to FILE (JSON lines)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let path = URL(fileURLWithPath: signature.file).path
        let queued = try await JobQueue.enqueue(
            BackupJob.self, payload: path, on: app.db.sql, .commandLine, maxAttempts: 1)
        let done = try await JobQueue.runHere(queued, context)
        guard done.state == .succeeded else { throw CommandFailure("backup failed: \(done.error ?? "unknown error")") }
        context.console.print("Backup written: \(done.result ?? path)")
    }
}

/// `wellplan restore FILE`: replaces the database's contents with a backup, all or nothing.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file") var file: String
    }
    var help: String { "Replaces all data with the contents of a backup FILE." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let bar = ProgressBar(console: context.console)
        do {
            let summary = try await Backup.restore(
                from: URL(fileURLWithPath: signature.file), db: app.db, auditKey: app.settings.auditKey
            ) { f, m in
                bar.show(f, m)
            }
            bar.finish()
            // The restored log replaces the anchored one; the anchor starts again from its head.
            if let anchor = app.settings.auditAnchor {
                try await AuditAnchor.restart(
                    on: app.db.sql, file: anchor, key: app.settings.auditKey, at: app.clock.now)
            }
            context.console.print("Restored \(summary.total) rows in \(summary.rows.count) tables.")
        } catch let error as WellplanError {
            bar.finish()
            throw CommandFailure("nothing restored", error)
        }
    }
}

/// `wellplan purge`: shreds now every situation-table compartment whose day has come, through the job the
/// hourly sweep queues, for a coordinator who will not wait the hour (or runs no server).
struct PurgeCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Shreds every situation-table compartment that is due." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let queued = try await JobQueue.enqueue(
            ShredJob.self, payload: "", on: context.application.db.sql, .commandLine, maxAttempts: 1)
        let done = try await JobQueue.runHere(queued, context)
        guard done.state == .succeeded else {
            throw CommandFailure("nothing shredded: \(done.error ?? "unknown error")")
        }
        context.console.print("Compartments shredded: \(done.result ?? "0").")
    }
}

struct AuditCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["verify": VerifyAuditCommand()] }
    var help: String { "Checks the audit log." }
}

/// `wellplan audit verify [--backup FILE]`: walks the hash chain and reports the first broken link; with a
/// backup, also checks that the log still holds the head the backup recorded (signed, where a key is set),
/// which finds a log cut short or chained anew since.
struct VerifyAuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "backup", help: "a backup whose recorded audit head the log must still hold") var backup: String?
    }
    var help: String { "Verifies the audit log's hash chain." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let (broken, checked) = try await AuditLog.firstBrokenLink(on: app.db.sql)
        if let broken {
            throw CommandFailure("audit log broken at entry \(broken) (\(checked) entries before it are intact)")
        }
        if let anchor = app.settings.auditAnchor,
            let problem = try await AuditAnchor.problem(on: app.db.sql, file: anchor, key: app.settings.auditKey)
        {
            throw CommandFailure(problem)
        }
        if let path = signature.backup {
            let end: BackupFile.End
            do {
                end = try await Backup.check(
                    URL(fileURLWithPath: path), target: try await DatabaseCatalogue.read(app.db.sql), migrations: nil,
                    auditKey: app.settings.auditKey)
            } catch let error as WellplanError {
                throw CommandFailure("the backup cannot be used", error)
            }
            if let head = end.auditHead, try await !AuditLog.holds(head, on: app.db.sql) {
                throw CommandFailure(
                    "the audit log no longer holds entry \(head.seq) as the backup recorded it: it was cut short or chained anew"
                )
            }
            context.console.print(
                "Audit log intact: \(checked) entries, the backup's head (entry \(end.auditHead?.seq ?? 0)) among them."
            )
            return
        }
        context.console.print("Audit log intact: \(checked) entries.")
    }
}

extension JobQueue {
    /// Runs a job the command line has just queued here, with a progress bar, and returns it as it ended.
    /// A server sharing the database may have claimed it first; then the command points to its page.
    static func runHere(_ queued: Job, _ context: CommandContext) async throws -> Job {
        let app = context.application
        guard let job = try await claim(on: app.db.sql, worker: "command-line", only: queued.id, at: app.clock.now)
        else {
            throw CommandFailure("the job was taken by a running server; follow it at /jobs/\(queued.id)")
        }
        let bar = ProgressBar(console: context.console)
        _ = await run(job, db: app.db, settings: app.settings, logger: app.logger) { fraction, message in
            bar.show(fraction, message)
        }
        bar.finish()
        return try await find(job.id, on: app.db.sql) ?? job
    }
}

/// The record a command works on: the one named by its option, or the only one there is.
enum CommandSubject {
    static func chosen(_ given: String?, among candidates: [(id: UUID, name: String)], option: String) throws -> UUID {
        if candidates.isEmpty { throw CommandFailure("there is nothing to choose with --\(option) yet") }
        let list = candidates.map { "  \($0.id)  \($0.name)" }.joined(separator: "\n")
        if let given {
            guard let id = UUID(uuidString: given), candidates.contains(where: { $0.id == id }) else {
                throw CommandFailure("--\(option) \(given) is none of these:\n\(list)")
            }
            return id
        }
        guard candidates.count == 1 else { throw CommandFailure("choose one with --\(option):\n\(list)") }
        return candidates[0].id
    }

    /// The same among records, returning the record chosen.
    static func chosen<R: Record>(_ given: String?, among records: [R], option: String, named name: (R) -> String)
        throws -> R
    {
        let id = try chosen(given, among: records.map { ($0.id, name($0)) }, option: option)
        return records.first { $0.id == id }!
    }

    static func situationTable(_ given: String?, _ app: Application) async throws -> PartnerTable {
        let tables = try await Records(db: app.db.sql).list(PartnerTable.self).filter { $0.kind == .situationTable }
        return try chosen(given, among: tables, option: "table", named: \.nameEn)
    }
}

/// A command that could not do its work; the message is printed and the exit status is 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    /// What was refused, with each problem's field (an option, or a file's line) and message.
    init(_ lead: String, _ problems: [FieldProblem]) {
        description = lead + ": " + problems.map { "\($0.field): \($0.message(.en))" }.joined(separator: "; ")
    }

    /// What was refused, worded as the web words it.
    init(_ lead: String, _ error: WellplanError) {
        switch error {
        case .invalid(let problems): self.init(lead, problems)
        case .conflict(let key): self.init(lead + ": " + Catalogue.shared.text(key, .en))
        case .notFound(let what): self.init(lead + ": no such \(what)")
        case .forbidden: self.init(lead + ": " + Catalogue.shared.text("error_forbidden", .en))
        }
    }
}

/// A text progress bar on the terminal, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    let console: any Console
    init(console: any Console) { self.console = console }

    func show(_ fraction: Double, _ message: String?) {
        let width = 30, filled = Int((fraction * Double(width)).rounded())
        let line =
            "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            + String(format: "%3d%%", Int((fraction * 100).rounded())) + " " + (message ?? "")
        FileHandle.standardError.write(Data(("\r" + line.padding(toLength: 70, withPad: " ", startingAt: 0)).utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
