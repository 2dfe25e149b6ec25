import Foundation
import HISContract
import Kafka
import Persistence
import PostgresNIO
import TrafficGenerator

// The physical limits the benchmarks report their figures against, measured in the same run.

/// The same claim rows through COPY into a table shaped like intake.claims (same indexes), in
/// the public schema (PostgresNIO quotes the COPY target as one identifier).
func copyBaseline(_ traffic: [LabeledSettlement], _ database: Database) async throws -> Duration {
    let table = "bench_copy_\(UUID().uuidString.prefix(6).lowercased())"
    try await database.client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (LIKE intake.claims INCLUDING ALL)"))
    defer { Task { _ = try? await database.client.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)")) } }
    let encoder = HISJSON.encoder
    var text = ""
    for (n, settlement) in traffic.enumerated() {
        let e = settlement.encounter, payload = String(decoding: try encoder.encode(settlement.patient), as: UTF8.self)
        let fields = ["\(e.medinsId)/\(e.mdtrtId)/\(e.setlId ?? "")-\(n)", e.medinsId, e.mdtrtId + "-\(n)", e.setlId ?? "", "1", "\\N",
                      settlement.patient.patnId, "bench", "6", e.admDate, payload, "2026-11-27 00:00:00+08",
                      e.drCodg ?? "\\N", e.medMdtrtType == "2" ? "inpatient" : "outpatient", e.dscgDate]
        text += fields.map(copyEscaped).joined(separator: "\t") + "\n"
    }
    let buffer = ByteBuffer(string: text)
    return try await ContinuousClock().measure {
        try await database.client.withConnection { connection in
            try await connection.copyFrom(table: table, logger: database.logger) { writer in try await writer.write(buffer) }
        }
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
