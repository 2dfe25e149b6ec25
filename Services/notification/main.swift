import Events
import Persistence
import ServiceKit

// A running shell: the notification issue fills it in.
await ServiceMain.run("notification") {
    let configuration = try PlatformConfiguration(service: "notification", defaultHTTPPort: 8084)
    let runtime = try PlatformRuntime(configuration: configuration)
    try await runtime.run(migrations: [], router: runtime.makeRouter())
}
