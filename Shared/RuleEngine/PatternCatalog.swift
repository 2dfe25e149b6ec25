/// What each pattern offers a rule: its parameters (with types and ranges) and the placeholders
/// its explanation may use. `RuleSet.validate()` checks rules against this schema.
struct PatternSchema: Sendable {
    var pattern: String
    /// The Chinese name of patterns.csv, e.g. 超标准收费.
    var nameZh: String
    var parameters: [ParameterSpec]
    var placeholders: Set<String>

    func parameter(named name: String) -> ParameterSpec? { parameters.first { $0.name == name } }
}

enum PatternCatalog {
    /// Every rule may list catalogue codes it leaves alone.
    private static let exempt = ParameterSpec(name: "exemptCodes", kind: .items, required: false)

    private static func schema(_ pattern: String, _ nameZh: String, _ placeholders: [String],
                               _ parameters: [ParameterSpec] = []) -> PatternSchema {
        PatternSchema(pattern: pattern, nameZh: nameZh, parameters: [exempt] + parameters, placeholders: Set(placeholders))
    }

    static let all: [PatternSchema] = [
        schema("P01", "限定性别", ["item", "date", "limitSex", "personSex"]),
        schema("P02", "限定年龄", ["item", "date", "limit", "age"]),
        schema("P03", "超标准收费", ["item", "date", "price", "cap", "level", "excess"]),
        schema("P04", "重复收费", ["item", "date", "count", "limit"]),
        schema("P05", "分解收费", ["package", "components", "date"]),
        schema("P06", "超量开药", ["item", "quantity", "unit", "perDay", "days", "limit"]),
        schema("P07", "超限定适应症", ["item", "indications", "diagnoses"]),
        schema("P08", "限定医疗机构级别", ["item", "minLevel", "level"],
               [ParameterSpec(name: "pharmacyLevel", kind: .int, minimum: 1)]),
        schema("P09", "计费日期与住院时间不符", ["item", "detail", "admission", "discharge", "stayDays"],
               [ParameterSpec(name: "minStayDays", kind: .int, minimum: 1)]),
        schema("P10", "限定住院使用", ["item", "kind", "date"]),
        schema("P11", "互斥项目", ["items", "dates", "group"]),
        schema("P12", "药品串换", ["item", "codes", "prefix"],
               [ParameterSpec(name: "tracePrefixLength", kind: .int, minimum: 1)]),
        schema("P13", "追溯码重复使用", ["item", "codes", "earlierClaims"]),
        schema("P14", "超量购药", ["item", "from", "to", "window", "count", "days", "limit", "factor"],
               [ParameterSpec(name: "windowDays", kind: .int, minimum: 1),
                ParameterSpec(name: "supplyFactor", kind: .decimal, minimum: 0),
                ParameterSpec(name: "minPurchases", kind: .int, minimum: 2)]),
        schema("P15", "同时段多处就医", ["time", "institution", "otherInstitution", "otherTime", "relation"],
               [ParameterSpec(name: "maxGapHours", kind: .int, minimum: 0)]),
        schema("P16", "死亡后就医", ["deathDate", "detail"]),
        schema("P17", "高频次住院", ["from", "to", "window", "count", "admissions"],
               [ParameterSpec(name: "windowDays", kind: .int, minimum: 1),
                ParameterSpec(name: "minAdmissions", kind: .int, minimum: 2)]),
        schema("P18", "分解住院", ["dischargeDate", "admissionDate", "days", "category", "window"],
               [ParameterSpec(name: "windowDays", kind: .int, minimum: 0),
                ParameterSpec(name: "diagnosisPrefixLength", kind: .int, minimum: 1)]),
        schema("P19", "超诊疗能力", ["detail", "count", "capacity"]),
        schema("P20", "频繁就诊", ["from", "to", "window", "count"],
               [ParameterSpec(name: "windowDays", kind: .int, minimum: 1),
                ParameterSpec(name: "minEncounters", kind: .int, minimum: 2)]),
        schema("P21", "身份信息不符", ["field", "claimed", "registered"]),
        schema("P22", "虚假住院（挂床住院）", ["from", "to", "days", "items", "amount", "admission", "discharge", "minDays"],
               [ParameterSpec(name: "minIdleDays", kind: .int, minimum: 1)]),
        schema("P23", "虚假处方", ["item", "time", "institution", "quantity", "unit", "amount", "detail", "window"],
               [ParameterSpec(name: "windowDays", kind: .int, minimum: 0)]),
    ]

    static let schemas: [String: PatternSchema] = Dictionary(uniqueKeysWithValues: all.map { ($0.pattern, $0) })

    /// Patterns that need no other claim (事前/事中 single-claim review).
    static let singleClaim: Set<String> = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10", "P11", "P12", "P21", "P22"]
}

/// `{name}` placeholders in explanation templates.
enum ExplanationTemplate {
    static func placeholders(in template: String) -> [String] {
        var result: [String] = []
        var current: String? = nil
        for c in template {
            if c == "{" { current = "" } else if c == "}" { if let name = current { result.append(name) }; current = nil } else { current?.append(c) }
        }
        return result
    }

    static func render(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var current: String? = nil
        for c in template {
            if c == "{" {
                if let pending = current { out += "{" + pending }
                current = ""
            } else if c == "}", let name = current {
                out += values[name] ?? ""
                current = nil
            } else if current != nil {
                current!.append(c)
            } else {
                out.append(c)
            }
        }
        if let pending = current { out += "{" + pending }
        return out
    }
}
