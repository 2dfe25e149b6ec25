/// One value per `Gravity`, as a plain struct so models encode as readable JSON
/// (`{"minor":3,"general":8,...}`) rather than as a keyed array.
public struct GravityTable<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public var minor: Value
    public var general: Value
    public var serious: Value
    public var fraud: Value

    public init(minor: Value, general: Value, serious: Value, fraud: Value) {
        self.minor = minor
        self.general = general
        self.serious = serious
        self.fraud = fraud
    }

    public subscript(gravity: Gravity) -> Value {
        switch gravity {
        case .minor: minor
        case .general: general
        case .serious: serious
        case .fraud: fraud
        }
    }
}
