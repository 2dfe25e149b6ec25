import Events
import Foundation
import ReferenceData
import HISContract
import Logging
import Metrics
import Persistence
import PostgresNIO
import RuleEngine
import SettlementValidation

/// The hospitals' door (数据采集与接入) for the national interfaces: 3101 checks and answers,
/// 3102 records settlements as claims and answers with the findings known now, 3103 records the
/// doctor's answer to a warning. The same `msgid` twice is one message and gets the first answer.
/// A batch is all or nothing: one bad record refuses the whole call, naming every bad field, so
/// that a message is never half-applied and its retry is unambiguous.
protocol HospitalGateway: Sendable {
    func handle(body: Data, institution: String, traceparent: String) async throws -> Data
}

struct DefaultHospitalGateway: HospitalGateway {
    let database: Database
    let reference: ReferenceData
    /// Where settlement calls are answered and recorded, in rounds shared with the bulk pushes.
    let commits: GroupCommit
    var store: ClaimStore { commits.store }
    let maxPatients: Int
    /// The producer's `message.max.bytes`: a settlement whose event would be larger is refused.
    let maxEventBytes: Int

    /// Just the envelope, read first to find the message id and the interface.
    private struct Envelope: Decodable {
        var infno: String
        var msgid: String
        var fixmedinsCode: String

        enum CodingKeys: String, CodingKey {
            case infno, msgid
            case fixmedinsCode = "fixmedins_code"
        }

        /// The three members by the scanner (the rest of the call is skipped, not parsed), else
        /// Foundation's decoder and its error.
        static func read(_ body: Data) throws -> Envelope {
            let scanned = try? JSONScanner.read(body) { json in
                var head: [CodingKeys: String] = [:]
                try json.object { json, key in
                    if let member = CodingKeys(rawValue: key) { head[member] = try json.string() } else { try json.skipValue() }
                }
                guard let infno = head[.infno], let msgid = head[.msgid], let code = head[.fixmedinsCode] else { throw json.mismatch() }
                return Envelope(infno: infno, msgid: msgid, fixmedinsCode: code)
            }
            return try scanned ?? HISJSON.decoder.decode(Envelope.self, from: body)
        }
    }

    func handle(body: Data, institution: String, traceparent: String) async throws -> Data {
        let (answer, infno, infcode) = try await respond(body: body, institution: institution, traceparent: traceparent)
        Counter(label: "his_answers_total", dimensions: [("infno", infno), ("infcode", infcode)]).increment()
        return answer
    }

    /// The answer, the interface it answered (as sent, when it is one of the three) and its
    /// infcode ("0", "-1", or "replayed" for a message answered before).
    private func respond(body: Data, institution: String, traceparent: String) async throws -> (Data, String, String) {
        let envelope: Envelope
        do {
            envelope = try Envelope.read(body)
        } catch let error as DecodingError {
            return (try Answer.refusal(msgid: "", [issue(from: error)]), "unknown", "-1")
        }
        let infno = ["3101", "3102", "3103"].contains(envelope.infno) ? envelope.infno : "unknown"
        // Such a msgid cannot be a key of the message log (PostgreSQL refuses NUL in text and index
        // rows over ~2.7 kB): refused without being remembered. Found by the fuzz tests (was a 500).
        if let problem = FeedbackValidation.unstorable(envelope.msgid, limit: DataDictionary.length("msgid")!) {
            return (try Answer.refusal(msgid: "", [.init("msgid", problem)]), infno, "-1")
        }
        // A retried msgid gets its first answer. A 3102 settlement finds it in its round instead (the
        // msgid is taken there, or the call is `Raced` and replays the answer below): a statement
        // fewer for each of the most frequent calls, where a retry is the exception.
        if envelope.infno != "3102", let stored = try await MessageLog(database: database).answer(to: envelope.msgid, institution: institution) {
            return (stored, infno, "replayed")
        }
        do {
            return (try await route(envelope, body: body, institution: institution, traceparent: traceparent), infno, "0")
        } catch is MessageLog.Raced {
            // The same message is being handled by another call, which has committed by now.
            let stored = try await MessageLog(database: database).answer(to: envelope.msgid, institution: institution)
            return (try stored ?? Answer.refusal(msgid: envelope.msgid, [.init("msgid", "'\(envelope.msgid)' is being processed; retry")]),
                    infno, stored == nil ? "-1" : "replayed")
        } catch let refusal as Refusal {
            let answer = try Answer.refusal(msgid: envelope.msgid, refusal.issues)
            return (try await MessageLog(database: database).recordRefusal(envelope.msgid, infno: envelope.infno, institution: institution,
                                                                            answer: answer), infno, "-1")
        }
    }

