import Foundation

/// The rule base (规则库) as versioned data: a bureau changes thresholds, severities, texts or
/// switches rules off by publishing a new `RuleSet` with a higher version; no code changes.
public struct RuleSet: Codable, Sendable, Equatable {
    public var version: Int
    public var rules: [Rule]

    public init(version: Int, rules: [Rule]) {
        self.version = version
        self.rules = rules
    }
}

/// One rule: a pattern (P01..P23) with its thresholds, severity, legal basis and explanation.
public struct Rule: Codable, Sendable, Equatable {
    /// e.g. "R-P03-001".
    public var id: String
    /// Bumped whenever the rule's data changes; recorded on every finding.
    public var version: Int
    /// "P01".."P23" of patterns.csv.
    public var pattern: String
    public var name: String
    public var enabled: Bool
    /// What its findings are: 明确违规, 疑似违规 or 提醒 (1, 2, 3 in the rule set's JSON).
    public var severity: Severity
    /// e.g. "《医疗保障基金使用监督管理条例》第三十八条".
    public var legalBasis: String
    /// Chinese text with `{placeholder}`s the pattern fills in (see `PatternCatalog`).
    public var explanation: String
    public var parameters: [String: RuleParameter]

    public init(id: String, version: Int, pattern: String, name: String, enabled: Bool = true, severity: Severity,
                legalBasis: String, explanation: String, parameters: [String: RuleParameter] = [:]) {
        self.id = id
        self.version = version
        self.pattern = pattern
        self.name = name
        self.enabled = enabled
        self.severity = severity
        self.legalBasis = legalBasis
        self.explanation = explanation
        self.parameters = parameters
    }
}

/// A rule parameter. JSON: `{"int": 30}`, `{"decimal": "0.5"}` (a string, so no binary rounding)
/// or `{"items": ["A", "B"]}`.
public enum RuleParameter: Codable, Sendable, Equatable {
    case int(Int)
    case decimal(Decimal)
    case items([String])

    private enum Key: String, CodingKey { case int, decimal, items }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        if let n = try c.decodeIfPresent(Int.self, forKey: .int) {
            self = .int(n)
        } else if let text = try c.decodeIfPresent(String.self, forKey: .decimal) {
            guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw DecodingError.dataCorruptedError(forKey: .decimal, in: c, debugDescription: "'\(text)' is not a decimal")
            }
            self = .decimal(d)
        } else if let items = try c.decodeIfPresent([String].self, forKey: .items) {
            self = .items(items)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected one of int, decimal, items"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case let .int(n): try c.encode(n, forKey: .int)
        case let .decimal(d): try c.encode("\(d)", forKey: .decimal)
        case let .items(items): try c.encode(items, forKey: .items)
        }
    }

    var typeName: String {
        switch self {
        case .int: "int"
        case .decimal: "decimal"
        case .items: "items"
        }
    }
}

extension RuleSet {
    /// The widest look-back, in calendar days, that the enabled history rules' parameters ask for
    /// (`windowDays`, `maxGapHours` rounded up to days), plus one day because some windows count
    /// calendar days rather than elapsed time. A loader that filters earlier claims by admission date
    /// must add the longest stay it expects on top (a stay's discharge can fall in the window).
    public var historyWindowDays: Int {
        let days = rules.filter { $0.enabled && RuleEngine.isHistoryPattern($0.pattern) }.map { rule in
            max(rule.int("windowDays", default: 0), (rule.int("maxGapHours", default: 0) + 23) / 24)
        }
        return (days.max() ?? 0) + 1
    }
}

extension Rule {
    /// A whole-number parameter (validated, so present unless optional).
    func int(_ name: String, default fallback: Int) -> Int {
        if case let .int(n)? = parameters[name] { return n }
        return fallback
    }

    /// A decimal parameter; a whole number is accepted as a decimal.
    func decimal(_ name: String, default fallback: Decimal) -> Decimal {
        switch parameters[name] {
        case let .decimal(d)?: d
        case let .int(n)?: Decimal(n)
        default: fallback
        }
    }

    /// Catalogue codes this rule leaves alone (optional `exemptCodes` of every rule).
    var exemptCodes: Set<String> {
        if case let .items(items)? = parameters["exemptCodes"] { return Set(items) }
        return []
    }
}
