/// The behaviour found, in the words of the regulation (`title`). Each kind belongs to one article;
/// an institution's 第三十八条 behaviour done to defraud the fund is punished under 第四十条 instead
/// (第四十条第二款), which `ViolationCase.article` resolves.
public enum ViolationKind: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    // 第三十八条: irregular use by an institution causing a loss.
    case splitAdmission, bedOnlyAdmission, overTreatment, duplicateCharging, overStandardCharging,
         splitItemCharging, itemSwitching, facilitatingResale, outOfScopeSettlement, otherFundLoss
    // 第三十九条: management failures of an institution.
    case noInternalManagement, recordsNotKept, dataNotTransmitted, informationNotReported,
         informationNotDisclosed, outOfScopeWithoutConsent, obstructingInspection
    // 第四十条: fraud by an institution.
    case inducingFalseTreatment, forgingRecords, fabricatedServices, otherFraud
    // 第四十一条: an individual's violation.
    case lendingInsuranceCard, duplicateBenefits, resellingDrugs, usingOthersCard, individualFraud

    /// The behaviour as the regulation names it.
    public var title: String {
        switch self {
        case .splitAdmission: "分解住院"
        case .bedOnlyAdmission: "挂床住院"
        case .overTreatment: "过度诊疗、过度检查、超量开药等不必要的医药服务"
        case .duplicateCharging: "重复收费"
        case .overStandardCharging: "超标准收费"
        case .splitItemCharging: "分解项目收费"
        case .itemSwitching: "串换药品、医用耗材、诊疗项目和服务设施"
        case .facilitatingResale: "为参保人员转卖药品、接受返还提供便利"
        case .outOfScopeSettlement: "将不属于医保基金支付范围的医药费用纳入结算"
        case .otherFundLoss: "造成医保基金损失的其他违法行为"
        case .noInternalManagement: "未建立医保基金使用内部管理制度或无专门机构、人员"
        case .recordsNotKept: "未按规定保管财务账目、处方、病历、费用明细等资料"
        case .dataNotTransmitted: "未按规定通过医保信息系统传送数据"
        case .informationNotReported: "未按规定报告监督管理所需信息"
        case .informationNotDisclosed: "未按规定公示或公开医药费用等信息"
        case .outOfScopeWithoutConsent: "未经同意提供医保基金支付范围以外的医药服务"
        case .obstructingInspection: "拒绝监督检查或提供虚假情况"
        case .inducingFalseTreatment: "诱导、协助他人冒名或虚假就医购药，提供虚假证明，虚开费用单据"
        case .forgingRecords: "伪造、变造、隐匿、涂改、销毁医学文书、会计凭证、电子信息等资料"
        case .fabricatedServices: "虚构医药服务项目"
        case .otherFraud: "其他骗取医保基金支出的行为"
        case .lendingInsuranceCard: "将本人医保凭证交由他人冒名使用"
        case .duplicateBenefits: "重复享受医保待遇"
        case .resellingDrugs: "利用享受医保待遇的机会转卖药品、接受返还"
        case .usingOthersCard: "使用他人医保凭证冒名就医、购药"
        case .individualFraud: "伪造资料或虚构医药服务项目骗取医保基金"
        }
    }

    /// The article the behaviour falls under before intent is considered.
    public var article: Article {
        switch self {
        case .splitAdmission, .bedOnlyAdmission, .overTreatment, .duplicateCharging, .overStandardCharging,
             .splitItemCharging, .itemSwitching, .facilitatingResale, .outOfScopeSettlement, .otherFundLoss:
            .article38
        case .noInternalManagement, .recordsNotKept, .dataNotTransmitted, .informationNotReported,
             .informationNotDisclosed, .outOfScopeWithoutConsent, .obstructingInspection:
            .article39
        case .inducingFalseTreatment, .forgingRecords, .fabricatedServices, .otherFraud:
            .article40
        case .lendingInsuranceCard, .duplicateBenefits, .resellingDrugs, .usingOthersCard, .individualFraud:
            .article41
        }
    }

    /// Kinds that are fraud by their nature: the behaviour itself establishes the intent to defraud
    /// (第四十条 as a whole; 第四十一条第二款 for using another's card and forging or fabricating).
    public var isFraudByNature: Bool {
        switch self {
        case .inducingFalseTreatment, .forgingRecords, .fabricatedServices, .otherFraud,
             .usingOthersCard, .individualFraud:
            true
        default:
            false
        }
    }
}
