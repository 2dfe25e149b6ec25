import Foundation
import HISContract

/// Typed access to one CSV row by column name; every failure names file, line and column.
struct RowReader {
    let table: CSVTable
    let columns: [String: Int]
    var row: CSVRow = CSVRow(line: 0, fields: [])

    init(table: CSVTable, required: [String]) throws {
        self.table = table
        var columns: [String: Int] = [:]
        for (i, name) in table.header.enumerated() { columns[name] = i }
        for name in required where columns[name] == nil {
            throw KnowledgeBaseError.missingColumn(file: table.file, column: name)
        }
        self.columns = columns
    }

    func fail(_ name: String, _ reason: String) -> KnowledgeBaseError {
        .malformed(file: table.file, line: row.line, column: (columns[name] ?? 0) + 1, reason: "\(name): \(reason)")
    }

    func text(_ name: String) -> String { row.fields[columns[name]!].trimmingSpaces }

    func required(_ name: String) throws -> String {
        let value = text(name)
        guard !value.isEmpty else { throw fail(name, "required value is empty") }
        return value
    }

    func optionalInt(_ name: String) throws -> Int? {
        let value = text(name)
        if value.isEmpty { return nil }
        guard let n = Int(value) else { throw fail(name, "'\(value)' is not a whole number") }
        return n
    }

    func int(_ name: String) throws -> Int {
        guard let n = try optionalInt(name) else { throw fail(name, "required value is empty") }
        return n
    }

    func optionalDecimal(_ name: String) throws -> Decimal? {
        let value = text(name)
        if value.isEmpty { return nil }
        guard value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let d = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) else {
            throw fail(name, "'\(value)' is not a decimal number")
        }
        return d
    }

    func decimal(_ name: String) throws -> Decimal {
        guard let d = try optionalDecimal(name) else { throw fail(name, "required value is empty") }
        return d
    }

    func flag(_ name: String) throws -> Bool {
        switch text(name) {
        case "1": true
        case "0", "": false
        case let other: throw fail(name, "'\(other)' is not 0 or 1")
        }
    }

    func sex(_ name: String) throws -> Sex? {
        let value = text(name)
        if value.isEmpty { return nil }
        guard let sex = Sex(rawValue: value) else { throw fail(name, "'\(value)' is not M or F") }
        return sex
    }

    func optionalDate(_ name: String) throws -> CivilDate? {
        let value = text(name)
        if value.isEmpty { return nil }
        guard let date = CivilDate(value) else { throw fail(name, "'\(value)' is not a yyyy-MM-dd date") }
        return date
    }

    func list(_ name: String) -> [String] {
        text(name).split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// Reads every row with `make`, keyed by `key`; a repeated key is an error on its line.
    mutating func keyed<T>(by key: String, _ make: (RowReader) throws -> T) throws -> [String: T] {
        var result: [String: T] = [:]
        for row in table.rows {
            self.row = row
            let code = try required(key)
            guard result[code] == nil else { throw fail(key, "duplicate code '\(code)'") }
            result[code] = try make(self)
        }
        return result
    }
}