    private func route(_ envelope: Envelope, body: Data, institution: String, traceparent: String) async throws -> Data {
        let validator = SettlementValidator(registry: try reference.knowledgeBase, institution: institution, now: .chinaNow(),
                                            maxEventBytes: maxEventBytes)
        switch envelope.infno {
        case "3101", "3102":
            let (request, records) = try decode { try HISRequest<ReviewInput>.scan(json: body) }
            guard request.input.data.patientDtos.count <= maxPatients else {
                throw Refusal([.init("input.data.patient_dtos", "has \(request.input.data.patientDtos.count) patients; at most \(maxPatients) per call")])
            }
            try Refusal.unless(validator.validate(request, receivedBytes: body.count) + sanctionRefusals(request))
            // Only a settlement is recorded: a check's records are never carried.
            let drafts = Self.drafts(request, body: body, records: Self.settles(request) ? records : nil, validator: validator,
                                     traceparent: traceparent)
            return try await review(request, drafts, institution: institution)
        case "3103":
            let request = try decode { try HISJSON.decoder.decode(HISRequest<FeedbackInput>.self, from: body) }
            try Refusal.unless(validator.envelopeIssues(request.infno, request.msgid, request.fixmedinsCode, expected: ["3103"])
                + FeedbackValidation.issues(request.input.data))
            return try await MessageLog(database: database).recordFeedback(request, institution: institution)
        default:
            throw Refusal([.init("infno", "must be 3101, 3102 or 3103, got '\(envelope.infno)'")])
        }
    }

    /// 3101 and 3102: evaluate every encounter against the rule base and what is known of the
    /// persons so far; a 3102 settlement also records the claims, in the same transaction as
    /// the message (a round of the group commit), so the answer and the claims exist together or
    /// not at all.
    private func review(_ request: HISRequest<ReviewInput>, _ drafts: [ClaimDraft], institution: String) async throws -> Data {
        let engine = try reference.engine
        let claims = try drafts.map { try Claim(patient: $0.patient, encounter: $0.encounter, claimID: $0.claimID) }
        guard Self.settles(request) else {
            return try await check(request, claims, engine: engine, institution: institution)
        }
        return try await commits.settle(SettlementCall(
            msgid: request.msgid, infno: request.infno, institution: institution, drafts: drafts, claims: claims,
            windowDays: engine.rules.historyWindowDays) { history in
                try Self.answer(request, claims, engine: engine, history: &history, settling: true)
            })
    }

    /// Whether the call records its settlements (a 3102 at settlement), rather than only checking them.
    private static func settles(_ request: HISRequest<ReviewInput>) -> Bool {
        request.infno == "3102" && TriggerScenario.settling.contains(request.input.data.trigScen.value)
    }

    /// The call's settlements, one draft per encounter. A patient record of one encounter that the
    /// strict scanner read is carried as received, as a bulk line is: writing it anew (every amount
    /// through `Decimal`'s description) was ~100 µs of intake's CPU a call (scripts/profile.sh).
    private static func drafts(_ request: HISRequest<ReviewInput>, body: Data, records: [Range<Int>]?, validator: SettlementValidator,
                               traceparent: String) -> [ClaimDraft] {
        let data = request.input.data
        return data.patientDtos.enumerated().flatMap { index, patient in
            var split = ClaimDraft.split(patient, msgid: request.msgid, trigScen: data.trigScen.value, traceparent: traceparent)
            if let record = records?[index], validator.carriesAsReceived(record.count, patient) {
                split[0].received = body.withUnsafeBytes { Array($0[record]) }
            }
            return split
        }
    }

