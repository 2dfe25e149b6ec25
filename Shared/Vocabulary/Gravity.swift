/// A decided case's gravity: how serious the confirmed violation is (轻微 / 一般 / 严重 / 欺诈骗保). credit files
/// it (and grades, repairs and lists by it), `review.outcomes` implies it (`CaseDecided.gravity`), notification
/// routes and filters subscriptions by it. A finding's `Severity` is another thing: the machine's confidence
/// in one flagged item.
///
/// Graver is greater (`.minor < .general < .serious < .fraud`), and so is the raw value. It is encoded as that
/// number (credit's stored entries carry it); it decodes from the number or from the name ("serious"), so a
/// person writing a subscription may use either.
public enum Gravity: Int, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// 轻微: corrected on the spot, lenient-list territory (免罚轻罚).
    case minor = 1
    /// 一般: an ordinary violation (违规).
    case general = 2
    /// 严重: large amounts, repetition, or aggravated handling.
    case serious = 3
    /// 欺诈骗保: fraud (Order 735 art. 40).
    case fraud = 4

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .minor: "minor"
        case .general: "general"
        case .serious: "serious"
        case .fraud: "fraud"
        }
    }

    public var chineseName: String {
        switch self {
        case .minor: "轻微"
        case .general: "一般"
        case .serious: "严重"
        case .fraud: "欺诈骗保"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let gravity = Gravity(rawValue: number) {
            self = gravity
        } else if let name = try? container.decode(String.self), let gravity = Gravity.allCases.first(where: { $0.name == name }) {
            self = gravity
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "gravity must be 1-4 or minor, general, serious, fraud")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
