import ServiceKit

// smart-review (智能审核 / 智能监控): the rule base and the review of every claim.
await ServiceMain.run("smart-review") {
    let platform = try PlatformConfiguration(service: "smart-review", defaultHTTPPort: 8082)
    let runtime = try PlatformRuntime(configuration: platform)
    let review = try SmartReviewAssembly(runtime: runtime)
    try await runtime.run(migrations: ReviewMigrations.all, router: review.router(), workers: try review.workers())
}
