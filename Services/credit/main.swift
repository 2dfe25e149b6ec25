import Events
import Persistence
import ServiceKit

// credit (信用管理): credit files, practitioner points, grades and lists, objections and repair,
// region risk and double-random inspection plans.
await ServiceMain.run("credit") {
    let platform = try PlatformConfiguration(service: "credit", defaultHTTPPort: 8083)
    let configuration = try CreditConfiguration(platform.environment)
    let runtime = try PlatformRuntime(configuration: platform)
    let credit = CreditAssembly(runtime: runtime, configuration: configuration)
    try await runtime.run(migrations: CreditMigrations.all, router: credit.router(), workers: try credit.workers())
}
