import Events
import Persistence
import ServiceKit

// intake (数据采集与接入): the only door for hospital data.
await ServiceMain.run("intake") {
    let platform = try PlatformConfiguration(service: "intake", defaultHTTPPort: 8081)
    let configuration = try IntakeConfiguration(platform.environment)
    let runtime = try PlatformRuntime(configuration: platform)
    let intake = IntakeAssembly(runtime: runtime, configuration: configuration)
    try await runtime.run(migrations: IntakeMigrations.all, router: try intake.router(), workers: try intake.workers(), outboxPayloads: intake.store)
}
