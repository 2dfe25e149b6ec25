/// The 23 violation patterns of the rule base, with the groups the routing rules use.
///
/// The names mirror patterns.csv / RuleEngine's catalogue; this module keeps its own copy
/// because it depends on Foundation and Crypto only. The public feed shows the Chinese name,
/// never the bare code.
public enum ViolationPatterns {
    public static let namesZh: [String: String] = [
        "P01": "限定性别", "P02": "限定年龄", "P03": "超标准收费", "P04": "重复收费",
        "P05": "分解收费", "P06": "超量开药", "P07": "超限定适应症", "P08": "限定医疗机构级别",
        "P09": "计费日期与住院时间不符", "P10": "限定住院使用", "P11": "互斥项目", "P12": "药品串换",
        "P13": "追溯码重复使用", "P14": "超量购药", "P15": "同时段多处就医", "P16": "死亡后就医",
        "P17": "高频次住院", "P18": "分解住院", "P19": "超诊疗能力", "P20": "频繁就诊",
        "P21": "身份信息不符", "P22": "虚假住院（挂床住院）", "P23": "虚假处方",
    ]

    /// Pricing violations (乱收费): over-standard price, duplicate charging, unbundling.
    /// 市场监督管理部门 规范医药价格收费.
    public static let pricing: Set<String> = ["P03", "P04", "P05"]

    /// Drug matters: switching (药品串换), traceability-code reuse (回流药), excess purchase
    /// (超量购药). 药品监督管理部门 监管药品流通和经营质量.
    public static let drug: Set<String> = ["P12", "P13", "P14"]

    /// Medical-conduct violations (过度诊疗、乱用药、乱检查): excess prescribing, indication limits,
    /// high-frequency and split admissions, services beyond capacity. 卫生健康部门 规范医疗服务行为.
    public static let medicalConduct: Set<String> = ["P06", "P07", "P17", "P18", "P19"]

    /// The Chinese name of a pattern code, or the code itself when unknown.
    public static func nameZh(_ code: String) -> String { namesZh[code] ?? code }
}
