import CreditRules
import Foundation

/// How subjects are named on the wire: events and URLs use snake_case kinds (`insured_person`),
/// the rules use Swift cases (`insuredPerson`).
extension CreditSubject.Kind {
    init?(wireName: String) {
        guard let kind = Self.allCases.first(where: { $0.wireName == wireName }) else { return nil }
        self = kind
    }

    var wireName: String {
        switch self {
        case .institution: "institution"
        case .practitioner: "practitioner"
        case .insuredPerson: "insured_person"
        case .employer: "employer"
        case .pharmaCompany: "pharma_company"
        }
    }

    /// Subjects with a grade and list membership; practitioners have points, insured persons
    /// direct-settlement suspensions instead.
    var isGraded: Bool { self == .institution || self == .employer || self == .pharmaCompany }
}

/// JSON as credit stores it in jsonb columns: the rule types' own Codable form, sorted keys.
enum Stored {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
