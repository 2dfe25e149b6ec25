import Foundation
import Hummingbird

/// Serves the checked-in OpenAPI document (openapi/intake.yaml), embedded at build time as a
/// resource so the service and the file never drift apart.
enum OpenAPIDocument {
    static func response() throws -> Response {
        guard let url = Bundle.module.url(forResource: "intake", withExtension: "yaml"),
              let data = try? Data(contentsOf: url) else {
            throw HTTPError(.internalServerError, message: "OpenAPI document missing from the build")
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
