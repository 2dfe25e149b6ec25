import Events
import Foundation
import ReferenceData
import HISContract
import Logging
import Persistence
import PostgresNIO
import ServiceKit
import SettlementValidation
import Synchronization

/// The backfill path: NDJSON, one 3102 `patient_dtos` record per line, every encounter a
/// settlement. Unlike a national call, a backfill keeps its good lines: each bad line is
/// reported with its line number and fields, and the rest is recorded in chunks of at most 1,000
/// claims per transaction, shared with the pushes that arrive meanwhile (`GroupCommit`). Sending the
/// same file again records nothing twice.
///
/// The claims go to several lanes at once, each its own group commit and so its own transaction
/// on its own PostgreSQL session: one lane's rounds ran one after another, each waiting for the
/// previous one's statements and commit while a core stood idle (`bench.sh intake`). An
/// encounter always takes the same lane, so its settlements are numbered in the order of the file
/// (a correction after the settlement it corrects); encounters of different lanes need no order.
struct BulkIntake: Sendable {
    let reference: ReferenceData
    /// The bulk lanes (`INTAKE_BULK_LANES`), at least one.
    let lanes: [GroupCommit]
    /// The producer's `message.max.bytes`: a settlement whose event would not fit is refused.
    let maxEventBytes: Int
    /// Where a backfill's lines are read and checked: off the event loops that answer the 3102
    /// calls (`LowPriorityExecutor`); nil, on the caller's. Its rounds are not: a round there
    /// kept its transaction open while the thread waited for a core (3101 p99 during a backfill
    /// 132-154 ms with the rounds moved too, 84-104 ms with the checks alone, 158-181 ms before).
    var executor: LowPriorityExecutor? = nil
    var chunkSize = 1_000
    /// Lines checked between two yields, so that the backfills checked at once take turns; their
    /// drafts are handed to the lanes at each turn.
    static let linesPerTurn = 256

    struct Report: Encodable, Sendable {
        var batch: String
        var lines: Int
        var accepted: Int
        var duplicates: Int
        var rejected: [RejectedLine]
    }

    struct RejectedLine: Encodable, Sendable {
        var line: Int
        var errors: [String]
    }

    func push(ndjson: Data, batch: String, institution: String, traceparent: String) async throws -> Report {
        let queues = lanes.map { _ in CheckedDrafts() }
        // Nothing in the group throws: a task group cancels its tasks when an error leaves it, and a
        // lane's task may be leading a round that carries other requests' claims too (a round
        // cancelled under them answered them 500 in a fault run). Every lane ends, then the first
        // error is the request's.
        let (checked, recorded) = await withTaskGroup(of: Result<[RecordedClaim], any Error>.self) { group in
            for (lane, queue) in zip(lanes, queues) {
                group.addTask {
                    do { return .success(try await record(queue, through: lane)) } catch { return .failure(error) }
                }
            }
            // The lines are checked while the lanes record those already checked (the checks of a
            // request of 2,000 lines took as long as its rounds, and each waited for the other).
            // No executor, no preference: the checks run where the request does.
            let checked: Result<Report, any Error> = await withTaskExecutorPreference(executor) {
                defer { for queue in queues { queue.finish() } }
                do {
                    return .success(try await check(ndjson, batch: batch, institution: institution, traceparent: traceparent) { drafts in
                        for (queue, mine) in zip(queues, Self.byLane(drafts, lanes: lanes.count)) where !mine.isEmpty { queue.add(mine) }
                    })
                } catch { return .failure(error) }
            }
            return (checked, await group.reduce(into: []) { $0.append($1) })
        }
        var report = try checked.get()
        let claims = try recorded.flatMap { try $0.get() }
        report.accepted = claims.filter(\.isNew).count
        report.duplicates = claims.count - report.accepted
        return report
    }

    /// A lane's drafts as they are checked, in their order: what gathered while the previous round
    /// ran, up to a chunk, a round.
    private func record(_ checked: CheckedDrafts, through lane: GroupCommit) async throws -> [RecordedClaim] {
        var recorded: [RecordedClaim] = []
        for await drafts in checked.gathered {
            for start in stride(from: 0, to: drafts.count, by: chunkSize) {
                recorded += try await lane.record(Array(drafts[start..<min(start + chunkSize, drafts.count)]))
            }
        }
        return recorded
    }

    /// The drafts of each lane, in the file's order: an encounter's lane by a hash of its two ids.
    static func byLane(_ drafts: [ClaimDraft], lanes: Int) -> [[ClaimDraft]] {
        var byLane = Array(repeating: [ClaimDraft](), count: lanes)
        for draft in drafts { byLane[lane(of: draft.encounter, lanes: lanes)].append(draft) }
        return byLane
    }

    /// FNV-1a over the institution and the encounter ids: the same lane in every process and run.
    static func lane(of encounter: Encounter, lanes: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        mix(encounter.medinsId.utf8)
        mix(CollectionOfOne(0))
        mix(encounter.mdtrtId.utf8)
        return Int(hash % UInt64(lanes))
    }

