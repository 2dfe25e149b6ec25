/// Why a workbench action did not happen, in the domain's words. The stores and actions throw these;
/// only the routes turn them into HTTP answers, and only the refusals are kept in the audit log
/// (执法全过程记录: a reviewer reaching beyond their post or an action the state forbids).
public enum WorkbenchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The thing named does not exist (an item, case, report, rectification).
    case notFound(String)
    /// The thing exists but its state does not allow the action (item already decided, lease held by another).
    case conflict(String)
    /// The request cannot be read as asked (a malformed value, a case across institutions).
    case malformed(String)
    /// A field holds a value the rules refuse; the message names the field.
    case invalid(String)
    /// Refused and recorded: wrong region, another institution, segregation of duties (岗位不相容).
    case refused(String)
    /// Refused and recorded because of the state, such as publishing before legal approval.
    case refusedInState(String)
    /// Refused and recorded because a value was reused against its meaning (an idempotency key sent for another answer).
    case refusedInput(String)

    public var description: String {
        switch self {
        case .notFound(let m), .conflict(let m), .malformed(let m), .invalid(let m), .refused(let m), .refusedInState(let m), .refusedInput(let m): m
        }
    }

    /// Whether the audit log keeps this as a refusal.
    public var isRefusal: Bool {
        switch self {
        case .refused, .refusedInState, .refusedInput: true
        default: false
        }
    }
}
