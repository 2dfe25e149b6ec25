import Foundation
import HISContract
import Kafka
import Persistence
import PostgresNIO
import TrafficGenerator

// The physical limits the benchmarks report their figures against, measured in the same run.

/// What a raw COPY of the rows intake writes for `traffic` takes: the claim rows, then their
/// traceability codes (a dozen or more a claim), each into a table shaped like intake's (`LIKE …
/// INCLUDING ALL`: the same indexes), in the public schema (PostgresNIO quotes the COPY target as
/// one identifier), on one connection. Until session 24 the baseline was the claim rows alone
/// (`claimsAlone`), though the bulk path writes both.
struct CopyBaseline {
    var claimsAlone: Duration
    var codes: Duration
    /// The code rows copied (a code twice on one claim is one row, as intake stores it).
    var traceCodes: Int
    /// The write-ahead log the two COPYs wrote, in bytes.
    var walBytes: Int
    var rows: Duration { claimsAlone + codes }
}

/// Where PostgreSQL's write-ahead log stands, in bytes from its start: the difference between two
/// readings is what every session wrote between them (exact, where `pg_stat_wal`'s counters lag
/// by a backend's flush interval). What a claim costs in WAL is what the disk and the WAL writer
/// pay for it, and a COPY writes the least a row can cost.
func walPosition(_ database: Database) async throws -> Int {
    try await scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::int8", database)
}

func copyBaseline(_ traffic: [LabeledSettlement], _ database: Database) async throws -> CopyBaseline {
    let suffix = UUID().uuidString.prefix(6).lowercased()
    let claims = "bench_copy_\(suffix)", codes = "bench_copy_codes_\(suffix)"
    for (table, like) in [(claims, "intake.claims"), (codes, "intake.claim_trace_codes")] {
        try await database.client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (LIKE \(like) INCLUDING ALL)"))
    }
    defer { Task { _ = try? await database.client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(claims), \(codes)")) } }
    let encoder = HISJSON.encoder
    var claimRows = "", codeRows = "", traceCodes = 0
    for (n, settlement) in traffic.enumerated() {
        let e = settlement.encounter, payload = String(decoding: try encoder.encode(settlement.patient), as: UTF8.self)
        let claimID = "\(e.medinsId)/\(e.mdtrtId)/\(e.setlId ?? "")-\(n)"
        let fields = [claimID, e.medinsId, e.mdtrtId + "-\(n)", e.setlId ?? "", "1", "\\N",
                      settlement.patient.patnId, "bench", "6", e.admDate, payload, "2026-11-27 00:00:00+08",
                      e.drCodg ?? "\\N", e.medMdtrtType == "2" ? "inpatient" : "outpatient", e.dscgDate]
        claimRows += fields.map(copyEscaped).joined(separator: "\t") + "\n"
        for code in Set(e.fsiOrderDtos.flatMap { $0.drugTracCodg ?? [] }) {
            codeRows += copyEscaped(code) + "\t" + copyEscaped(claimID) + "\n"
            traceCodes += 1
        }
    }
    let claimBuffer = ByteBuffer(string: claimRows), codeBuffer = ByteBuffer(string: codeRows)
    let walBefore = try await walPosition(database)
    return try await database.client.withConnection { connection in
        let clock = ContinuousClock()
        let claimsAlone = try await clock.measure {
            try await connection.copyFrom(table: claims, logger: database.logger) { writer in try await writer.write(claimBuffer) }
        }
        let codes = try await clock.measure {
            try await connection.copyFrom(table: codes, logger: database.logger) { writer in try await writer.write(codeBuffer) }
        }
        return CopyBaseline(claimsAlone: claimsAlone, codes: codes, traceCodes: traceCodes, walBytes: try await walPosition(database) - walBefore)
    }
}

private func copyEscaped(_ field: String) -> String {
    field == "\\N" ? field : field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
        .replacingOccurrences(of: "\n", with: "\\n")
}

/// Runs rdkafka_performance and reads the msgs/s of its last summary line.
func rdkafkaPerformance(_ options: BenchOptions, _ arguments: [String]) throws -> Double {
    let process = Process(), pipe = Pipe()
    process.executableURL = URL(fileURLWithPath: options.rdkafkaPerformance)
    process.arguments = arguments + ["-b", options.brokers]
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let summary = output.split(separator: "\n").last { $0.contains("msgs/s") } ?? ""
    let words = summary.split(separator: " ")
    guard let index = words.firstIndex(of: "msgs/s"), index > 0, let value = Double(words[index - 1]) else {
        throw KafkaError("cannot read rdkafka_performance output: \(output.suffix(300))")
    }
    return value
}
