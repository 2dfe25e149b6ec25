/// The behaviour found, in the words of the regulation. Each kind belongs to one article; an
/// institution's 第三十八条 behaviour done to defraud the fund is punished under 第四十条 instead
/// (第四十条第二款), which `ViolationCase.article` resolves.
public enum ViolationKind: String, Codable, Sendable, Equatable, Hashable, CaseIterable {
    // 第三十八条
    /// 分解住院
    case splitAdmission
    /// 挂床住院
    case bedOnlyAdmission
    /// 过度诊疗、过度检查、分单处方、超量开药、重复开药或其他不必要的医药服务
    case overTreatment
    /// 重复收费
    case duplicateCharging
    /// 超标准收费
    case overStandardCharging
    /// 分解项目收费
    case splitItemCharging
    /// 串换药品、医用耗材、诊疗项目和服务设施
    case itemSwitching
    /// 为参保人员转卖药品、接受返还提供便利
    case facilitatingResale
    /// 将不属于基金支付范围的费用纳入结算
    case outOfScopeSettlement
    /// 造成基金损失的其他违法行为
    case otherFundLoss

    // 第三十九条
    /// 未建立基金使用内部管理制度或无专门机构、人员
    case noInternalManagement
    /// 未按规定保管账目、凭证、处方、病历、费用明细等资料
    case recordsNotKept
    /// 未按规定通过医保信息系统传送数据
    case dataNotTransmitted
    /// 未按规定报告监督管理所需信息
    case informationNotReported
    /// 未按规定公示或向社会公开医药费用等信息
    case informationNotDisclosed
    /// 未经同意提供基金支付范围以外的医药服务
    case outOfScopeWithoutConsent
    /// 拒绝监督检查或提供虚假情况
    case obstructingInspection

    // 第四十条
    /// 诱导、协助他人冒名或虚假就医、购药，提供虚假证明材料，串通虚开费用单据
    case inducingFalseTreatment
    /// 伪造、变造、隐匿、涂改、销毁医学文书、会计凭证、电子信息等资料
    case forgingRecords
    /// 虚构医药服务项目
    case fabricatedServices
    /// 其他骗取基金支出的行为
    case otherFraud

    // 第四十一条
    /// 将本人医保凭证交由他人冒名使用
    case lendingInsuranceCard
    /// 重复享受医保待遇
    case duplicateBenefits
    /// 利用享受待遇的机会转卖药品、接受返还
    case resellingDrugs
    /// 使用他人医保凭证冒名就医、购药 (always fined under 第四十一条第二款)
    case usingOthersCard
    /// 个人伪造资料或虚构医药服务骗取基金
    case individualFraud

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

    /// Kinds that are fraud by their nature: intent to defraud is established by the behaviour itself.
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
