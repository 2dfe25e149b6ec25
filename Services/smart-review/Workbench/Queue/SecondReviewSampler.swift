import Foundation
import HISContract
import KnowledgeBase
import PostgresNIO
import ReviewWorkflow
import RuleEngine

/// How first-review results reach the second level (复审).
///
/// Decisions: a high-risk decision (`HighRiskCriteria`) goes to the second level at once; every other
/// waits in state `sampling`. When `batchSize` first-level decisions have gathered without a draw — or the
/// oldest of a smaller batch has waited `flushAfter` — `secondReviewSelection` runs over all of them
/// (high-risk ones included, so the random share is of the whole population). Drawing per decision would
/// not work: over a population of one, ceil(5% × 1) selects everything.
///
/// Machine-passed claims: once a day (China time) is over, the same share of the claims the machine passed
/// without a finding that day is drawn and put on the second level (`machinePassedSelection`).
///
/// Credit's sanctions (`sanctions`): every claim of an institution under full review (逐单审核: grade D, agreement
/// suspended) goes to the second level, a first decision at once, a machine-passed claim with the day's draw
/// (outside the random draw's population, so the draw replays the same).
///
/// Grade C (`increasedReview`, 提高审核比例): in a batch draw, the decisions of an institution under increased
/// review on the day of the draw are drawn at `increasedPercentage` instead of `percentage` (the ordinary draw
/// first, then a top-up from the same seed), and so are its claims in a day's machine-passed draw; the
/// institutions are stored with the draw, so it replays the same after the grade is lifted.
///
/// Every draw's seed comes from `SampleSeed` (the bureau's key and what is drawn), and the draw is stored
/// whole in `second_review_samples`, so re-running it gives the same set (`replay`).
struct SamplingPolicy: Sendable {
    var percentage: Decimal
    /// `REVIEW_INCREASED_SAMPLE_PERCENT` / 100: the share drawn of an institution under increased review (grade C).
    var increasedPercentage: Decimal = 0.2
    var batchSize: Int
    var criteria = HighRiskCriteria()
    /// `REVIEW_SAMPLE_FLUSH_SECONDS`: the longest a decision waits for its batch to fill.
    var flushAfter: TimeInterval = 3_600
    /// `REVIEW_SAMPLE_SEED_KEY`: the bureau's key of the seeds.
    var seedKey = "medsup-second-review"
}

/// What a draw was made of.
enum SampleKind: String, Codable, Sendable {
    /// A batch of first-level decisions.
    case decisions
    /// A day's claims the machine passed without a finding.
    case machinePassed = "machine_passed"
}

struct StoredSample: Codable, Sendable {
    var sampleId: Int64
    var kind: SampleKind
    var period: String?
    var selection: Selection
}

/// A draw made again: what was stored, what the re-run gives, and whether they are the same set.
struct SampleReplay: Codable, Sendable {
    var sampleId: Int64
    var kind: SampleKind
    var period: String?
    var stored: [String]
    var rerun: [String]
    var same: Bool
}

struct SecondReviewSampler: Sendable {
    let store: QueueStore
    let policy: SamplingPolicy
    /// Credit's sanctions: an institution under full review (逐单审核: grade D, agreement suspended) has
    /// every first decision on its claims reviewed again.
    var sanctions: SanctionRegister = .empty

    /// The state a freshly decided first-level item moves to.
    func stateAfterFirstDecision(_ row: ItemRow, reviewer: String, on day: CivilDate = CivilDateTime.chinaNow().date) -> ItemState {
        let decision = FirstDecision(itemID: String(row.itemId), reviewer: reviewer, severity: row.queueItem.severity, amount: row.amount)
        let fullReview = sanctions.inForce(.fullReview, on: SanctionKey(.institution, row.medinsId), date: day) != nil
        return fullReview || policy.criteria.isHighRisk(decision) ? .secondPending : .sampling
    }

    /// Draws the waiting decisions once the batch is full or its oldest has waited `flushAfter`;
    /// returns the sample id, nil when nothing is due.
    @discardableResult
    func drawIfDue(at now: Date = Date(), on connection: PostgresConnection) async throws -> Int64? {
        let (decisions, oldest) = try await store.undrawnFirstDecisions(on: connection)
        let waitedEnough = oldest.map { now.timeIntervalSince($0) >= policy.flushAfter } ?? false
        guard !decisions.isEmpty, decisions.count >= policy.batchSize || waitedEnough else { return nil }
        return try await store.store(batchSelection(decisions, increased: increasedReview(of: decisions, on: CivilDate(Self.day(of: now)) ?? CivilDateTime.chinaNow().date)),
                                     on: connection)
    }

