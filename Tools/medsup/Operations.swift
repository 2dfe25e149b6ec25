import ArgumentParser
import Foundation
import PlatformClient
import ReviewWorkflow

/// The workbench queue of a region at one level, as a reviewer of that post sees it (the listing is
/// recorded in the audit log under `--user`). Needs REVIEW_JWT_SECRET.
struct ShowQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Show the review queue of a region.")
    @OptionGroup var endpoints: Endpoints
    @Option(help: "Region (admdvs), e.g. 430100.") var region = "430000"
    @Option(help: "1 (初审) or 2 (复审).") var level = 1
    @Option(help: "Who looks (recorded in the audit log).") var user = "operator"

    func run() async throws {
        let role: WorkbenchRole = level == 2 ? .secondReviewer : .firstReviewer
        let items = try await WorkbenchClient(endpoints.workbenchPlatform, user: user, role: role, region: region).queue()
        print("item      severity  amount      institution   claim")
        for item in items {
            print("\(String(item.itemId).padding(toLength: 10, withPad: " ", startingAt: 0))\(item.severity.rawValue)         "
                  + "\("\(item.amount)".padding(toLength: 12, withPad: " ", startingAt: 0))\(item.medinsId)  \(item.claimId)")
        }
        print("\(items.count) items waiting at level \(level) in \(region)")
    }
}

struct ReplayRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Re-run a rule-base version over a period (dry by default).")
    @OptionGroup var endpoints: Endpoints
    @Option(help: "First admission day, yyyy-MM-dd.") var from: String
    @Option(help: "Last admission day, yyyy-MM-dd.") var to: String
    @Option(help: "A rule set JSON file (default: the version in force).") var rules: String?
    @Flag(help: "Store and publish the findings it adds.") var forReal = false

    func run() async throws {
        let ruleSet = try rules.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        print(API.text(try await endpoints.platform().replay(from: from, to: to, dryRun: !forReal, ruleSet: ruleSet)))
    }
}

struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify-audit",
                                                    abstract: "Check every service's audit chain against the heads published on notification's public feed (exit code 2 when broken).")
    @OptionGroup var endpoints: Endpoints

    func run() async throws {
        let platform = try await endpoints.platform()
        let reports = try await AuditVerification.check(platform)
        for report in reports { print(report.summary) }
        if reports.contains(where: { !$0.findings.isEmpty }) { throw ExitCode(2) }
    }
}

struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dead-letters",
                                                    abstract: "Events each service could not apply or publish, and deliveries to agencies that exhausted their retries.")
    @OptionGroup var endpoints: Endpoints

    func run() async throws {
        let platform = try await endpoints.platform()
        for (service, _) in platform.services {
            let events = try await platform.deadEvents(of: service)
            for event in events {
                // An outbox dead letter never reached the broker: it has its outbox seq, not an offset.
                let place = event.source == "outbox" ? "outbox seq \(event.outboxSeq.map(String.init) ?? "-")"
                    : "\(event.topic)[\(event.kafkaPartition.map(String.init) ?? "-")]@\(event.kafkaOffset.map(String.init) ?? "-")"
                print("\(service)  #\(event.id)  \(event.source)  \(event.consumer)  \(event.topic)  \(place)  \(event.eventId ?? "-")  \(event.error)")
            }
            let unpublished = events.filter { $0.source == "outbox" }.count
            print("\(service): \(events.count - unpublished) events not applied, \(unpublished) not published (refused by the broker)")
        }
        let dead = try await platform.deadDeliveries()
        for row in dead {
            print("\(row.id)  \(row.subscriberId)  case \(row.caseId ?? "-")  attempts \(row.attempts)  \(row.lastError ?? "")")
        }
        print("\(dead.count) dead deliveries")
    }
}
