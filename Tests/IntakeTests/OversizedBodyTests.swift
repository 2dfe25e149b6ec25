import Foundation
import HummingbirdTesting
import TestSupport
import XCTest
@testable import intake

/// A client that writes its whole body before reading (Python's urllib, many HIS stacks) gets
/// its 413 and a closed connection, instead of waiting for its own timeout.
final class OversizedBodyTests: XCTestCase {
    func testA40MegabyteBodyIsAnswered413AndTheConnectionClosed() async throws {
        let harness = try IntakeHarness()
        try await harness.run(.live) { client, secret in
            let port = try XCTUnwrap(client.port)
            let outcome = await RawHTTPClient.post(port: port, path: "/api/his", authorization: "Bearer \(Fixture.institution):\(secret)",
                                                   bodyBytes: 40 << 20, timeoutSeconds: 20)
            XCTAssertTrue(outcome.response.hasPrefix("HTTP/1.1 413"), outcome.response)
            XCTAssertTrue(outcome.response.lowercased().contains("connection: close"), outcome.response)
            XCTAssertTrue(outcome.closedByServer, "the server closed the connection (not the client's timeout)")
            XCTAssertLessThan(outcome.seconds, 10, "answered long before the client's 20 s timeout")
        }
    }
}

/// A bare HTTP/1.1 client on a socket: writes the request head and the whole body (going on
/// until the server stops taking it), then reads until the server closes or the timeout passes.
enum RawHTTPClient {
    struct Outcome: Sendable {
        var response: String
        var closedByServer: Bool
        var seconds: Double
    }

    static func post(port: Int, path: String, authorization: String, bodyBytes: Int, timeoutSeconds: Int) async -> Outcome {
        await withCheckedContinuation { continuation in
            // Blocking socket calls, on a thread of their own.
            Thread.detachNewThread {
                continuation.resume(returning: run(port: port, path: path, authorization: authorization, bodyBytes: bodyBytes, timeout: timeoutSeconds))
            }
        }
    }

    private static func run(port: Int, path: String, authorization: String, bodyBytes: Int, timeout: Int) -> Outcome {
        let started = Date()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Outcome(response: "connect failed: \(errno)", closedByServer: false, seconds: 0) }
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: \(authorization)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(bodyBytes)\r\n\r\n"
        var sent = head.utf8.withContiguousStorageIfAvailable { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } ?? -1
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 64 << 10)
        var remaining = bodyBytes
        while sent >= 0, remaining > 0 {
            sent = chunk.withUnsafeBytes { send(fd, $0.baseAddress, min(remaining, $0.count), Int32(MSG_NOSIGNAL)) }
            if sent > 0 { remaining -= sent }
        }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        var closedByServer = false
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { response += buffer[0..<count]; continue }
            // 0: the server closed; ECONNRESET: it closed with our body unread. A timeout is EAGAIN.
            closedByServer = count == 0 || errno == ECONNRESET
            break
        }
        return Outcome(response: String(decoding: response, as: UTF8.self), closedByServer: closedByServer,
                       seconds: Date().timeIntervalSince(started))
    }
}