    /// Each line read and checked: the report of the bad ones; the drafts of the good are handed
    /// on a turn (`linesPerTurn`) at a time.
    private func check(_ ndjson: Data, batch: String, institution: String, traceparent: String,
                       handing hand: ([ClaimDraft]) -> Void) async throws -> Report {
        let validator = SettlementValidator(registry: try reference.knowledgeBase, institution: institution, now: .chinaNow(),
                                            maxEventBytes: maxEventBytes)
        var report = Report(batch: batch, lines: 0, accepted: 0, duplicates: 0, rejected: [])
        var drafts: [ClaimDraft] = []
        for (index, line) in Self.lines(of: ndjson).enumerated() where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
            report.lines += 1
            if report.lines % Self.linesPerTurn == 0 {
                hand(drafts)
                drafts = []
                await Task.yield()
            }
            do {
                let (patient, strict) = try Patient.scan(json: line)
                let issues = validator.validate(patient, path: "line \(index + 1)", settling: true, receivedBytes: line.count)
                guard issues.isEmpty else {
                    report.rejected.append(RejectedLine(line: index + 1, errors: issues.map(\.description)))
                    continue
                }
                var split = ClaimDraft.split(patient, msgid: "bulk:\(batch)", trigScen: 0, traceparent: traceparent)
                // Writing the record again was ~90 µs a claim (scripts/profile.sh); the line is the record.
                if strict, validator.carriesAsReceived(line.count, patient) { split[0].received = Array(line) }
                drafts += split
            } catch let error as DecodingError {
                report.rejected.append(RejectedLine(line: index + 1, errors: [issue(from: error).description]))
            }
        }
        hand(drafts)
        return report
    }
}

/// The drafts of one lane checked and not yet recorded.
private final class CheckedDrafts: Sendable {
    private let waiting = Mutex<[ClaimDraft]>([])
    /// Rung when drafts are added; rings once for any number of additions not yet taken.
    private let bell = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    func add(_ drafts: [ClaimDraft]) {
        waiting.withLock { $0 += drafts }
        bell.continuation.yield()
    }

    /// No more drafts: `gathered` ends once the last are taken.
    func finish() { bell.continuation.finish() }

    /// All the drafts added since the last taken, each time some are.
    var gathered: some AsyncSequence<[ClaimDraft], Never> {
        bell.stream.map { [self] in take() }.filter { !$0.isEmpty }
    }

    private func take() -> [ClaimDraft] {
        waiting.withLock { drafts in
            defer { drafts = [] }
            return drafts
        }
    }
}

extension BulkIntake {
    /// The body's lines, numbered as an editor numbers them. Found over the raw bytes: splitting
    /// `Data` byte by byte through its generic index cost ~100 µs a claim (scripts/profile.sh), and
    /// a loop over each byte of the array still ~8 µs a line of 3 KB (2.7% of intake's CPU) where
    /// `memchr` takes a word at a time. A line's trailing carriage return (CRLF files) is left out,
    /// so that a line carried as the record holds the record alone.
    static func lines(of ndjson: Data) -> [ArraySlice<UInt8>] {
        let bytes = [UInt8](ndjson)
        var lines: [ArraySlice<UInt8>] = [], start = 0
        func line(_ end: Int) -> ArraySlice<UInt8> {
            end > start && bytes[end - 1] == UInt8(ascii: "\r") ? bytes[start..<(end - 1)] : bytes[start..<end]
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while start < buffer.count, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), buffer.count - start) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                lines.append(line(index))
                start = index + 1
            }
        }
        if start < bytes.count { lines.append(line(bytes.count)) }
        return lines
    }
}

extension ClaimDraft {
    /// One draft per encounter of a patient record.
    static func split(_ patient: Patient, msgid: String, trigScen: Int, traceparent: String?) -> [ClaimDraft] {
        // Most records carry one encounter: the record itself, not a copy of it around a new array.
        if patient.fsiEncounterDtos.count == 1 { return [ClaimDraft(patient: patient, msgid: msgid, trigScen: trigScen, traceparent: traceparent)] }
        return patient.fsiEncounterDtos.map { encounter in
            var single = patient
            single.fsiEncounterDtos = [encounter]
            return ClaimDraft(patient: single, msgid: msgid, trigScen: trigScen, traceparent: traceparent)
        }
    }
}

/// Hospitals that push through Kafka (`his.settlements`, key `medins_id`): each record a 3102
/// `patient_dtos` record. The topic's ACLs authenticate the producer; the record is checked as
/// a bulk line and recorded exactly once (the processor's inbox and the claim key).
struct KafkaSettlements: Sendable {
    let reference: ReferenceData
    let store: ClaimStore
    let maxEventBytes: Int

    struct Rejected: PermanentEventError, CustomStringConvertible {
        let description: String
    }

    func apply(_ event: CloudEvent, on connection: PostgresConnection) async throws {
        let patient: Patient
        do {
            patient = try Patient.read(json: event.data)
        } catch let error as DecodingError {
            throw Rejected(description: issue(from: error).description)
        }
        guard let institution = patient.fsiEncounterDtos.first?.medinsId else { throw Rejected(description: "fsi_encounter_dtos: is empty") }
        let issues = SettlementValidator(registry: try reference.knowledgeBase, institution: institution, now: .chinaNow(),
                                         maxEventBytes: maxEventBytes)
            .validate(patient, path: "record", settling: true, receivedBytes: event.data.count)
        guard issues.isEmpty else { throw Rejected(description: errorMessage(issues)) }
        _ = try await store.record(ClaimDraft.split(patient, msgid: "kafka:\(event.id)", trigScen: 0, traceparent: event.traceparent),
                                   on: connection)
    }
}
