import Foundation
import HISContract
import Logging
import Persistence
import PostgresNIO
import SettlementValidation

/// Every message received, with the answer given: who sent what (records of receipt), and the
/// memory that makes a retried `msgid` get the first answer again.
struct MessageLog: Sendable {
    let database: Database
    var schema: String { database.schema }

    /// Two calls with one msgid at once: the second waits for the first and then replays it.
    struct Raced: Error {}

    func answer(to msgid: String, institution: String) async throws -> Data? {
        let rows = try await database.query(
            "SELECT medins_id, response FROM \(unescaped: schema).messages WHERE msgid = \(msgid) AND response IS NOT NULL",
            logger: database.logger)
        for try await (owner, response) in rows.decode((String, String).self) {
            guard owner == institution else {
                return try Answer.refusal(msgid: msgid, [.init("msgid", "'\(msgid)' was already used by another institution")])
            }
            return Data(response.utf8)
        }
        return nil
    }

    /// Takes the msgid for this call; false when another call has it.
    func claim(_ msgid: String, infno: String, institution: String, on connection: PostgresConnection) async throws -> Bool {
        try await claim([(msgid, infno, institution)], on: connection).contains(msgid)
    }

    private func claim(_ messages: [(msgid: String, infno: String, institution: String)], on connection: PostgresConnection) async throws -> Set<String> {
        guard !messages.isEmpty else { return [] }
        return Set(try await connection.rows(TakeMessages(msgids: messages.map(\.msgid), infnos: messages.map(\.infno),
                                                          institutions: messages.map(\.institution)), logger: database.logger))
    }

    /// The answers of the msgids taken in this transaction, as a write of the round's one
    /// statement (`ClaimStore.record(_:answers:on:)`).
    static func answers(_ answers: [(msgid: String, answer: Data)]) -> StoreAnswers {
        StoreAnswers(msgids: answers.map(\.msgid), answers: answers.map { String(decoding: $0.answer, as: UTF8.self) },
                     infcodes: answers.map { infcode(of: $0.answer) })
    }

    /// The answer's `infcode`, read where it lies (the rest of the answer is skipped, not parsed).
    private static func infcode(of answer: Data) -> Int {
        let code = try? JSONScanner.read(answer) { json in
            var code: Int?
            try json.object { json, key in if key == "infcode" { code = try json.int() } else { try json.skipValue() } }
            return code
        }
        return code ?? 0
    }

    /// Records a message with its answer in one statement; a message already recorded keeps its
    /// first answer, which is returned. Outside a transaction (`Database.query`): the statement is
    /// idempotent, so one given up and ending later leaves the answer a retry then replays.
    func record(_ answer: Data, msgid: String, infno: String, institution: String) async throws -> Data {
        let infcode = Self.infcode(of: answer)
        let rows = try await database.query("""
            INSERT INTO \(unescaped: schema).messages (msgid, infno, medins_id, infcode, response)
            VALUES (\(msgid), \(infno), \(institution), \(infcode), \(String(decoding: answer, as: UTF8.self)))
            ON CONFLICT (msgid) DO NOTHING RETURNING 1
            """, logger: database.logger)
        for try await _ in rows { return answer }
        return try await self.answer(to: msgid, institution: institution) ?? answer
    }

    /// A refusal is remembered too: the same msgid gets the same refusal. (A corrected payload is a new message.)
    func recordRefusal(_ msgid: String, infno: String, institution: String, answer: Data) async throws -> Data {
        guard !msgid.isEmpty else { return answer }
        return try await record(answer, msgid: msgid, infno: infno, institution: institution)
    }

    /// 3103: the doctor's answer to each warning, kept with the finding id (`jr_id`).
    func recordFeedback(_ request: HISRequest<FeedbackInput>, institution: String) async throws -> Data {
        try await database.transaction { connection in
            guard try await claim(request.msgid, infno: request.infno, institution: institution, on: connection) else { throw Raced() }
            let warns = request.input.data.warns
            try await connection.query("""
                INSERT INTO \(unescaped: schema).feedback (jr_id, msgid, medins_id, warn_type, dspo_way, dspo_way_rea)
                SELECT jr_id, \(request.msgid), \(institution), \(request.input.data.warnType.value), dspo_way, NULLIF(rea, '')
                FROM unnest(\(warns.map(\.warnRsltId)), \(warns.map(\.dspoWay)), \(warns.map { $0.dspoWayRea ?? "" })) AS w(jr_id, dspo_way, rea)
                ON CONFLICT DO NOTHING
                """, logger: database.logger)
            let answer = try Answer.success(msgid: request.msgid, output: ReviewOutput(result: []))
            try await CombinedWrites(Self.answers([(request.msgid, answer)])).run(on: connection, logger: database.logger)
            return answer
        }
    }
}

/// Takes msgids; returns those taken (a msgid another call has, or had, is not). Through
/// `take_messages`, planned once a session, which a settlement round's reads call too (`SettlementReads`).
struct TakeMessages: BoundStatement {
    static let sql = function.call
    static let function = PlannedOnce(function: "take_messages", arguments: ["text[]", "text[]", "text[]"], returns: "TABLE (taken text)",
                                      writes: true, body: """
        WITH t AS (INSERT INTO messages (msgid, infno, medins_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                   ON CONFLICT (msgid) DO NOTHING RETURNING messages.msgid)
        SELECT t.msgid FROM t
        """)
    typealias Row = String
    var msgids: [String], infnos: [String], institutions: [String]
    var bindings: PostgresBindings { PostgresBindings(msgids, infnos, institutions) }
}

/// The answers of the msgids a round took: one of the round's writes (none: a bulk round's).
struct StoreAnswers: WriteFragment {
    static let sql = """
        UPDATE messages m SET response = a.response, infcode = a.infcode
          FROM unnest($1::text[], $2::text[], $3::int8[]) AS a(msgid, response, infcode)
         WHERE m.msgid = a.msgid
        """
    var msgids: [String] = [], answers: [String] = [], infcodes: [Int] = []

    var isEmpty: Bool { msgids.isEmpty }

    func bind(into bindings: inout PostgresBindings) {
        bindings.append(msgids)
        bindings.append(answers)
        bindings.append(infcodes)
    }
}

/// The national response envelope.
enum Answer {
    static func success(msgid: String, output: ReviewOutput) throws -> Data {
        try encode(HISResponse(infcode: 0, infRefmsgid: msgid, refmsgTime: now(), respondTime: now(), errMsg: nil, output: output))
    }

    static func refusal(msgid: String, _ issues: [ValidationIssue]) throws -> Data {
        try encode(HISResponse<ReviewOutput>(infcode: -1, infRefmsgid: msgid, refmsgTime: now(), respondTime: now(),
                                             errMsg: errorMessage(issues), output: nil))
    }

    /// Written by `JSONWriter` (the bytes `HISJSON.encoder` writes, a fraction of its cost).
    private static func encode(_ value: HISResponse<ReviewOutput>) throws -> Data { Data(value.json) }

    private static func now() -> String {
        let t = CivilDateTime.chinaNow()
        return "\(t)"
    }
}
