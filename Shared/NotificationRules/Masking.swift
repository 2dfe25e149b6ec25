/// Masking of personal identifiers (个人信息去标识化), shared by the field policy and the
/// public disclosure so that a name is masked the same way everywhere.
public enum Masking {
    /// "张三" → "张*", "欧阳娜娜" → "欧***": the surname stays, for a receiver that must tell
    /// persons apart in a document it already holds (e.g. the institution's own case).
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// "张三" → "张某": the customary form of published enforcement decisions (行政处罚公示).
    public static func anonymiseName(_ name: String) -> String {
        (name.first.map(String.init) ?? "") + "某"
    }

    /// Keeps the first `prefix` and last `suffix` characters and stars the rest:
    /// "110101199003074512" → "110***********4512". Too short a value is starred entirely,
    /// so that masking never reveals more than half of it.
    public static func maskIdentifier(_ value: String, prefix: Int = 3, suffix: Int = 4) -> String {
        guard value.count >= 2 * (prefix + suffix) else { return String(repeating: "*", count: value.count) }
        return String(value.prefix(prefix)) + String(repeating: "*", count: value.count - prefix - suffix) + String(value.suffix(suffix))
    }
}
