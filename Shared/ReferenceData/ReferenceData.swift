import Foundation
import Hummingbird
import KnowledgeBase
import Logging
import Persistence
import PostgresNIO
import RuleEngine

/// The knowledge base a service checks against (institutions, practitioners, the insured-person
/// registry, catalogues), kept in the service's own schema (`reference_files`) and in memory,
/// with the rule engine built over it. An operator replaces a file while the service runs;
/// every replica picks the new version up within seconds (`ReferenceFollower`).
public final class ReferenceData: @unchecked Sendable {
    private let database: Database
    private let seedDirectory: String
    private let lock = NSLock()
    private var current: (kb: KnowledgeBase, engine: RuleEngine)?

    /// The table the files are kept in, as a migration of the owning service's schema.
    public static func migration(_ version: Int) -> Migration {
        Migration(version, "reference files", """
            CREATE TABLE {schema}.reference_files (
              name text PRIMARY KEY,
              content text NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now());
            """)
    }

    public init(database: Database, seedDirectory: String) {
        self.database = database
        self.seedDirectory = seedDirectory
    }

    /// The loaded knowledge base; 503 until the first load finished.
    public var knowledgeBase: KnowledgeBase { get throws { try loaded().kb } }
    public var engine: RuleEngine { get throws { try loaded().engine } }
    public var isLoaded: Bool { lock.withLock { current != nil } }

    private func loaded() throws -> (kb: KnowledgeBase, engine: RuleEngine) {
        guard let current = lock.withLock({ current }) else {
            throw HTTPError(.serviceUnavailable, message: "reference data is not loaded yet; retry shortly")
        }
        return current
    }

    /// Loads the stored files, seeding them from the reference directory on first start.
    public func load() async throws {
        var files = try await storedFiles()
        if files.isEmpty {
            let directory = URL(fileURLWithPath: seedDirectory)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
            for name in names { files[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }
            try await store(files)
        }
        try install(files)
    }

    /// Replaces one file. A file that does not parse is refused with the error naming line and
    /// column, and nothing changes.
    /// `record` runs in the transaction that stores the file (the operator's audit entry), given the new version.
    public func replace(_ name: String, content: String,
                        record: @escaping @Sendable (PostgresConnection, String) async throws -> Void = { _, _ in }) async throws -> String {
        var files = try await storedFiles()
        files[name] = content
        let kb = try KnowledgeBase(files: files)
        let version = kb.version
        try await store([name: content]) { connection in try await record(connection, version) }
        install(kb)
        return kb.version
    }

    /// Picks up a file another replica stored.
    public func refreshIfChanged() async throws {
        let files = try await storedFiles()
        if KnowledgeBase.fingerprint(files) != (try? knowledgeBase.version) { try install(files) }
    }

    private func install(_ files: [String: String]) throws { install(try KnowledgeBase(files: files)) }

    /// Installs a rule-base version over the current knowledge base (published by smart-review).
    public func install(rules: RuleSet) throws {
        try lock.withLock {
            guard let kb = current?.kb else { throw HTTPError(.serviceUnavailable, message: "reference data is not loaded yet") }
            current = (kb, RuleEngine(knowledgeBase: kb, rules: rules, sanctions: current?.engine.sanctions ?? .empty))
        }
    }

    /// Installs credit's sanctions as followed from `credit.changes` (`SanctionFollower`).
    public func install(sanctions: SanctionRegister) throws {
        try lock.withLock {
            guard let current else { throw HTTPError(.serviceUnavailable, message: "reference data is not loaded yet") }
            self.current = (current.kb, RuleEngine(knowledgeBase: current.kb, rules: current.engine.rules, sanctions: sanctions))
        }
    }

    private func install(_ kb: KnowledgeBase) {
        lock.withLock {
            current = (kb, RuleEngine(knowledgeBase: kb, rules: current?.engine.rules ?? .defaults, sanctions: current?.engine.sanctions ?? .empty))
        }
        database.logger.info("reference data installed", metadata: ["version": "\(kb.version)"])
    }

    private func storedFiles() async throws -> [String: String] {
        var files: [String: String] = [:]
        let rows = try await database.query("SELECT name, content FROM \(unescaped: database.schema).reference_files", logger: database.logger)
        for try await (name, content) in rows.decode((String, String).self) { files[name] = content }
        return files
    }

    private func store(_ files: [String: String],
                       also: @escaping @Sendable (PostgresConnection) async throws -> Void = { _ in }) async throws {
        try await database.transaction { [database] connection in
            for (name, content) in files {
                try await connection.query("""
                    INSERT INTO \(unescaped: database.schema).reference_files (name, content) VALUES (\(name), \(content))
                    ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content, updated_at = now()
                    """, logger: database.logger)
            }
            try await also(connection)
        }
    }
}
