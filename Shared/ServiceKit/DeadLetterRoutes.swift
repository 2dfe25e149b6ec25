import Hummingbird
import Persistence
import PostgresNIO

extension Router where Context == PlatformRequestContext {
    /// `GET /api/events/dead-letters`: the events this service's consumers could not apply (a
    /// malformed or unreadable event; `source` "consumer") and the events its outbox relay could
    /// not publish because the broker refused them for good (too large, invalid topic, not
    /// authorised; `source` "outbox", with the outbox `outbox_seq` instead of partition and offset),
    /// newest first, for the bureau's operators to inspect and fix at the source. `?source=` filters.
    /// The payload is left out: it can hold personal data.
    public func addDeadLetterRoutes(database: Database, operators: OperatorGate) {
        get("/api/events/dead-letters") { request, _ in
            _ = try await operators.require(request, [.platformAdministrator, .auditor])
            let source = request.uri.queryParameters.get("source")
            guard source == nil || ["consumer", "outbox"].contains(source) else {
                throw HTTPError(.badRequest, message: "source must be consumer or outbox")
            }
            let rows = try await database.query("""
                SELECT COALESCE(json_agg(d ORDER BY d.id DESC), '[]')::text FROM (
                  SELECT id, source, consumer, topic, kafka_partition, kafka_offset, outbox_seq, event_id, error, failed_at
                  FROM \(unescaped: database.schema).dead_letters WHERE \(source)::text IS NULL OR source = \(source)
                  ORDER BY id DESC LIMIT 500) d
                """, logger: database.logger)
            var text = "[]"
            for try await value in rows.decode(String.self) { text = value }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
