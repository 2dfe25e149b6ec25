/// Why a knowledge-base file was refused; always names the file, and the line and column where known.
public enum KnowledgeBaseError: Error, Equatable, CustomStringConvertible, Sendable {
    case malformed(file: String, line: Int, column: Int, reason: String)
    case missingFile(String)
    case missingColumn(file: String, column: String)

    public var description: String {
        switch self {
        case let .malformed(file, line, column, reason): "\(file) line \(line) column \(column): \(reason)"
        case let .missingFile(file): "knowledge base file \(file) is missing"
        case let .missingColumn(file, column): "\(file): header has no column '\(column)'"
        }
    }
}
