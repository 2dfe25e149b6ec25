/// A parsed CSV file: a header and its data rows, each row remembering its line number so an
/// error can point the bureau's data clerk at the exact place in the file.
public struct CSVTable: Sendable {
    public var file: String
    public var header: [String]
    public var rows: [CSVRow]
}

public struct CSVRow: Sendable {
    /// 1-based line number where the row starts in the file.
    public var line: Int
    public var fields: [String]
}

/// A small RFC 4180 reader: comma separated, fields optionally quoted with `"`, a doubled `""`
/// inside quotes is one quote, quoted fields may hold commas and line breaks; CRLF or LF endings.
public enum CSVParser {
    public static func parse(_ text: String, file: String) throws -> CSVTable {
        var records: [CSVRow] = []
        var fields: [String] = []
        var field: [Character] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var column = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil

        func endField() {
            fields.append(String(field))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            column += 1
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(CSVRow(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            column = 1
        }

        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",": endField()
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else {
                    throw KnowledgeBaseError.malformed(file: file, line: line, column: column, reason: "stray quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            default:
                if fieldWasQuoted {
                    throw KnowledgeBaseError.malformed(file: file, line: line, column: column, reason: "text after a closing quote")
                }
                field.append(c)
            }
        }
        if inQuotes {
            throw KnowledgeBaseError.malformed(file: file, line: recordLine, column: column, reason: "quoted field not closed before end of file")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        guard let header = records.first else {
            throw KnowledgeBaseError.malformed(file: file, line: 1, column: 1, reason: "empty file, expected a header row")
        }
        let body = Array(records.dropFirst())
        for row in body where row.fields.count != header.fields.count {
            throw KnowledgeBaseError.malformed(file: file, line: row.line, column: min(row.fields.count, header.fields.count) + 1,
                                               reason: "expected \(header.fields.count) fields, found \(row.fields.count)")
        }
        return CSVTable(file: file, header: header.fields.map { $0.trimmingSpaces }, rows: body)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\u{FEFF}" { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
