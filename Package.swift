// swift-tools-version:6.0
import PackageDescription

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let postgres: Target.Dependency = .product(name: "PostgresNIO", package: "postgres-nio")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let jwt: Target.Dependency = .product(name: "JWTKit", package: "jwt-kit")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")

/// A service executable: a thin shell over the shared kit and its own domain modules.
func service(_ name: String, _ deps: [Target.Dependency], resources: [Resource]? = nil) -> Target {
    .executableTarget(name: name, dependencies: deps + ["ServiceKit", "Kafka", "Persistence", "Events", "AuditTrail", "OperatorAccess", "Timing",
                                                        hummingbird, lifecycle, logging],
                      path: "Services/\(name)", resources: resources)
}

let package = Package(
    name: "medsup",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "intake", targets: ["intake"]),
        .executable(name: "smart-review", targets: ["smart-review"]),
        .executable(name: "credit", targets: ["credit"]),
        .executable(name: "notification", targets: ["notification"]),
        .executable(name: "medsup-bench", targets: ["medsup-bench"]),
        .executable(name: "medsup", targets: ["medsup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // librdkafka (>= 2.3), found through pkg-config; scripts/setup.sh installs it.
        .systemLibrary(name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka"),
        // The Kafka layer: typed configuration, an async producer, a consumer as an AsyncSequence.
        .target(name: "Kafka", dependencies: ["CRdKafka", lifecycle, logging], path: "Shared/Kafka"),
        // Event contracts: CloudEvents envelope, topic names, payloads exchanged between services.
        .target(name: "Vocabulary", path: "Shared/Vocabulary"),

        .target(name: "Events", dependencies: ["HISContract", "ReviewStatistics", "Kafka", "Vocabulary"], path: "Shared/Events"),
        // PostgreSQL: pool, migrations, transactional outbox, idempotent inbox.
        .target(name: "Persistence", dependencies: [postgres, nioCore, nioPosix, "Kafka", "Events", "HISContract", "Timing", lifecycle, logging, metrics],
                path: "Shared/Persistence"),
        // Service kit: configuration, logging, metrics, health, tracing, HTTP app.
        .target(name: "ServiceKit", dependencies: ["OperatorAccess", hummingbird, httpTypes, postgres, nioCore, nioPosix, "Kafka", "Persistence", "Events", "Timing", lifecycle, logging, metrics,
                                                  prometheus],
                path: "Shared/ServiceKit"),
        // Pure domain modules (no I/O): the national payloads and the rules of the documents.
        .target(name: "HISContract", path: "Shared/HISContract"),
        // The knowledge base (知识库): catalogues, directories and the insured-person registry.
        .target(name: "KnowledgeBase", dependencies: ["HISContract"], path: "Shared/KnowledgeBase"),
        // The rule base (规则库) as versioned data and the evaluation engine of the 21 patterns.
        .target(name: "RuleEngine", dependencies: ["HISContract", "KnowledgeBase", "Vocabulary"], path: "Shared/RuleEngine"),
        // The seeded generator behind every draw that must replay the same (traffic, samples, inspection plans).
        .target(name: "Determinism", path: "Shared/Determinism"),
        // A `Duration` in seconds, microseconds and nanoseconds, for every module that converts one.
        .target(name: "Timing", path: "Shared/Timing"),
        // The reviewers' workbench rules: discretion, two-level sampling, legal gate, audit chain, rewards, leases.
        .target(name: "ReviewWorkflow", dependencies: ["Vocabulary", "Determinism", "OperatorAccess", "AuditChain", crypto, jwt], path: "Shared/ReviewWorkflow"),
        // The tamper-evident hash chain (pure) and its store, head announcements and routes, one per service schema.
        .target(name: "AuditChain", dependencies: [crypto], path: "Shared/AuditChain"),
        .target(name: "AuditTrail", dependencies: ["AuditChain", "OperatorAccess", "Persistence", "Events", "ServiceKit", postgres, hummingbird, lifecycle],
                path: "Shared/AuditTrail"),
        // The operator accounts, their passwords and login (mounted in intake).
        .target(name: "OperatorDirectory", dependencies: ["OperatorAccess", "AuditTrail", "Persistence", "ServiceKit", postgres, hummingbird,
                                                          crypto, .product(name: "_CryptoExtras", package: "swift-crypto")],
                path: "Shared/OperatorDirectory"),
        // Operators as persons: roles, short-lived signed tokens (jwt-kit), constant-time secret comparison.
        .target(name: "OperatorAccess", dependencies: [crypto, jwt], path: "Shared/OperatorAccess"),
        // Credit: practitioner points, grades and consequences, objections and repair, region risk, inspection draws.
        .target(name: "CreditRules", dependencies: ["Vocabulary", "HISContract", "Determinism", crypto], path: "Shared/CreditRules"),
        // Notification: routing by remit, field minimisation, webhook signatures, retries, public disclosure.
        .target(name: "NotificationRules", dependencies: ["Vocabulary", crypto], path: "Shared/NotificationRules"),
        // Disclosure statistics per institution and period, with the peer comparison.
        .target(name: "ReviewStatistics", path: "Shared/ReviewStatistics"),
        // The edge checks of a hospital push (validation of 3101/3102 payloads).
        .target(name: "SettlementValidation", dependencies: ["HISContract", "KnowledgeBase"], path: "Shared/SettlementValidation"),
        // Synthetic 3102 traffic with labelled violations, for tests, the demo and the quality report.
        .target(name: "TrafficGenerator", dependencies: ["HISContract", "KnowledgeBase", "RuleEngine", "Determinism", "Timing"], path: "Shared/TrafficGenerator"),
        // The platform's HTTP APIs as typed calls, the scripted reviewers and loopback agency receivers (CLI, demo, end-to-end tests).
        .target(name: "PlatformClient", dependencies: ["AuditChain", "HISContract", "ReviewWorkflow", "NotificationRules", hummingbird, logging], path: "Shared/PlatformClient"),

        // The knowledge base and rule engine as a service keeps them: stored, in memory, updatable while running.
        .target(name: "ReferenceData", dependencies: ["Persistence", "Events", "KnowledgeBase", "RuleEngine", hummingbird, lifecycle],
                path: "Shared/ReferenceData"),

        // The claim history of the cross-claim patterns, read the same way by intake and smart-review.
        .target(name: "ClaimArchive", dependencies: ["Persistence", "HISContract", "RuleEngine", postgres], path: "Shared/ClaimArchive"),

        service("intake", ["OperatorDirectory", "HISContract", "KnowledgeBase", "RuleEngine", "ReferenceData", "SettlementValidation", "ClaimArchive", crypto],
                resources: [.copy("Resources/intake.yaml")]),
        service("smart-review", ["OperatorDirectory", "HISContract", "KnowledgeBase", "RuleEngine", "ReferenceData", "ReviewStatistics", "ReviewWorkflow", "CreditRules", "ClaimArchive", crypto,
                                 .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "Mustache", package: "swift-mustache")],
                resources: [.copy("Resources/smart-review.yaml"), .copy("Resources/console")]),
        service("credit", ["CreditRules", "HISContract", "KnowledgeBase", "ReferenceData"], resources: [.copy("Resources/credit.yaml")]),
        service("notification", ["NotificationRules", crypto], resources: [.copy("Resources/notification.yaml")]),
        .executableTarget(name: "medsup-bench", dependencies: ["Kafka", "Persistence", "Events", "ServiceKit", "HISContract", "KnowledgeBase", "Timing",
                                                               "TrafficGenerator", "SettlementValidation", hummingbird, argumentParser, logging, httpClient],
                          path: "Tools/medsup-bench"),

        .executableTarget(name: "medsup", dependencies: ["AuditChain", "Events", "HISContract", "KnowledgeBase", "TrafficGenerator", "PlatformClient", "ReviewWorkflow", argumentParser],
                          path: "Tools/medsup"),
        .executableTarget(name: "rule-quality", dependencies: ["KnowledgeBase", "RuleEngine", "TrafficGenerator"],
                          path: "Tools/rule-quality"),
        .testTarget(name: "RuleEngineTests", dependencies: ["HISContract", "KnowledgeBase", "RuleEngine", "TrafficGenerator"],
                    path: "Tests/RuleEngineTests", resources: [.copy("Fixtures")]),
        .testTarget(name: "ReviewStatisticsTests", dependencies: ["ReviewStatistics"], path: "Tests/ReviewStatisticsTests"),
        .testTarget(name: "OperatorAccessTests", dependencies: ["OperatorAccess", "AuditChain", "ReviewWorkflow", "TestSupport"],
                    path: "Tests/OperatorAccessTests"),
        .testTarget(name: "ReviewWorkflowTests", dependencies: ["ReviewWorkflow"], path: "Tests/ReviewWorkflowTests"),
        .testTarget(name: "CreditRulesTests", dependencies: ["CreditRules", "HISContract"], path: "Tests/CreditRulesTests"),
        .testTarget(name: "NotificationRulesTests", dependencies: ["NotificationRules"], path: "Tests/NotificationRulesTests"),
        .testTarget(name: "DomainTests", dependencies: ["HISContract", "Events", "Kafka", "ServiceKit", "SettlementValidation", "KnowledgeBase",
                                                       "TrafficGenerator", "Determinism", "Timing"], path: "Tests/DomainTests"),
        // Helpers of the tests that run against the real broker and database.
        .target(name: "TestSupport", dependencies: ["Kafka", "Persistence", "Events", "ServiceKit", "HISContract", "OperatorAccess", "ReviewWorkflow",
                                                  logging, hummingbird, httpTypes, postgres], path: "Tests/TestSupport"),
        .testTarget(name: "SmartReviewTests", dependencies: ["smart-review", "TestSupport", "HISContract", "RuleEngine", "ReviewWorkflow", "Events", "Persistence",
                                                            "KnowledgeBase", "TrafficGenerator", "ClaimArchive",
                                                            "Kafka", "ServiceKit", hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/SmartReviewTests"),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport", "Kafka", "Persistence", "Events", "ServiceKit", "AuditChain", "AuditTrail",
                                                            "OperatorAccess", postgres, hummingbird,
                                                            .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/IntegrationTests"),
        .testTarget(name: "CreditTests", dependencies: ["credit", "TestSupport", "CreditRules", "RuleEngine", "Events", "Persistence", "Kafka", "ServiceKit",
                                                       hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/CreditTests"),
        .testTarget(name: "NotificationTests", dependencies: ["notification", "TestSupport", "NotificationRules", "Events", "Persistence", "Kafka",
                                                             "ServiceKit", hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/NotificationTests"),
        .testTarget(name: "IntakeTests", dependencies: ["intake", "TestSupport", "OperatorAccess", "AuditChain", "HISContract", "Events", "Persistence", "Kafka", "ServiceKit",
                                                       hummingbird, .product(name: "HummingbirdTesting", package: "hummingbird")],
                    path: "Tests/IntakeTests"),
        // The four service executables as child processes against the real broker and database (binaries from MEDSUP_BIN_DIR).
        .testTarget(name: "EndToEndTests", dependencies: ["PlatformClient", "TestSupport", "AuditChain", "Persistence", postgres, "HISContract", "KnowledgeBase", "TrafficGenerator",
                                                           "Events", "Kafka", "ReviewWorkflow", "NotificationRules"],
                    path: "Tests/EndToEndTests"),
    ]
)
