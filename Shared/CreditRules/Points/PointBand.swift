/// The article of the 《医疗保障基金使用监督管理条例》(国务院令第735号) under which the institution's
/// case was handled. The practitioner's points follow the institution's handling (医保发〔2024〕23号:
/// 相关人员的记分与其所在定点医药机构受到的处理处罚相衔接).
public enum Order735Article: Int, Sendable, Codable, Equatable, CaseIterable {
    /// 第三十八条: institutional violations (分解住院, 过度诊疗, 串换项目, 超标准收费 …): 责令改正, 退回, 罚款 1-2 倍.
    case article38 = 38
    /// 第三十九条: management duties (未建立内控制度, 未按规定保管资料 …): 责令改正, 罚款 1-5 万元.
    case article39 = 39
    /// 第四十条: fraud (欺诈骗保): 退回, 罚款 2-5 倍.
    case article40 = 40
}

/// The weight of the handling within its band, from the handling decision (情节轻重 and the person's share
/// of responsibility: 一般 / 重要 / 主要责任). Not a severity: it places points inside a band, it grades nothing.
public enum HandlingWeight: Int, Sendable, Codable, Equatable, CaseIterable, Comparable {
    case lighter = 0
    case ordinary = 1
    case heavier = 2

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// How the institution's case was handled, as far as the practitioner's points depend on it.
public struct CaseHandling: Sendable, Codable, Equatable {
    /// nil when the case was handled under the service agreement only (协议处理) or by an order to
    /// correct without an administrative penalty.
    public var article: Order735Article?
    /// Whether a fine (罚款) was imposed.
    public var fined: Bool
    /// Whether the case was found to be fraud (欺诈骗保), whatever article was cited.
    public var fraud: Bool
    /// Aggravated handling on top of the fine: the responsible department's fund-paid services were
    /// suspended (责令暂停相关责任部门涉及医保基金使用的医药服务) or the agreement terminated.
    public var aggravated: Bool
    public var weight: HandlingWeight

    public init(article: Order735Article?, fined: Bool, fraud: Bool = false, aggravated: Bool = false,
                weight: HandlingWeight = .ordinary) {
        self.article = article
        self.fined = fined
        self.fraud = fraud
        self.aggravated = aggravated
        self.weight = weight
    }
}

/// The four point bands of 医保发〔2024〕23号. Each violation deducts points within one band.
public enum PointBand: Int, Sendable, Codable, Equatable, CaseIterable, Comparable {
    /// 1-3: agreement handling (协议处理: 约谈, 限期整改, 拒付) or correction without a fine.
    case agreementHandling = 1
    /// 4-6: an administrative fine under art. 38 or 39 of Order 735.
    case fined = 2
    /// 7-9: an art. 38/39 fine with aggravated handling (services suspended, agreement terminated).
    case aggravated = 3
    /// 10-12: a fraud fine under art. 40 of Order 735 (欺诈骗保).
    case fraud = 4

    public var points: ClosedRange<Int> {
        let upper = rawValue * 3
        return (upper - 2)...upper
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The band a handling falls in. Fraud (or art. 40) wins over everything; an art. 38/39 fine is
    /// 4-6, or 7-9 when aggravated; anything without a fine under 38/39 is 1-3 — a lenient outcome
    /// (免罚轻罚) is deliberately not pushed into a fine band.
    public static func band(for handling: CaseHandling) -> PointBand {
        if handling.fraud || handling.article == .article40 { return .fraud }
        guard handling.fined, handling.article == .article38 || handling.article == .article39 else {
            return .agreementHandling
        }
        return handling.aggravated ? .aggravated : .fined
    }

    /// The point value: the band's lower bound plus the weight (lighter +0, ordinary +1, heavier +2),
    /// e.g. an ordinary art. 38 fine deducts 5, a heavier fraud case 12 (which terminates at once).
    public static func points(for handling: CaseHandling) -> Int {
        band(for: handling).points.lowerBound + handling.weight.rawValue
    }
}
