import Foundation
import HISContract

/// The knowledge base (知识库): catalogues, directories and the insured-person registry, as
/// immutable dictionaries by code. A new upload builds a new value; `version` identifies its content.
public struct KnowledgeBase: Sendable {
    /// The CSV files the knowledge base is built from.
    public static let requiredFiles = ["drugs.csv", "services.csv", "diagnoses.csv", "institutions.csv",
                                       "practitioners.csv", "persons.csv", "regions.csv"]

    public let drugs: [String: Drug]
    public let services: [String: ServiceItem]
    public let diagnoses: [String: DiagnosisEntry]
    public let institutions: [String: Institution]
    public let practitioners: [String: Practitioner]
    public let persons: [String: Person]
    public let regions: [String: Region]
    /// Deterministic content fingerprint: "kb-" + FNV-1a-64 over the files sorted by name.
    public let version: String
    /// Longest catalogue code length, bounding the prefix search of `diagnosisEntry(for:)`.
    private let longestDiagnosisCode: Int

    /// Builds the knowledge base from file name → CSV text (extra files such as patterns.csv are
    /// fingerprinted but not decoded). Throws `KnowledgeBaseError` naming file, line and column.
    public init(files: [String: String]) throws {
        func table(_ name: String) throws -> CSVTable {
            guard let text = files[name] else { throw KnowledgeBaseError.missingFile(name) }
            return try CSVParser.parse(text, file: name)
        }
        drugs = try CatalogueDecoding.drugs(table("drugs.csv"))
        services = try CatalogueDecoding.services(table("services.csv"))
        diagnoses = try CatalogueDecoding.diagnoses(table("diagnoses.csv"))
        institutions = try CatalogueDecoding.institutions(table("institutions.csv"))
        practitioners = try CatalogueDecoding.practitioners(table("practitioners.csv"))
        persons = try CatalogueDecoding.persons(table("persons.csv"))
        regions = try CatalogueDecoding.regions(table("regions.csv"))
        longestDiagnosisCode = diagnoses.keys.map(\.count).max() ?? 0
        version = Self.fingerprint(files)
    }

    /// Reads every `*.csv` file of `directory`. The only I/O of this module.
    public static func load(directory: URL) throws -> KnowledgeBase {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".csv") }
        var files: [String: String] = [:]
        for name in names {
            files[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return try KnowledgeBase(files: files)
    }

    /// "kb-" + 16 hex digits of FNV-1a-64 over name, NUL, content, NUL of each file in name order.
    public static func fingerprint(_ files: [String: String]) -> String {
        var hash = FNV1a64()
        for name in files.keys.sorted() {
            hash.add(name)
            hash.add([0])
            hash.add(files[name]!)
            hash.add([0])
        }
        return "kb-" + hash.hex
    }

    /// The catalogue entry a diagnosis code falls under: the longest catalogue code it starts with
    /// (N97.9 falls under N97 or N97.9).
    public func diagnosisEntry(for code: String) -> DiagnosisEntry? {
        var prefix = Substring(code.prefix(longestDiagnosisCode))
        while !prefix.isEmpty {
            if let entry = diagnoses[String(prefix)] { return entry }
            prefix = prefix.dropLast()
        }
        return nil
    }

    /// The level used for caps and minimum levels (a pharmacy counts as level 1).
    public func effectiveLevel(of institutionCode: String) -> Int? {
        institutions[institutionCode]?.effectiveLevel
    }
}

/// FNV-1a 64-bit: a tiny, stable, dependency-free hash for fingerprints and deterministic ids.
public struct FNV1a64: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
    }

    public mutating func add(_ text: String) { add(text.utf8) }

    /// 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
