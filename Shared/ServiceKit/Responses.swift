import Foundation
import Hummingbird

/// A JSON answer with snake_case keys, as every API of the platform writes them.
public func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    return Response(status: status, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value))))
}

/// Serves a service's checked-in OpenAPI document, copied into its bundle at build time so the
/// service and the file never drift apart.
public func openAPIResponse(_ url: URL?) throws -> Response {
    guard let url, let data = try? Data(contentsOf: url) else {
        throw HTTPError(.internalServerError, message: "OpenAPI document missing from the build")
    }
    return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(data: data)))
}
