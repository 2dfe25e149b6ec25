import Foundation

/// One settled encounter's figures, the input of the statistics.
public struct EncounterFigures: Sendable, Equatable {
    public var institutionID: String
    public var personID: String
    public var totalFees: Decimal
    public var fundPayments: Decimal
    public var drugFees: Decimal

    public init(institutionID: String, personID: String, totalFees: Decimal, fundPayments: Decimal, drugFees: Decimal) {
        self.institutionID = institutionID
        self.personID = personID
        self.totalFees = totalFees
        self.fundPayments = fundPayments
        self.drugFees = drugFees
    }
}

/// Who an institution is compared with (同类同级同区域): its type, level and region.
public struct PeerGroup: Sendable, Hashable, Codable, CustomStringConvertible {
    public var type: String
    public var level: Int
    public var region: String

    public init(type: String, level: Int, region: String) {
        self.type = type
        self.level = level
        self.region = region
    }

    public var description: String { "\(type)/\(level)/\(region)" }
}

/// An institution's figures for a period (信息披露), and how far it stands from its peers.
public struct InstitutionStatistics: Sendable, Equatable, Codable {
    public var institutionId: String
    public var period: String
    public var peerGroup: String
    public var totalFees: Decimal
    public var fundPayments: Decimal
    public var encounters: Int
    public var persons: Int
    public var costPerEncounter: Decimal
    public var costPerPerson: Decimal
    /// Drug fees over total fees (药占比), 0...1, rounded to 4 decimals.
    public var drugShare: Decimal
    public var findingsPerPattern: [String: Int]
    /// Standard score of the cost per encounter within the peer group; nil with fewer than 3 peers.
    public var costZScore: Double?
    /// |z| above the threshold: a lead for the after-the-fact review.
    public var outlier: Bool

    public init(institutionId: String, period: String, peerGroup: String, totalFees: Decimal, fundPayments: Decimal, encounters: Int,
                persons: Int, costPerEncounter: Decimal, costPerPerson: Decimal, drugShare: Decimal, findingsPerPattern: [String: Int],
                costZScore: Double?, outlier: Bool) {
        self.institutionId = institutionId
        self.period = period
        self.peerGroup = peerGroup
        self.totalFees = totalFees
        self.fundPayments = fundPayments
        self.encounters = encounters
        self.persons = persons
        self.costPerEncounter = costPerEncounter
        self.costPerPerson = costPerPerson
        self.drugShare = drugShare
        self.findingsPerPattern = findingsPerPattern
        self.costZScore = costZScore
        self.outlier = outlier
    }
}

/// Figures per institution and the peer comparison of their cost per encounter.
/// - Parameters:
///   - peers: the peer group of each institution (from the knowledge base).
///   - findings: (institution, pattern) of each finding of the period.
public func institutionStatistics(period: String, encounters: [EncounterFigures], peers: [String: PeerGroup],
                                  findings: [(institution: String, pattern: String)], outlierZ: Double = 2) -> [InstitutionStatistics] {
    var perPattern: [String: [String: Int]] = [:]
    for finding in findings { perPattern[finding.institution, default: [:]][finding.pattern, default: 0] += 1 }
    let byInstitution = Dictionary(grouping: encounters, by: \.institutionID)
    var statistics = byInstitution.map { institution, rows in
        figures(period: period, institution: institution, rows: rows, peer: peers[institution], findings: perPattern[institution] ?? [:])
    }
    scoreAgainstPeers(&statistics, outlierZ: outlierZ)
    return statistics.sorted { $0.institutionId < $1.institutionId }
}

private func figures(period: String, institution: String, rows: [EncounterFigures], peer: PeerGroup?, findings: [String: Int]) -> InstitutionStatistics {
    let total = rows.reduce(Decimal(0)) { $0 + $1.totalFees }
    let persons = Set(rows.map(\.personID)).count
    return InstitutionStatistics(
        institutionId: institution, period: period, peerGroup: peer?.description ?? "unknown", totalFees: total,
        fundPayments: rows.reduce(Decimal(0)) { $0 + $1.fundPayments }, encounters: rows.count, persons: persons,
        costPerEncounter: rounded(total / Decimal(rows.count), 2), costPerPerson: rounded(total / Decimal(max(persons, 1)), 2),
        drugShare: total == 0 ? 0 : rounded(rows.reduce(Decimal(0)) { $0 + $1.drugFees } / total, 4),
        findingsPerPattern: findings, costZScore: nil, outlier: false)
}

/// z = (x − mean) / standard deviation of the peer group's costs per encounter.
private func scoreAgainstPeers(_ statistics: inout [InstitutionStatistics], outlierZ: Double) {
    let groups = Dictionary(grouping: statistics.indices, by: { statistics[$0].peerGroup })
    for (_, members) in groups where members.count >= 3 {
        let costs = members.map { NSDecimalNumber(decimal: statistics[$0].costPerEncounter).doubleValue }
        let mean = costs.reduce(0, +) / Double(costs.count)
        let deviation = (costs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(costs.count)).squareRoot()
        guard deviation > 0 else { continue }
        for (index, cost) in zip(members, costs) {
            let z = (cost - mean) / deviation
            statistics[index].costZScore = (z * 100).rounded() / 100
            statistics[index].outlier = abs(z) > outlierZ
        }
    }
}

private func rounded(_ value: Decimal, _ scale: Int) -> Decimal {
    var input = value, result = Decimal()
    NSDecimalRound(&result, &input, scale, .plain)
    return result
}
