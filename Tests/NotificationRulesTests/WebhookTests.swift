import Foundation
import NotificationRules
import XCTest

/// Expected signatures were computed independently with Python's hmac module:
/// base64(hmac.new(key, f"{id}.{ts}.{body}".encode(), hashlib.sha256).digest()).
final class WebhookTests: XCTestCase {
    private let oldSecret = try! WebhookSecret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")  // bytes 0..31
    private let newSecret = try! WebhookSecret("whsec_bWVkc3VwLW5ldy1zZWNyZXQtMjAyNS1yb3RhdGlvbiE=")
    private let otherSecret = WebhookSecret(key: Data(repeating: 7, count: 32))
    private let id = "msg_2Lh9KqbT1x"
    private let body = #"{"caseId":"C-2025-0001","kind":"caseOutcome","amount":1234.5}"#
    private let sentAt = Date(timeIntervalSince1970: 1_735_689_600.75)
    private let oldSignature = "v1,BJxyAbQD6oecyk562xqDTTY4/cB1KnxPr6GHwFAoKes="
    private let newSignature = "v1,PFyfQTeCjgJQBBgrV3jOu1ikRvqSbTidFNcL/z46AVE="

    func testStandardWebhooksReferenceVector() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = WebhookSignature.v1(secret: secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                            body: Data(#"{"test": 2432232314}"#.utf8))
        XCTAssertEqual(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    func testSignsWithKnownVector() {
        let headers = WebhookSigner(secrets: [oldSecret]).sign(id: id, timestamp: sentAt, body: body)
        XCTAssertEqual(headers.dictionary, ["webhook-id": id, "webhook-timestamp": "1735689600", "webhook-signature": oldSignature])
    }

    func testVerifiesWithinToleranceAndRejectsOtherSecret() throws {
        let headers = WebhookSigner(secrets: [oldSecret]).sign(id: id, timestamp: sentAt, body: body).dictionary
        let now = sentAt.addingTimeInterval(299)
        XCTAssertNoThrow(try WebhookVerifier(secrets: [oldSecret]).verify(headers: headers, body: body, now: now))
        XCTAssertThrowsError(try WebhookVerifier(secrets: [otherSecret]).verify(headers: headers, body: body, now: now)) {
            XCTAssertEqual($0 as? WebhookVerificationError, .noMatchingSignature)
        }
        XCTAssertThrowsError(try WebhookVerifier(secrets: [oldSecret]).verify(headers: headers, body: body + " ", now: now)) {
            XCTAssertEqual($0 as? WebhookVerificationError, .noMatchingSignature, "tampered body")
        }
    }

    func testRotationSignsWithEverySecret() throws {
        let headers = WebhookSigner(secrets: [oldSecret, newSecret]).sign(id: id, timestamp: sentAt, body: body)
        XCTAssertEqual(headers.signature, oldSignature + " " + newSignature)
        for held in [[oldSecret], [newSecret], [otherSecret, newSecret]] {
            XCTAssertNoThrow(try WebhookVerifier(secrets: held).verify(headers: headers.dictionary, body: body, now: sentAt))
        }
        XCTAssertThrowsError(try WebhookVerifier(secrets: [otherSecret]).verify(headers: headers.dictionary, body: body, now: sentAt))
    }

    func testToleranceWindow() {
        let headers = WebhookSigner(secrets: [oldSecret]).sign(id: id, timestamp: sentAt, body: body).dictionary
        let verifier = WebhookVerifier(secrets: [oldSecret], tolerance: 300)
        XCTAssertThrowsError(try verifier.verify(headers: headers, body: body, now: Date(timeIntervalSince1970: 1_735_689_901))) {
            XCTAssertEqual($0 as? WebhookVerificationError, .timestampTooOld)
        }
        XCTAssertThrowsError(try verifier.verify(headers: headers, body: body, now: Date(timeIntervalSince1970: 1_735_689_299))) {
            XCTAssertEqual($0 as? WebhookVerificationError, .timestampTooNew)
        }
        XCTAssertNoThrow(try verifier.verify(headers: headers, body: body, now: Date(timeIntervalSince1970: 1_735_689_900)))
    }

    func testHeadersAreCaseInsensitiveAndRequired() {
        let headers = WebhookSigner(secrets: [oldSecret]).sign(id: id, timestamp: sentAt, body: body).dictionary
        let upper = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.uppercased(), $0.value) })
        XCTAssertNoThrow(try WebhookVerifier(secrets: [oldSecret]).verify(headers: upper, body: body, now: sentAt))
        var missing = headers
        missing["webhook-timestamp"] = nil
        XCTAssertThrowsError(try WebhookVerifier(secrets: [oldSecret]).verify(headers: missing, body: body, now: sentAt)) {
            XCTAssertEqual($0 as? WebhookVerificationError, .missingHeader("webhook-timestamp"))
        }
        var garbled = headers
        garbled["webhook-timestamp"] = "yesterday"
        XCTAssertThrowsError(try WebhookVerifier(secrets: [oldSecret]).verify(headers: garbled, body: body, now: sentAt)) {
            XCTAssertEqual($0 as? WebhookVerificationError, .invalidTimestamp)
        }
    }

    func testSignaturesOfOtherVersionsAreIgnored() {
        var headers = WebhookSigner(secrets: [oldSecret]).sign(id: id, timestamp: sentAt, body: body).dictionary
        headers["webhook-signature"] = "v1a,abc v2," + oldSignature.dropFirst(3)
        XCTAssertThrowsError(try WebhookVerifier(secrets: [oldSecret]).verify(headers: headers, body: body, now: sentAt))
        headers["webhook-signature"] = "v1a,abc " + oldSignature
        XCTAssertNoThrow(try WebhookVerifier(secrets: [oldSecret]).verify(headers: headers, body: body, now: sentAt))
    }

    func testSecretForm() throws {
        XCTAssertEqual(oldSecret.key, Data(0..<32))
        XCTAssertEqual(oldSecret.encoded, "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        XCTAssertEqual(try WebhookSecret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), oldSecret)
        XCTAssertThrowsError(try WebhookSecret("whsec_not base64!"))
        XCTAssertThrowsError(try WebhookSecret("whsec_"))
    }
}
