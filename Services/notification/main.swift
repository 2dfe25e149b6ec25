import Events
import Persistence
import ServiceKit

// notification (通知与移送): routes decided cases to the agencies and institutions that must act,
// delivers them signed and retried, collects their feedback and feeds the public disclosure.
await ServiceMain.run("notification") {
    let platform = try PlatformConfiguration(service: "notification", defaultHTTPPort: 8084)
    let configuration = try NotificationConfiguration(platform.environment)
    let runtime = try PlatformRuntime(configuration: platform)
    let notification = NotificationAssembly(runtime: runtime, configuration: configuration)
    try await runtime.run(migrations: NotificationMigrations.all, router: notification.router(), workers: try notification.workers())
}
