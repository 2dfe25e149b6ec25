import Events
import Persistence
import ServiceKit

// A running shell: the credit issue fills it in.
await ServiceMain.run("credit") {
    let configuration = try PlatformConfiguration(service: "credit", defaultHTTPPort: 8083)
    let runtime = try PlatformRuntime(configuration: configuration)
    try await runtime.run(migrations: [], router: runtime.makeRouter())
}
