/// Administrative division codes (行政区划代码, `admdvs`): six digits, two for the province,
/// two for the city (地市, usually the pooling region 统筹区), two for the county.
///
/// A jurisdiction is written as the code of its own level padded with zeros ("320000" is
/// Jiangsu, "320100" Nanjing), so it covers every code that starts with its unpadded prefix.
/// Only the six-digit form is understood; longer township codes are compared by their first six digits.
public enum RegionCode {
    /// The unpadded prefix of a jurisdiction: "320100" → "3201", "000000" → "" (the whole country).
    public static func prefix(of jurisdiction: String) -> Substring {
        var code = Substring(jurisdiction.prefix(6))
        while code.count >= 2, code.hasSuffix("00") { code = code.dropLast(2) }
        return code
    }

    /// Whether `jurisdiction` covers the division `code` (a province covers its cities and counties).
    public static func covers(_ jurisdiction: String, _ code: String) -> Bool {
        code.hasPrefix(prefix(of: jurisdiction))
    }

    /// How specific a jurisdiction is (0 national … 6 county): the most specific competent
    /// authority is the one a referral goes to (属地管辖).
    public static func specificity(of jurisdiction: String) -> Int {
        prefix(of: jurisdiction).count
    }

    /// Whether two divisions lie in the same area at `level`.
    public static func sameArea(_ a: String, _ b: String, at level: RegionLevel) -> Bool {
        a.prefix(level.digits) == b.prefix(level.digits)
    }
}

/// The level at which two divisions are compared.
public enum RegionLevel: String, Sendable, Codable, CaseIterable {
    /// 省级
    case province
    /// 地市级: the usual pooling region (统筹区), so the usual meaning of "another region" in 异地就医.
    case city
    /// 县区级
    case county

    public var digits: Int {
        switch self {
        case .province: 2
        case .city: 4
        case .county: 6
        }
    }
}
