import PostgresNIO

/// How the services tell PostgreSQL's errors apart at the edge: "not there right now" is a 503
/// to retry, "this value cannot be stored" is the caller's bad input (4xx); anything else stays a
/// server error.
public enum DatabaseErrors {
    /// A lost or refused connection, or a server shutting down or starting up (SQLSTATE 08, 57P, 53300),
    /// or work given up at its deadline or because the database was found unresponsive.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if error is TransactionTimeout || error is DatabaseUnresponsive { return true }
        return classify(error) { psql in
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed: return true
            case .server:
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
            default: return false
            }
        }
    }

    /// A value the request carried that PostgreSQL refuses: a data exception (SQLSTATE class 22:
    /// NUL in text, a number out of range) or a key over the index row limit (54000).
    public static func isUnstorableInput(_ error: any Error) -> Bool {
        classify(error) { psql in
            guard psql.code == .server, let state = psql.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("22") || state == "54000"
        }
    }

    /// PostgreSQL's own message, for the answer (no query text, no parameters).
    public static func message(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError {
            for inner in [transaction.beginError, transaction.closureError, transaction.commitError].compactMap({ $0 }) { return message(inner) }
        }
        return (error as? PSQLError)?.serverInfo?[.message] ?? "database error"
    }

    private static func classify(_ error: any Error, _ test: (PSQLError) -> Bool) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.closureError, transaction.rollbackError, transaction.commitError]
                .contains { $0.map { classify($0, test) } ?? false }
        }
        return (error as? PSQLError).map(test) ?? false
    }
}
