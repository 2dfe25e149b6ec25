import ArgumentParser
import Hummingbird

/// A bare Hummingbird endpoint answering a fixed national-style JSON: the latency floor that
/// intake's 3101 answers are compared with.
struct BareServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bare-server")
    @Option var port = 18_999

    func run() async throws {
        let router = Router()
        router.post("/api/his") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"infcode":0,"output":{"result":[]}}"#)))
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port))).runService()
    }
}
