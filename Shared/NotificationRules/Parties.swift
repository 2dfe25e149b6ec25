import Foundation

/// A person involved in a case. Identity numbers (身份证号) are personal data: every receiver
/// gets them in full, masked, or not at all, as its `FieldPolicy` says.
public struct PersonInvolved: Sendable, Codable, Equatable {
    public var name: String
    public var idNumber: String
    public var role: PersonRole
    /// 参保地 admdvs of an insured person.
    public var insuredRegion: String?

    public init(name: String, idNumber: String, role: PersonRole, insuredRegion: String? = nil) {
        self.name = name
        self.idNumber = idNumber
        self.role = role
        self.insuredRegion = insuredRegion
    }
}

public enum PersonRole: String, Sendable, Codable, CaseIterable {
    /// 参保人
    case insured
    /// 法定代表人 / 主要负责人
    case legalRepresentative
    /// 公职人员: delivered as the separate field `officials`, for 行纪衔接.
    case publicOfficial
    /// 其他涉案人员 (e.g. a drug reseller)
    case other
}

/// A practitioner of the institution (医保医师、药师、护士).
public struct Practitioner: Sendable, Codable, Equatable {
    public var name: String
    /// 医保医师/药师代码
    public var code: String
    public var profession: Profession

    public init(name: String, code: String, profession: Profession) {
        self.name = name
        self.code = code
        self.profession = profession
    }

    public enum Profession: String, Sendable, Codable, CaseIterable {
        case doctor, pharmacist, nurse, technician
    }
}

/// A diagnosis (ICD-10 code and name): health data, the most sensitive kind.
public struct Diagnosis: Sendable, Codable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// One drug package by its traceability code (药品追溯码).
public struct TraceabilityRecord: Sendable, Codable, Equatable {
    public var drugCode: String
    public var drugName: String
    public var traceCode: String

    public init(drugCode: String, drugName: String, traceCode: String) {
        self.drugCode = drugCode
        self.drugName = drugName
        self.traceCode = traceCode
    }
}

/// A charged item against its standard price (医疗服务价格).
public struct PricingItem: Sendable, Codable, Equatable {
    public var itemCode: String
    public var itemName: String
    public var billedPrice: Decimal
    public var standardPrice: Decimal?
    public var quantity: Decimal
    /// The part of the charge the case holds to be wrong.
    public var excessAmount: Decimal

    public init(itemCode: String, itemName: String, billedPrice: Decimal, standardPrice: Decimal? = nil,
                quantity: Decimal = 1, excessAmount: Decimal) {
        self.itemCode = itemCode
        self.itemName = itemName
        self.billedPrice = billedPrice
        self.standardPrice = standardPrice
        self.quantity = quantity
        self.excessAmount = excessAmount
    }
}
