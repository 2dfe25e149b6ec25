import Foundation

/// The payload of `notice` for a receiver of `type`: only the fields its policy discloses,
/// personal fields masked or anonymised as decided. Keys are `NoticeField` raw values.
public func minimise(_ notice: CaseNotice, for type: SubscriberType,
                     policies: FieldPolicies = .defaults) -> [String: JSONValue] {
    let policy = policies.policy(for: type)
    var payload: [String: JSONValue] = [:]
    for field in NoticeField.allCases {
        let disclosure = policy.disclosure(of: field)
        guard disclosure != .excluded else { continue }
        payload[field.rawValue] = value(of: field, in: notice, disclosure)
    }
    return payload
}

private func value(of field: NoticeField, in notice: CaseNotice, _ disclosure: Disclosure) -> JSONValue {
    switch field {
    case .caseId: .string(notice.caseId)
    case .kind: .string(notice.kind.rawValue)
    case .institutionCode: .string(notice.institution.code)
    case .institutionName: .string(notice.institution.name)
    case .careRegion: .string(notice.careRegion)
    case .insuredRegions: .array(notice.insuredRegions.map(JSONValue.string))
    case .patterns: .array(notice.patterns.map(JSONValue.string))
    case .gravity: .number(Decimal(notice.gravity.rawValue))
    case .amount: .number(notice.amount)
    case .handling: .array(notice.handling.map { .string($0.rawValue) })
    case .decisionDate: .string(notice.decisionDate.formatted(.iso8601))
    case .suspectedCrime: .bool(notice.suspectedCrime)
    case .officialsInvolved: .bool(notice.officialsInvolved)
    case .persons: .array(notice.persons.filter { $0.role != .publicOfficial }.map { project($0, disclosure) })
    case .officials: .array(notice.persons.filter { $0.role == .publicOfficial }.map { project($0, disclosure) })
    case .practitioners: .array(notice.practitioners.map { project($0, disclosure) })
    case .diagnoses: .array(notice.diagnoses.map { .object(["code": .string($0.code), "name": .string($0.name)]) })
    case .traceabilityCodes: .array(notice.traceabilityCodes.map {
        .object(["drugCode": .string($0.drugCode), "drugName": .string($0.drugName), "traceCode": .string($0.traceCode)])
    })
    case .pricingItems: .array(notice.pricingItems.map(project))
    case .legalBasis: .array(notice.legalBasis.map(JSONValue.string))
    case .decisionText: .string(notice.decisionText)
    }
}

private func project(_ person: PersonInvolved, _ disclosure: Disclosure) -> JSONValue {
    var object = identity(name: person.name, identifierKey: "idNumber", identifier: person.idNumber, disclosure)
    object["role"] = .string(person.role.rawValue)
    if disclosure != .anonymised, let region = person.insuredRegion { object["insuredRegion"] = .string(region) }
    return .object(object)
}

private func project(_ practitioner: Practitioner, _ disclosure: Disclosure) -> JSONValue {
    var object = identity(name: practitioner.name, identifierKey: "code", identifier: practitioner.code, disclosure)
    object["profession"] = .string(practitioner.profession.rawValue)
    return .object(object)
}

/// Name and identifier of a natural person as `disclosure` allows; anonymised drops the identifier.
private func identity(name: String, identifierKey: String, identifier: String, _ disclosure: Disclosure) -> [String: JSONValue] {
    switch disclosure {
    case .full: ["name": .string(name), identifierKey: .string(identifier)]
    case .masked: ["name": .string(Masking.maskName(name)), identifierKey: .string(Masking.maskIdentifier(identifier))]
    case .anonymised: ["name": .string(Masking.anonymiseName(name))]
    case .excluded: [:]
    }
}

private func project(_ item: PricingItem) -> JSONValue {
    var object: [String: JSONValue] = [
        "itemCode": .string(item.itemCode), "itemName": .string(item.itemName),
        "billedPrice": .number(item.billedPrice), "quantity": .number(item.quantity),
        "excessAmount": .number(item.excessAmount),
    ]
    if let standard = item.standardPrice { object["standardPrice"] = .number(standard) }
    return .object(object)
}
