import Foundation
import HISContract
import HummingbirdTesting
import TestSupport
import XCTest
@testable import intake

/// Hand-made malformed national payloads (3101/3102/3103) against intake's router, with the real
/// database: each is refused (a 4xx, or 200 with `infcode` -1 as the national platform answers),
/// never a 5xx, and none writes a claim, an event or a 3103 feedback row.
final class MalformedPayloadTests: XCTestCase {
    /// A well-formed 3102 as text, to break in one place at a time. Every case has its own msgid:
    /// a refusal is remembered, so a shared msgid would replay the first refusal instead.
    static func good(_ n: Int) -> String { String(decoding: try! HISJSON.encoder.encode(Fixture.request(n)), as: UTF8.self) }

    /// `good(n)` with one fragment replaced; a fragment that is not there fails the test (the
    /// case would silently test a valid payload).
    static func broken(_ n: Int, _ fragment: String, _ replacement: String) -> Data {
        let text = good(n)
        if !text.contains(fragment) { XCTFail("\(fragment) is not in the payload") }
        return Data(text.replacingOccurrences(of: fragment, with: replacement).utf8)
    }

    static func envelope(_ infno: String, _ n: Int, input: String?) -> String { envelope(infno, msgid: Fixture.msgid(n), input: input) }

    static func envelope(_ infno: String, msgid: String, input: String?) -> String {
        #"{"infno":"\#(infno)","msgid":"\#(msgid)","fixmedins_code":"\#(Fixture.institution)""#
            + (input.map { #","input":\#($0)}"# } ?? "}")
    }

    static func feedback(_ n: Int, jrID: String, reason: String = "seen") -> String {
        envelope("3103", msgid: Fixture.msgid(n), input: #"{"data":{"warn_type":1,"warns":[{"warn_rslt_id":"\#(jrID)","dspo_way":"1","dspo_way_rea":"\#(reason)"}]}}"#)
    }

    /// (what is wrong, the body)
    static func cases() -> [(String, Data)] {
        let randomLong = String((0..<10_000).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        var invalidUTF8 = Data(envelope("3102", msgid: "H43010000001", input: "{}").utf8)
        invalidUTF8.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: 30)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        return [
            ("truncated JSON", Data(good(1).utf8.prefix(good(1).utf8.count / 2))),
            ("empty body", Data()),
            ("JSON null", Data("null".utf8)),
            ("top-level array", Data("[1,2,3]".utf8)),
            ("infno is a number", broken(6, #""infno":"3102""#, #""infno":3102"#)),
            ("input is a string", Data(envelope("3102", 7, input: #""patients""#).utf8)),
            ("patient_dtos is an object", Data(envelope("3102", 8, input: #"{"data":{"trig_scen":6,"patient_dtos":{}}}"#).utf8)),
            ("missing input (3102)", Data(envelope("3102", 9, input: nil).utf8)),
            ("missing input (3101)", Data(envelope("3101", 10, input: nil).utf8)),
            ("missing input (3103)", Data(envelope("3103", 11, input: nil).utf8)),
            ("unknown infno", Data(envelope("9999", 12, input: "{}").utf8)),
            ("huge amount", broken(13, #""medfee_sumamt":37.6"#, #""medfee_sumamt":1e400"#)),
            ("huge count", broken(14, #""cnt":1"#, #""cnt":123456789012345678901234567890"#)),
            ("huge trig_scen", broken(15, #""trig_scen":"6""#, #""trig_scen":1e30"#)),
            ("deep nesting", Data(envelope("3102", 16, input: #"{"data":\#(deep)}"#).utf8)),
            ("invalid UTF-8", invalidUTF8),
            ("lone surrogate in msgid", Data(envelope("3102", msgid: #"H43010000001\ud800"#, input: "{}").utf8)),
            ("NUL in msgid", Data(envelope("9999", msgid: #"H43010000001\u0000x"#, input: "{}").utf8)),
            ("10 000-character msgid", Data(envelope("9999", msgid: randomLong, input: "{}").utf8)),
            ("3103 warns of the wrong type", Data(envelope("3103", 17, input: #"{"data":{"warn_type":1,"warns":"x"}}"#).utf8)),
            ("3103 NUL in warn_rslt_id", Data(feedback(3, jrID: #"J1\u0000"#).utf8)),
            ("3103 10 000-character warn_rslt_id", Data(feedback(4, jrID: randomLong).utf8)),
            ("3103 NUL in dspo_way_rea", Data(feedback(5, jrID: "J1", reason: #"go on\u0000"#).utf8)),
        ]
    }

    func testNoMalformedPayloadGetsA5xxOrWritesAnything() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            for (what, body) in Self.cases() {
                let answer = try await client.national(body, secret: secret)
                XCTAssertLessThan(answer.status.code, 500, "\(what): \(answer.status)")
                if answer.status == .ok {
                    XCTAssertEqual(answer.infcode, -1, "\(what) must be refused")
                    XCTAssertFalse(answer.errMsg.isEmpty, "\(what): the refusal names the problem")
                }
            }
            let claims = try await harness.count("claims"), events = try await harness.count("outbox")
            let feedback = try await harness.count("feedback"), open = try await harness.count("messages", where: "response IS NULL")
            XCTAssertEqual(claims, 0, "no claim from a malformed payload")
            XCTAssertEqual(events, 0, "no event from a malformed payload")
            XCTAssertEqual(feedback, 0, "no 3103 feedback from a malformed payload")
            XCTAssertEqual(open, 0, "no message left without its answer")
        }
    }

    /// A body over INTAKE_MAX_BODY_BYTES (2 000 000 in the harness) that is valid JSON up to the cut.
    func testOversizedBodyIsRefusedWith413() async throws {
        let harness = try IntakeHarness()
        try await harness.run { client, secret in
            let filler = String(repeating: "x", count: 2_100_000)
            let answer = try await client.national(Data(Self.envelope("3102", 18, input: #"{"data":"\#(filler)"}"#).utf8), secret: secret)
            XCTAssertEqual(answer.status, .contentTooLarge)
            let messages = try await harness.count("messages")
            XCTAssertEqual(messages, 0)
        }
    }
}
