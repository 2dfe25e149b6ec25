import Crypto
import Events
import Foundation
import NotificationRules
import ServiceKit

/// What a receiver gets, by webhook or on `notify.<subscriber>`: the notice minimised for its
/// type under a small envelope saying what it is and whether an answer is expected.
/// Keys are snake_case, as every event of the platform writes them.
enum DeliveryEnvelope {
    /// Stable across redeliveries of the source event: the receiver's deduplication key
    /// (`webhook-id`, `ce_id`).
    static func deliveryID(eventID: String, subscriberID: String) -> String {
        let digest = SHA256.hash(data: Data("\(eventID)\n\(subscriberID)".utf8))
        return "dlv_" + digest.prefix(16).hexString
    }

    static func body(id: String, entry: DeliveryPlanEntry, notice: CaseNotice, eventType: String,
                     policies: FieldPolicies) throws -> String {
        var envelope: [String: JSONValue] = [
            "id": .string(id), "type": .string(eventType), "subject": .string(notice.caseId),
            "notice_type": .string(entry.noticeType.rawValue), "notice_name": .string(entry.noticeType.nameZh),
            "expects_feedback": .bool(entry.expectsFeedback), "reasons": .array(entry.reasons.map(JSONValue.string)),
            "data": snakeCased(.object(minimise(notice, for: entry.subscriberType, policies: policies))),
        ]
        if let deadline = entry.deadline { envelope["deadline"] = .string(deadline.formatted(.iso8601)) }
        return String(decoding: try encoder.encode(envelope), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Renames every object key from the rules' camelCase ("idNumber") to snake_case ("id_number").
    static func snakeCased(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            .object(Dictionary(uniqueKeysWithValues: members.map { (snakeCase($0.key), snakeCased($0.value)) }))
        case .array(let items): .array(items.map(snakeCased))
        default: value
        }
    }

    static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }
}
