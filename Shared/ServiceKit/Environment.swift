import Foundation

/// A missing or malformed setting: start-up stops with a message naming the variable.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "configuration error: \(variable) \(problem)" }
}

/// Reads settings once at start-up from environment variables, each with a documented default.
public struct Environment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) { self.values = values }

    public func string(_ name: String, default fallback: String) -> String {
        guard let value = values[name], !value.isEmpty else { return fallback }
        return value
    }

    /// A setting without a sensible default (a secret): missing stops start-up.
    public func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else { throw ConfigurationError(variable: name, problem: "is required but not set") }
        return value
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = values[name], !text.isEmpty else { return fallback }
        guard let value = Int(text) else { throw ConfigurationError(variable: name, problem: "must be a whole number, got '\(text)'") }
        guard range.contains(value) else { throw ConfigurationError(variable: name, problem: "must be within \(range), got \(value)") }
        return value
    }

    public func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let text = values[name]?.lowercased(), !text.isEmpty else { return fallback }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, problem: "must be true or false, got '\(text)'")
        }
    }

    /// Variables `PREFIX_A_B=v` as `a.b=v`: librdkafka properties passed through unchanged.
    public func properties(prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in values where name.hasPrefix(prefix) {
            result[name.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        return result
    }
}
