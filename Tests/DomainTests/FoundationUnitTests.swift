import Events
import Foundation
import HISContract
import Kafka
import ServiceKit
import SettlementValidation
import XCTest

/// The pure parts of the foundation: configuration, trace context, CloudEvents, civil dates.
final class FoundationUnitTests: XCTestCase {
    func testConfigurationErrorsNameTheVariable() {
        XCTAssertThrowsError(try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081, environment: Environment(["HTTP_PORT": "eighty"]))) {
            XCTAssertEqual("\($0)", "configuration error: HTTP_PORT must be a whole number, got 'eighty'")
        }
        XCTAssertThrowsError(try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081, environment: Environment(["PGPORT": "70000"]))) {
            XCTAssertTrue("\($0)".contains("PGPORT must be within 1...65535"))
        }
        XCTAssertThrowsError(try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081, environment: Environment(["LOG_LEVEL": "loud"]))) {
            XCTAssertTrue("\($0)".contains("LOG_LEVEL"))
        }
        XCTAssertThrowsError(try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081, environment: Environment([:]))) {
            XCTAssertEqual("\($0)", "configuration error: OPERATOR_JWT_SECRET is required but not set")
        }
        XCTAssertThrowsError(try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081, environment: Environment(["OPERATOR_JWT_SECRET": "short"]))) {
            XCTAssertEqual("\($0)", "configuration error: OPERATOR_JWT_SECRET must have at least 32 bytes")
        }
        XCTAssertThrowsError(try Environment([:]).required("INTAKE_REPORT_KEY")) {
            XCTAssertEqual("\($0)", "configuration error: INTAKE_REPORT_KEY is required but not set")
        }
    }

    func testDefaultsAndKafkaPassThrough() throws {
        let configuration = try PlatformConfiguration(service: "smart-review", defaultHTTPPort: 8082,
                                                      environment: Environment(["KAFKA_PROP_SECURITY_PROTOCOL": "SASL_SSL",
                                                                                "OPERATOR_JWT_SECRET": String(repeating: "k", count: 32)]))
        XCTAssertEqual(configuration.schema, "smart_review")
        XCTAssertEqual(configuration.operatorTokenSeconds, 900)
        XCTAssertEqual(configuration.auditHeadSeconds, 60)
        XCTAssertEqual(configuration.httpPort, 8082)
        XCTAssertEqual(configuration.kafka.properties["security.protocol"], "SASL_SSL")
        XCTAssertEqual(configuration.database.port, 5432)
    }

    func testTraceContextParsesContinuesAndRejects() throws {
        let parent = try XCTUnwrap(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        XCTAssertEqual(parent.traceID, "4bf92f3577b34da6a3ce929d0e0e4736")
        let child = parent.child()
        XCTAssertEqual(child.traceID, parent.traceID)
        XCTAssertNotEqual(child.spanID, parent.spanID)
        XCTAssertNotNil(TraceContext(traceparent: child.traceparent))
        XCTAssertNil(TraceContext(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        XCTAssertNil(TraceContext(traceparent: "garbage"))
    }

    func testRandomTraceContextsAreWellFormedAndDistinct() throws {
        let contexts = (0..<1_000).map { _ in TraceContext.random() }
        for context in contexts.prefix(50) {
            XCTAssertEqual(TraceContext(traceparent: context.traceparent), context, context.traceparent)
            XCTAssertEqual(context.traceID.count, 32)
            XCTAssertEqual(context.spanID.count, 16)
            XCTAssertTrue((context.traceID + context.spanID).allSatisfy { "0123456789abcdef".contains($0) })
        }
        XCTAssertEqual(Set(contexts.map(\.traceID)).count, 1_000)
        XCTAssertEqual(Set(contexts.map { $0.child().spanID }).count, 1_000)
        // Every hex digit appears in every position over a thousand draws: no byte left unused.
        for position in 0..<32 {
            XCTAssertEqual(Set(contexts.map { Array($0.traceID)[position] }).count, 16, "position \(position)")
        }
    }

    func testCloudEventTravelsAsBinaryModeHeaders() throws {
        let event = try CloudEvent(id: "e1", source: "/intake", type: EventType.claimAccepted, traceparent: TraceContext.random().traceparent,
                                   encoding: ["claim_id": "c1"])
        let message = KafkaConsumerMessage(topic: Topic.claimsAccepted, partition: 0, offset: 7, key: nil, value: event.data, headers: event.kafkaHeaders)
        let read = try CloudEvent(message: message)
        XCTAssertEqual(read.id, "e1")
        XCTAssertEqual(read.type, "cn.hsa.claim.accepted")
        XCTAssertEqual(read.traceparent, event.traceparent)
        XCTAssertEqual(message.header("ce_specversion"), "1.0")
        var broken = message
        broken.headers.removeAll { $0.key == "ce_id" }
        XCTAssertThrowsError(try CloudEvent(message: broken)) { XCTAssertEqual("\($0)", "record at claims.accepted@7 has no ce_id header") }
    }

    func testClaimAcceptedAroundAnEncodedRecordReadsAsTheEvent() throws {
        let patient = Patient(patnId: "P1", gend: "2", brdy: "1970-01-02", fsiEncounterDtos: [])
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        for supersedes in [nil, "H1/M1/S1"] {
            let data = ClaimAccepted.json(claimId: "H1/M1/S2", version: 2, supersedes: supersedes, msgid: "m-1", trigScen: 8,
                                              acceptedAt: time, patientJSON: Array(try HISJSON.encoder.encode(patient)))
            let read = try ClaimAccepted.read(data)
            XCTAssertEqual(read.claimId, "H1/M1/S2")
            XCTAssertEqual(read.version, 2)
            XCTAssertEqual(read.supersedes, supersedes)
            XCTAssertEqual(read.trigScen, 8)
            XCTAssertEqual(read.acceptedAt, time)
            XCTAssertEqual(read.patient.patnId, "P1")
            XCTAssertEqual(read.patient.brdy, "1970-01-02")
        }
    }

    func testCivilCalendarArithmetic() throws {
        let leap = try XCTUnwrap(CivilDate("2024-02-28"))
        XCTAssertEqual(leap.adding(days: 1).description, "2024-02-29")
        XCTAssertEqual(leap.adding(days: 2).description, "2024-03-01")
        XCTAssertEqual(try XCTUnwrap(CivilDate("1961-06-16")).completedYears(on: try XCTUnwrap(CivilDate("2026-06-15"))), 64)
        XCTAssertNil(CivilDate("2026-02-30"))
        XCTAssertNil(CivilDateTime("2026-11-20 24:00:00"))
        // Digits only, in their places (the byte reader is no laxer than the format).
        for malformed in ["2026-+1-01", "2026-1-01", "2026-01-01 1:00:00", "2026-01-01T01:00:00", "2026-01-01 01:00:00 ", "２０２６-01-01", ""] {
            XCTAssertNil(CivilDateTime(malformed), malformed)
        }
        XCTAssertEqual(CivilDateTime("2026-01-01")?.description, "2026-01-01 00:00:00")
        XCTAssertEqual(CivilDateTime("2024-02-29 08:09:10")?.secondOfDay, 8 * 3600 + 9 * 60 + 10)
        let time = try XCTUnwrap(CivilDateTime("2026-12-31 23:59:59"))
        XCTAssertEqual(time.adding(seconds: 1).description, "2027-01-01 00:00:00")
    }

    func testDecodingErrorsBecomeFieldPaths() {
        let json = Data(#"{"patn_id":"1","gend":"1","brdy":"2000-01-01","fsi_encounter_dtos":[{"mdtrt_id":5}]}"#.utf8)
        do {
            _ = try HISJSON.decoder.decode(Patient.self, from: json)
            XCTFail("should not decode")
        } catch let error as DecodingError {
            XCTAssertEqual(issue(from: error).description, "fsi_encounter_dtos[0].mdtrt_id: has the wrong type (expected a string)")
        } catch {
            XCTFail("\(error)")
        }
    }
}