    /// A check (3101, or 3102 before settlement) writes no claim: it is evaluated outside any
    /// transaction and recorded with its answer in one statement, a few round trips in all.
    private func check(_ request: HISRequest<ReviewInput>, _ claims: [Claim], engine: RuleEngine, institution: String) async throws -> Data {
        let answer = try await database.read { [store] connection in
            var history = try await store.archive.history(around: claims, windowDays: engine.rules.historyWindowDays, on: connection)
            return try Self.answer(request, claims, engine: engine, history: &history, settling: false)
        }
        return try await MessageLog(database: database).record(answer, msgid: request.msgid, infno: request.infno, institution: institution)
    }

    /// The findings known now, in the national answer. Within a settlement call, each claim is
    /// history for the next.
    private static func answer(_ request: HISRequest<ReviewInput>, _ claims: [Claim], engine: RuleEngine, history: inout InMemoryHistory,
                               settling: Bool) throws -> Data {
        var findings: [Finding] = []
        for claim in claims {
            findings += engine.evaluate(claim, history: history, ruleIDs: request.input.data.ruleIds.map(Set.init))
            if settling { history.add(claim) }
        }
        return try Answer.success(msgid: request.msgid, output: ReviewOutput(result: engine.toReviewResults(findings, taskID: request.input.data.taskId)))
    }

    private func decode<T>(_ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as DecodingError {
            throw Refusal([issue(from: error)])
        }
    }
}

/// A call refused at the edge, with every issue found.
struct Refusal: Error {
    let issues: [ValidationIssue]
    init(_ issues: [ValidationIssue]) { self.issues = issues }

    static func unless(_ issues: [ValidationIssue]) throws {
        if !issues.isEmpty { throw Refusal(issues) }
    }
}

enum FeedbackValidation {
    /// Why a text cannot be stored as given (a control character such as NUL, or too long for a
    /// key); nil when it can.
    static func unstorable(_ text: String, limit: Int) -> String? {
        if text.utf8.count > limit { return "is longer than \(limit) bytes" }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) }) {
            return "contains a control character"
        }
        return nil
    }

    static func issues(_ request: FeedbackRequest) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if ![1, 2].contains(request.warnType.value) { issues.append(.init("input.data.warn_type", "must be 1 (before) or 2 (during), got \(request.warnType.value)")) }
        if request.warns.isEmpty { issues.append(.init("input.data.warns", "must contain at least one warning")) }
        if request.warns.count > DataDictionary.count("warns") {
            return [.init("input.data.warns", "has \(request.warns.count) elements; at most \(DataDictionary.count("warns")) allowed")]
        }
        for (index, warn) in request.warns.enumerated() {
            let path = "input.data.warns[\(index)]"
            if warn.warnRsltId.isEmpty { issues.append(.init("\(path).warn_rslt_id", "is required")) }
            if let problem = unstorable(warn.warnRsltId, limit: DataDictionary.length("warn_rslt_id")!) { issues.append(.init("\(path).warn_rslt_id", problem)) }
            if let problem = unstorable(warn.dspoWayRea ?? "", limit: DataDictionary.length("dspo_way_rea")!) { issues.append(.init("\(path).dspo_way_rea", problem)) }
            if DataDictionary.exceeds(warn.dspoWay, DataDictionary.length("dspo_way")!) {
                issues.append(.init("\(path).dspo_way", "at most \(DataDictionary.length("dspo_way")!) characters allowed"))
                continue
            }
            if !["1", "2"].contains(warn.dspoWay) { issues.append(.init("\(path).dspo_way", "must be \"1\" (go on) or \"2\" (change), got '\(warn.dspoWay)'")) }
            if warn.dspoWay == "1" && (warn.dspoWayRea ?? "").isEmpty {
                issues.append(.init("\(path).dspo_way_rea", "is required when dspo_way is \"1\" (going on despite the warning)"))
            }
        }
        return issues
    }
}
