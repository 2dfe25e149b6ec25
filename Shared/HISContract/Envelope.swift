import Foundation

/// The national interface envelope (医疗保障信息平台 定点医药机构接口规范): every call carries
/// `infno`, a unique `msgid` (the idempotency key) and the institution's code.
public struct HISRequest<Input: Codable & Sendable>: Codable, Sendable {
    public var infno: String
    public var msgid: String
    public var fixmedinsCode: String
    public var fixmedinsName: String?
    public var insuplcAdmdvs: String?
    public var mdtrtareaAdmvs: String?
    public var infver: String?
    public var opterType: String?
    public var opter: String?
    public var opterName: String?
    public var infTime: String?
    public var input: Input

    public init(infno: String, msgid: String, fixmedinsCode: String, fixmedinsName: String? = nil, infTime: String? = nil, input: Input) {
        self.infno = infno
        self.msgid = msgid
        self.fixmedinsCode = fixmedinsCode
        self.fixmedinsName = fixmedinsName
        self.infver = "V1.0"
        self.infTime = infTime
        self.input = input
    }
}

/// The answer: `infcode` 0 success, -1 failure with a field-level `err_msg`.
public struct HISResponse<Output: Codable & Sendable>: Codable, Sendable {
    public var infcode: Int
    public var infRefmsgid: String
    public var refmsgTime: String
    public var respondTime: String
    public var errMsg: String?
    public var output: Output?

    public init(infcode: Int, infRefmsgid: String, refmsgTime: String, respondTime: String, errMsg: String?, output: Output?) {
        self.infcode = infcode
        self.infRefmsgid = infRefmsgid
        self.refmsgTime = refmsgTime
        self.respondTime = respondTime
        self.errMsg = errMsg
        self.output = output
    }
}

/// The JSON coders of the national interface: snake_case field names as the specification spells them.
public enum HISJSON {
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