    /// The machine-passed claims of `day` (yyyy-MM-dd) drawn for recheck, once: a second call gives the first draw.
    func drawMachinePassed(day: String, knowledgeBase: KnowledgeBase, on connection: PostgresConnection) async throws -> StoredSample {
        if let drawn = try await store.sample(.machinePassed, period: day, on: connection) { return drawn }
        let (selection, claims) = try await machinePassed(day: day, on: connection)
        let chosen = Set(selection.selectedItemIDs)
        try await store.enqueueForRecheck(claims.filter { chosen.contains($0.claim) || underFullReview($0.medins, day: day) }.map {
            ($0.claim, $0.medins, knowledgeBase.institutions[$0.medins]?.admdvs ?? "")
        }, on: connection)
        let id = try await store.insertSample(selection, kind: .machinePassed, period: day, on: connection)
        return StoredSample(sampleId: id, kind: .machinePassed, period: day, selection: selection)
    }

    /// Re-runs a stored draw: a batch from its decisions, a day from the claims the machine passed that day.
    func replay(_ id: Int64, on connection: PostgresConnection) async throws -> SampleReplay {
        let stored = try await store.sample(id, on: connection)
        let rerun: Selection
        switch stored.kind {
        case .decisions:
            rerun = batchSelection(try await store.decisions(ofSample: id, on: connection), increased: stored.selection.increasedReview)
        case .machinePassed:
            // The claims drawn are on the queue now: the day's population is what the machine still passes plus them.
            let (current, _) = try await machinePassed(day: stored.period ?? "", on: connection)
            let population = Array(Set(current.population + stored.selection.selectedItemIDs))
            let increased = stored.selection.increasedReview
            rerun = machinePassedSelection(claims: population, percentage: stored.selection.requestedPercentage, seed: current.seed,
                                           increased: increased,
                                           institutions: increased == nil ? [:] : try await store.institutions(ofClaims: population, on: connection))
        }
        return SampleReplay(sampleId: id, kind: stored.kind, period: stored.period, stored: stored.selection.selectedItemIDs,
                            rerun: rerun.selectedItemIDs, same: rerun.selectedItemIDs == stored.selection.selectedItemIDs)
    }

    /// Whether credit's sanctions put the institution under full review (逐单审核) on `day` (yyyy-MM-dd).
    private func underFullReview(_ institution: String, day: String) -> Bool {
        guard !sanctions.isEmpty, let date = CivilDate(day) else { return false }
        return sanctions.inForce(.fullReview, on: SanctionKey(.institution, institution), date: date) != nil
    }

    /// The institutions of `decisions` under increased review (grade C) on `day`; nil when none is.
    func increasedReview(of decisions: [FirstDecision], on day: CivilDate) -> IncreasedReview? {
        guard !sanctions.isEmpty else { return nil }
        let institutions = Set(decisions.compactMap(\.institution)).filter {
            sanctions.inForce(.increasedReview, on: SanctionKey(.institution, $0), date: day) != nil
        }
        return institutions.isEmpty ? nil : IncreasedReview(institutions: institutions, percentage: policy.increasedPercentage)
    }

    private func batchSelection(_ decisions: [FirstDecision], increased: IncreasedReview?) -> Selection {
        let seed = SampleSeed.seed(key: policy.seedKey, scope: SampleSeed.batchScope(decisions.map(\.itemID)))
        return secondReviewSelection(decisions: decisions, percentage: policy.percentage, seed: seed, criteria: policy.criteria,
                                     increased: increased)
    }

    private func machinePassed(day: String, on connection: PostgresConnection) async throws -> (Selection, [(claim: String, medins: String)]) {
        guard let start = LedgerCalendar.day(day) else { throw WorkbenchError.invalid("day: \(day) is not a yyyy-MM-dd day") }
        let claims = try await store.machinePassedClaims(from: start, to: start.addingTimeInterval(86_400), on: connection)
        // Claims of an institution under full review all go to the second level: the random share is of the others.
        let sampled = claims.filter { !underFullReview($0.medins, day: day) }
        let seed = SampleSeed.seed(key: policy.seedKey, scope: SampleSeed.machinePassedScope(day))
        let institutions = Dictionary(sampled.map { ($0.claim, $0.medins) }) { first, _ in first }
        let increased = CivilDate(day).flatMap { date in
            increasedReview(of: sampled.map { FirstDecision(itemID: $0.claim, reviewer: "machine", severity: .reminder, amount: 0, institution: $0.medins) },
                            on: date)
        }
        return (machinePassedSelection(claims: sampled.map(\.claim), percentage: policy.percentage, seed: seed, increased: increased,
                                       institutions: institutions), claims)
    }
}
