import Foundation

/// A service's entry point: a configuration or start-up error ends the process with one clear
/// line on standard error and exit status 1, not a crash report.
public enum ServiceMain {
    public static func run(_ service: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
            exit(1)
        }
    }
}
