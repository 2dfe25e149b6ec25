import Events
import Foundation
import NotificationRules
import Persistence

/// A consumed event that cannot be read: retrying cannot fix it, so it is dead-lettered.
struct MalformedEvent: PermanentEventError, CustomStringConvertible {
    let description: String
}

/// Turns the platform's events into the `CaseNotice` the rules route, minimise and disclose.
enum NoticeMapping {
    static func notice(from event: CloudEvent) throws -> CaseNotice {
        do {
            switch event.type {
            case EventType.outcome: return notice(from: try event.decode(CaseDecided.self))
            case EventType.creditChange: return notice(from: try event.decode(CreditChanged.self))
            case EventType.inspectionPlan: return try InspectionPlanEvent(event).notice
            default: throw MalformedEvent(description: "unexpected event type \(event.type)")
            }
        } catch let error as DecodingError {
            throw MalformedEvent(description: "\(event.type) \(event.id) unreadable: \(error)")
        }
    }

    /// Routed by the case's gravity (`CaseDecided.gravity`), the reading credit files it by.
    static func notice(from decided: CaseDecided) -> CaseNotice {
        let parties = decided.parties
        return CaseNotice(
            caseId: decided.caseId, kind: .caseOutcome,
            institution: InstitutionRef(code: decided.institutionId, name: decided.institutionName ?? decided.institutionId),
            careRegion: decided.careRegion, insuredRegions: decided.insuredRegions, patterns: decided.patterns,
            gravity: decided.gravity, amount: decided.amount,
            handling: decided.handling.compactMap(measure), decisionDate: decided.decidedAt,
            suspectedCrime: decided.referToPolice, officialsInvolved: decided.publicOfficialsInvolved,
            // The institution is a party of the cases that name their parties; it is the notice's institution, not a person.
            persons: parties.filter { $0.kind != "practitioner" && $0.kind != "institution" }.map(person),
            practitioners: parties.filter { $0.kind == "practitioner" }.map(practitioner),
            traceabilityCodes: decided.traceabilityCodes.map { TraceabilityRecord(drugCode: "", drugName: "", traceCode: $0) },
            legalBasis: decided.legalBasis.isEmpty ? [] : [decided.legalBasis], typical: decided.typical ?? false)
    }

    /// Only an institution's credit change names an institution; the others are routed by subscription alone.
    static func notice(from change: CreditChanged) -> CaseNotice {
        let institution = change.subjectKind == "institution" ? change.subjectId : ""
        return CaseNotice(caseId: change.changeId, kind: .creditChange,
                          institution: InstitutionRef(code: institution, name: institution),
                          careRegion: change.region ?? "", decisionDate: EventJSON.parseTimestamp(change.effectiveFrom) ?? Date(),
                          legalBasis: change.reasons)
    }

    /// The handling words of `CaseDecided` ("recover", "fine", …) as measures; unknown words are dropped.
    static func measure(_ word: String) -> HandlingMeasure? {
        word == "recover" ? .recovery : HandlingMeasure(rawValue: word)
    }

    static func person(_ party: CaseDecided.Party) -> PersonInvolved {
        let role: PersonRole = switch (party.kind, party.role) {
        case ("public_official", _): .publicOfficial
        case ("insured_person", _): .insured
        case (_, "legal_representative"): .legalRepresentative
        default: .other
        }
        return PersonInvolved(name: party.name ?? "", idNumber: party.id, role: role, insuredRegion: party.insuredRegion)
    }

    static func practitioner(_ party: CaseDecided.Party) -> Practitioner {
        let profession: Practitioner.Profession = switch party.role {
        case "pharmacist": .pharmacist
        case "nurse": .nurse
        case "technician": .technician
        default: .doctor
        }
        return Practitioner(name: party.name ?? "", code: party.id, profession: profession)
    }
}

/// `inspection.plans`: credit's published double-random plan or its results. Read leniently
/// (only `plan_id` is needed; `region`, `title` and `published_at` when present), and kept whole
/// for the public feed, since 双随机、一公开 publishes the plan as drawn.
struct InspectionPlanEvent {
    let planID: String
    let region: String
    let document: [String: JSONValue]
    let published: Date

    init(_ event: CloudEvent) throws {
        // A plain decoder: the platform's would rename the keys of the dictionary too.
        document = try JSONDecoder().decode([String: JSONValue].self, from: Data(event.data))
        planID = document["plan_id"]?.stringValue ?? event.id
        region = document["region"]?.stringValue ?? document["admdvs"]?.stringValue ?? ""
        published = document["published_at"]?.stringValue.flatMap(EventJSON.parseTimestamp) ?? event.time
    }

    var notice: CaseNotice {
        CaseNotice(caseId: planID, kind: .inspectionPlan, institution: InstitutionRef(code: "", name: ""),
                   careRegion: region, decisionDate: published)
    }
}
