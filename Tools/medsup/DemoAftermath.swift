import Foundation
import PlatformClient

/// What follows the traffic in the demo: the agencies subscribe receivers this process hosts on
/// loopback, the scripted reviewers work the queue, and the demo waits for credit's changes and the
/// signed deliveries, then says what happened and where to look.
struct DemoAftermath {
    let platform: Platform
    /// The cities (admdvs) the traffic came from.
    let regions: [String]
    let maxItems: Int
    /// Items left on the first-level queue per region for the console's newcomers.
    var leaveWaiting: [String: Int] = [:]

    /// The agencies subscribed in each province of the traffic (NotificationRules.SubscriberType).
    static let agencies = [("police", "公安机关"), ("disciplineInspection", "纪检监察机关"), ("healthCommission", "卫生健康委员会"),
                           ("marketRegulation", "市场监督管理局"), ("drugAdministration", "药品监督管理局")]

    func run() async throws {
        guard !platform.jwtSecret.isEmpty else {
            print("\nREVIEW_JWT_SECRET is not set: the scripted reviewers cannot sign in, so no case follows.")
            return
        }
        let receivers = LocalReceivers()
        try await receivers.start()
        let subscribed = try await subscribeAgencies(receivers)
        print("\nScripted reviewers at work (up to \(maxItems) items, \(regions.count) regions) …")
        let report = try await ScriptedReviewers(platform: platform, regions: regions, maxItems: maxItems, leaveWaiting: leaveWaiting).work()
        let changes = try await awaitCreditChanges(report.casesPublished)
        let rows = try await awaitDeliveries(report.casesPublished, subscribers: Set(subscribed))
        print(DemoSummary(report: report, changes: changes, deliveries: rows, receivers: receivers, subscribed: subscribed).text)
        await receivers.stop()
    }

    /// One receiver per agency and province; ids carry the run's time so a second demo against the same platform works too.
    private func subscribeAgencies(_ receivers: LocalReceivers) async throws -> [String] {
        let run = String(Int(Date().timeIntervalSince1970)), provinces = Set(regions.map { String($0.prefix(2)) + "0000" }).sorted()
        var ids: [String] = []
        for province in provinces {
            for (type, name) in Self.agencies {
                let id = "\(type)-\(province)-\(run)"
                let credentials = try await platform.subscribe(AgencyReceiver(id: id, type: type, name: "\(name)（\(province)）",
                                                                              jurisdiction: province, url: receivers.url(of: id)))
                try receivers.trust(id, secret: credentials.secret?.secret ?? "")
                ids.append(id)
            }
        }
        return ids
    }

    /// credit's changes naming each published case, once every doctor of each case has one (or after a minute).
    private func awaitCreditChanges(_ cases: [PublishedCase]) async throws -> [CreditChange] {
        let ids = Set(cases.map(\.caseId))
        var changes: [CreditChange] = []
        for _ in 0..<120 {
            changes = []
            let subjects = Set(cases.flatMap { published in published.doctors.map { "practitioner/\($0)" } + ["institution/\(published.institution)"] })
            for subject in subjects.sorted() {
                let parts = subject.split(separator: "/").map(String.init)
                changes += try await platform.creditChanges(kind: parts[0], id: parts[1]).filter { ids.contains($0.caseId ?? "") }
            }
            let scored = Set(changes.filter { $0.subjectKind == "practitioner" }.compactMap(\.caseId))
            if cases.allSatisfy({ $0.doctors.isEmpty || scored.contains($0.caseId) }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return changes
    }

    /// notification's deliveries of the published cases to the demo's receivers, once none is pending (or after 90 s).
    private func awaitDeliveries(_ cases: [PublishedCase], subscribers: Set<String>) async throws -> [DeliveryRow] {
        var rows: [DeliveryRow] = []
        for _ in 0..<180 {
            rows = []
            for published in cases { rows += try await platform.deliveries(caseID: published.caseId).filter { subscribers.contains($0.subscriberId) } }
            let routed = Set(rows.compactMap(\.caseId))
            if cases.allSatisfy({ routed.contains($0.caseId) }), !rows.contains(where: { $0.status == "pending" }) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return rows
    }
}
