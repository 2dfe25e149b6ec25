import Foundation
import HISContract
import KnowledgeBase
import RuleEngine

/// Deterministic synthetic 3102 traffic over the knowledge base: mostly clean settlements plus
/// labelled instances of every pattern P01-P23 (and near misses that must stay clean), and corrected
/// versions of a few clean encounters, ordered by settlement time. The same seed and knowledge base always give the same stream.
public struct TrafficGenerator: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let configuration: GeneratorConfiguration

    /// Relative frequency of each pattern among injected violations (P19 and P20 sequences are long).
    public static let patternWeights: [(pattern: String, weight: Int)] =
        (1...23).map { n -> (String, Int) in
            let code = String(format: "P%02d", n)
            switch code {
            case "P19": return (code, 3)
            case "P17", "P20": return (code, 6)
            default: return (code, 10)
            }
        }

    public init(knowledgeBase: KnowledgeBase, configuration: GeneratorConfiguration = GeneratorConfiguration()) {
        self.knowledgeBase = knowledgeBase
        self.configuration = configuration
    }

    /// The whole stream, ordered by settlement time (ties in generation order).
    public func generate() -> [LabeledSettlement] {
        let config = configuration
        guard config.count > 0 else { return [] }
        let session = Session(kb: knowledgeBase, config: config)
        let totalWeight = Self.patternWeights.reduce(0) { $0 + $1.weight }
        var slot = 0
        while session.output.count < config.count, slot < config.count * 3 {
            let day = config.start.adding(days: slot * config.days / config.count)
            let time = session.time(day, fromHour: 7, toHour: 21)
            slot += 1
            if session.rng.chance(config.violationRate) {
                var roll = session.rng.int(0...(totalWeight - 1))
                let pattern = Self.patternWeights.first { roll -= $0.weight; return roll < 0 }!.pattern
                let injected = pattern == "P22" ? session.idleStay(at: time, decoy: session.rng.chance(config.decoyRate))
                    : RuleEngine.isHistoryPattern(pattern) ? session.injectHistory(pattern, at: time) : session.injectSingle(pattern, at: time)
                if injected { continue }
            }
            emitClean(session, at: time)
        }
        let ordered = session.output.enumerated().sorted { ($0.element.settlementTime, $0.offset) < ($1.element.settlementTime, $1.offset) }
        return Array(ordered.prefix(config.count).map(\.element))
    }

    private func emitClean(_ session: Session, at time: CivilDateTime) {
        for _ in 0..<5 {
            let roll = session.rng.int(0...99)
            let kind: EncounterKind = roll < 50 ? .outpatient : roll < 70 ? .pharmacy : .inpatient
            if let draft = session.cleanDraft(kind, at: time) {
                let original = session.commit(draft)
                let index = session.output.count - 1
                if session.rng.chance(configuration.correctionRate), let corrected = session.correction(of: original) {
                    session.correctionOf[index] = session.output.count
                    session.output.append(corrected)
                }
                return
            }
        }
    }
}
