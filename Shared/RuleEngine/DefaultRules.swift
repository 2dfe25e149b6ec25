/// The default rule base: one rule per pattern with the thresholds of patterns.csv and kb/README.md.
extension RuleSet {
    private static let regulation = "《医疗保障基金使用监督管理条例》"
    /// 第三十八条: over-standard, duplicate and unbundled charging, over-prescribing, switching, out-of-scope items.
    private static func art38(_ item: String) -> String { regulation + "第三十八条第（\(item)）项" }
    /// 第四十条: fraud — impersonation, fabricated services, resale, false care.
    private static func art40(_ item: String) -> String { regulation + "第四十条第（\(item)）项" }

    private static func rule(_ pattern: String, severity: Severity, legal: String, _ explanation: String,
                             _ parameters: [String: RuleParameter] = [:]) -> Rule {
        Rule(id: "R-\(pattern)-001", version: 1, pattern: pattern, name: PatternCatalog.schemas[pattern]!.nameZh,
             severity: severity, legalBasis: legal, explanation: explanation, parameters: parameters)
    }

    public static let defaults = RuleSet(version: 1, rules: [
        rule("P01", severity: .violation, legal: art38("六"), "{item}限{limitSex}性使用，参保人登记性别为{personSex}（{date}）"),
        rule("P02", severity: .violation, legal: art38("六"), "{item}限{limit}使用，参保人在{date}时{age}"),
        rule("P03", severity: .violation, legal: art38("三"), "{item}单价{price}元，超过{level}级机构限价{cap}元，超标准收费{excess}元（{date}）"),
        rule("P04", severity: .violation, legal: art38("三"), "{item}在{date}收费{count}次，超过每日限收{limit}次，属重复收费"),
        rule("P05", severity: .violation, legal: art38("三"), "{package}在{date}与其包含的{components}同日分别收费，属分解收费"),
        rule("P06", severity: .violation, legal: art38("二"), "{item}门诊一次开药{quantity}{unit}，按每日{perDay}{unit}计可用{days}天，超过{limit}天限量"),
        rule("P07", severity: .suspected, legal: art38("六"), "{item}限{indications}适应症使用，本次就诊诊断（{diagnoses}）均不符合"),
        rule("P08", severity: .violation, legal: art38("六"), "{item}限{minLevel}级及以上医疗机构使用，本机构按{level}级",
             ["pharmacyLevel": .int(1)]),
        rule("P09", severity: .violation, legal: art38("三"), "{item}{detail}，住院时间{admission}至{discharge}（{stayDays}天）",
             ["minStayDays": .int(1)]),
        rule("P10", severity: .violation, legal: art38("六"), "{item}限住院使用，却在{kind}中收费（{date}）"),
        rule("P11", severity: .violation, legal: art38("三"), "{items}在{dates}同日收费，同属{group}互斥项目，只能收取其一"),
        rule("P12", severity: .violation, legal: art38("四"), "{item}的药品追溯码{codes}不是该药品的追溯码（应以{prefix}开头），疑似药品串换",
             ["tracePrefixLength": .int(7)]),
        rule("P13", severity: .violation, legal: art40("一"), "{item}的药品追溯码{codes}已在结算{earlierClaims}中销售过，疑似回流药"),
        rule("P14", severity: .suspected, legal: art40("一"), "{item}在{from}至{to}（{window}天内）购药{count}次，累计可用{days}天，超过最大供药天数的{factor}倍（{limit}天）",
             ["windowDays": .int(30), "supplyFactor": .decimal(2), "minPurchases": .int(2)]),
        rule("P15", severity: .suspected, legal: art40("一"), "参保人{time}在{institution}就医，与{otherTime}在{otherInstitution}的就医{relation}，疑似冒名就医",
             ["maxGapHours": .int(6)]),
        rule("P16", severity: .violation, legal: art40("一"), "参保人登记死亡日期为{deathDate}，{detail}"),
        rule("P17", severity: .suspected, legal: art38("一"), "参保人在{from}至{to}（{window}天内）住院{count}次（入院：{admissions}），疑似挂床或虚假住院",
             ["windowDays": .int(90), "minAdmissions": .int(3)]),
        rule("P18", severity: .suspected, legal: art38("一"), "参保人{dischargeDate}出院后第{days}天（{admissionDate}）再次入住同一机构，主诊断同属{category}类（{window}天内），疑似分解住院",
             ["windowDays": .int(15), "diagnosisPrefixLength": .int(3)]),
        rule("P19", severity: .suspected, legal: art40("三"), "{detail}，疑似虚构医药服务"),
        rule("P20", severity: .suspected, legal: art40("一"), "参保人在{from}至{to}（{window}天内）门诊或购药{count}次，就诊过于频繁",
             ["windowDays": .int(7), "minEncounters": .int(8)]),
        rule("P21", severity: .suspected, legal: art40("一"), "结算中的{field}为{claimed}，与参保登记的{registered}不符，疑似冒名就医"),
        rule("P22", severity: .suspected, legal: art38("一") + "（挂床住院）；住院系虚构的，适用" + regulation + "第四十条",
             "住院期间（{admission}至{discharge}），{from}至{to}连续{days}个整日除{items}等按日计费项目外，没有任何药品、耗材、检查或治疗收费（连续{minDays}天及以上即属挂床），这些天按日计费{amount}元，疑似挂床住院",
             ["minIdleDays": .int(3)]),
        rule("P23", severity: .suspected, legal: art40("一") + "、第（二）项（虚开费用单据、伪造医学文书）",
             "参保人{time}在{institution}购买处方药{item}{quantity}{unit}（{amount}元），{detail}（处方须由购药前{window}天内至购药时刻接诊过该参保人的医师开具），处方不能成立，疑似虚假处方",
             ["windowDays": .int(3)]),
    ])
}
