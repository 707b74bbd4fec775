import Fluent
import SQLKit
import Vapor
import WellplanCore

/// Sessions kept in the database, with an end: a session lasts `idle` from the last request that used it and
/// no more than `longest` from sign-in, whatever the browser keeps. Only a digest of the session id is stored,
/// so the table does not hand out sign-ins; a session with nothing in it is not stored at all; a request that
/// changes nothing writes only when the last one it recorded is a few minutes old.
struct DatabaseSessions: AsyncSessionDriver {
    static let idle: TimeInterval = 8 * 3600
    static let longest: TimeInterval = 24 * 3600
    /// How stale the recorded last use may get before an unchanged request writes it again.
    static let touch: TimeInterval = 300

    /// What the request's session looked like when it was read, so that an unchanged one is not written again.
    private struct Read: StorageKey {
        typealias Value = (data: [String: String], created: Timestamp, lastSeen: Timestamp)
    }

    static func key(_ id: SessionID) -> String {
        Accounts.digest(id.string)
    }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64URL)
        guard !data.snapshot.isEmpty else { return id }
        let now = request.clock.now
        try await request.sql.insert(into: "sessions")
            .columns("key", "data", "user_id", "created_at", "last_seen_at", "expires_at")
            .values(
                SQLBind(Self.key(id)), SQLBind(Self.encode(data)), SQLBind(Self.user(data)), SQLBind(now), SQLBind(now),
                SQLBind(now.adding(seconds: Self.idle))
            ).run()
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard
            let row = try await request.sql.select().columns("data", "created_at", "last_seen_at").from("sessions")
                .where("key", .equal, SQLBind(Self.key(sessionID))).where(
                    "expires_at", .greaterThan, SQLBind(request.clock.now)
                ).first()
        else { return nil }
        let data =
            (try? JSONDecoder().decode(
                [String: String].self, from: Data(try row.decode(column: "data", as: String.self).utf8))) ?? [:]
        request.storage[Read.self] = (
            data, try row.decode(column: "created_at", as: Timestamp.self),
            try row.decode(column: "last_seen_at", as: Timestamp.self)
        )
        return SessionData(initialData: data)
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        let now = request.clock.now
        if let read = request.storage[Read.self], read.data == data.snapshot,
            now.date.timeIntervalSince(read.lastSeen.date) < Self.touch
        {
            return sessionID
        }
        guard let read = request.storage[Read.self] else {
            // Not stored yet (it was empty, or had ended): stored now under a new id.
            return try await createSession(data, for: request)
        }
        let ends = min(now.adding(seconds: Self.idle), read.created.adding(seconds: Self.longest))
        try await request.sql.update("sessions")
            .set("data", to: SQLBind(Self.encode(data))).set("user_id", to: SQLBind(Self.user(data)))
            .set("last_seen_at", to: SQLBind(now)).set("expires_at", to: SQLBind(ends))
            .where("key", .equal, SQLBind(Self.key(sessionID))).run()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await request.sql.delete(from: "sessions").where("key", .equal, SQLBind(Self.key(sessionID))).run()
    }

    private static func encode(_ data: SessionData) -> String {
        AuditLog.json(data.snapshot)
    }

    /// The account signed in to the session, so that its sessions can be ended with it.
    private static func user(_ data: SessionData) -> UUID? {
        data.snapshot["_" + String(describing: User.self) + "Session"].flatMap(UUID.init(uuidString:))
    }

    /// Ends every session of an account (disabled, its password or role changed).
    static func end(for user: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "sessions").where("user_id", .equal, SQLBind(user)).run()
    }

    /// Removes sessions that have ended; the hourly sweep calls it.
    static func sweep(on sql: any SQLDatabase, at now: Timestamp) async throws {
        try await sql.delete(from: "sessions").where("expires_at", .lessThanOrEqual, SQLBind(now)).run()
    }
}
