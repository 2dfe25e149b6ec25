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

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case infno
        case msgid
        case fixmedinsCode = "fixmedins_code"
        case fixmedinsName = "fixmedins_name"
        case insuplcAdmdvs = "insuplc_admdvs"
        case mdtrtareaAdmvs = "mdtrtarea_admvs"
        case infver
        case opterType = "opter_type"
        case opter
        case opterName = "opter_name"
        case infTime = "inf_time"
        case input
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

    /// The national field names (国家医保接口规范), spelt out so no key is converted at run time.
    enum CodingKeys: String, CodingKey {
        case infcode
        case infRefmsgid = "inf_refmsgid"
        case refmsgTime = "refmsg_time"
        case respondTime = "respond_time"
        case errMsg = "err_msg"
        case output
    }
}

/// The JSON coders of the national interface. Every type of the interface names its fields as
/// the specification spells them (snake_case `CodingKeys`), so the coders convert no key: key
/// conversion was a quarter of intake's CPU time per claim under load (scripts/profile.sh).
public enum HISJSON {
    public static var decoder: JSONDecoder { JSONDecoder() }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
