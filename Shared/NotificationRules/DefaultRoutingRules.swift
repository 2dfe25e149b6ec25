extension RoutingRuleSet {
    private static let cases = RoutingCondition.kinds([.caseOutcome])

    private static func onCases(_ condition: RoutingCondition) -> RoutingCondition { .allOf([cases, condition]) }

    /// The routing the documents ask for (新医保发〔2023〕71号, 湘政办发〔2023〕45号, 宁 2025, 铜医保发〔2021〕7号).
    public static let defaults = RoutingRuleSet(rules: [
        RoutingRule(id: "R-CRIME", summary: "涉嫌犯罪线索移送公安机关（行刑衔接），公安机关书面告知是否立案",
                    condition: onCases(.suspectedCrime), target: .agencies(.police, .care),
                    noticeType: .fixed(.referral), expectsFeedback: true),
        RoutingRule(id: "R-OFFICIALS", summary: "涉嫌违纪和职务违法、职务犯罪问题线索移送纪检监察机关（行纪衔接）",
                    condition: onCases(.officialsInvolved), target: .agencies(.disciplineInspection, .care),
                    noticeType: .fixed(.referral), expectsFeedback: true),
        RoutingRule(id: "R-PRICING", summary: "医药价格收费违法线索移交市场监督管理部门",
                    condition: onCases(.anyPattern(ViolationPatterns.pricing)), target: .agencies(.marketRegulation, .care),
                    noticeType: .fixed(.clueTransfer), expectsFeedback: true),
        RoutingRule(id: "R-DRUG", summary: "药品串换、回流药、追溯码问题线索移交药品监督管理部门",
                    condition: onCases(.anyPattern(ViolationPatterns.drug)), target: .agencies(.drugAdministration, .care),
                    noticeType: .fixed(.clueTransfer), expectsFeedback: true),
        RoutingRule(id: "R-PRACTICE", summary: "过度诊疗等医疗服务行为问题通报卫生健康部门（规范医务人员执业行为）",
                    condition: onCases(.allOf([.anyPattern(ViolationPatterns.medicalConduct), .minimumGravity(.general)])),
                    target: .agencies(.healthCommission, .care), noticeType: .fixed(.clueTransfer)),
        RoutingRule(id: "R-CROSS-REGION", summary: "异地就医案件通报就医地和参保地医保部门（异地协查、问题线索横向移送）",
                    condition: onCases(.crossRegion(.city)), target: .agencies(.insuranceBureau, .careAndInsured),
                    noticeType: .fixed(.crossRegionCoordination)),
        RoutingRule(id: "R-INSTITUTION", summary: "处理结果告知定点医药机构：约谈、函询或限期整改",
                    condition: .kinds([.caseOutcome, .creditChange]), target: .institutionConcerned,
                    noticeType: .byHandling),
        RoutingRule(id: "R-PUBLIC-ENFORCEMENT", summary: "行政执法结果公示；移送公安的案件待司法程序后再公示",
                    condition: onCases(.allOf([.anyHandling([.fine, .suspension, .termination]), .not(.suspectedCrime)])),
                    target: .agencies(.publicFeed, .care), noticeType: .fixed(.publicDisclosure)),
        RoutingRule(id: "R-PUBLIC-INSPECTION", summary: "双随机、一公开：抽查计划和结果向社会公开",
                    condition: .kinds([.inspectionPlan]), target: .agencies(.publicFeed, .care),
                    noticeType: .fixed(.publicDisclosure)),
    ])
}
