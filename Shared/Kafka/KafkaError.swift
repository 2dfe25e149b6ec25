import CRdKafka

public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let code: Int32

    public init(_ description: String, code: Int32 = -1) {
        self.description = description
        self.code = code
    }

    init(_ context: String, err: rd_kafka_resp_err_t) {
        self.init("\(context): \(cString(rd_kafka_err2str(err)))", code: err.rawValue)
    }
}
