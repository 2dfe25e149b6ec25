import HTTPTypes
import Hummingbird
import OperatorAccess
import ReviewWorkflow

/// Who calls: nobody, an operator of one role, a reviewer of one post, or an institution (its
/// 3101/3102 credential at intake, its workbench token elsewhere).
public enum Principal: Hashable, Sendable, CustomStringConvertible {
    case anonymous
    case operatorRole(OperatorRole)
    case post(WorkbenchRole)
    case institution

    public static let all: [Principal] = [.anonymous] + OperatorRole.allCases.map(Principal.operatorRole)
        + WorkbenchRole.allCases.filter { $0 != .institution }.map(Principal.post) + [.institution]
    public static let everyone = Set(all)

    public static func operators(_ roles: OperatorRole...) -> Set<Principal> { Set(roles.map(Principal.operatorRole)) }
    public static func posts(_ posts: WorkbenchRole...) -> Set<Principal> {
        Set(posts.map { $0 == .institution ? Principal.institution : Principal.post($0) })
    }

    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .operatorRole(let role): "operator:\(role.rawValue)"
        case .post(let post): "post:\(post.rawValue)"
        case .institution: "institution"
        }
    }
}

/// The authorisation matrix of a router: every route it serves × every principal, compared with
/// the expected set of principals a route admits. Admitted means any answer but 401 or 403 (the
/// dummy path parameters and empty bodies then give 400, 404, 422 or a real answer).
public enum AuthorizationMatrix {
    public typealias Call = @Sendable (HTTPRequest.Method, String, Principal) async throws -> HTTPResponse.Status

    /// One line per disagreement, and per route the matrix does not know (so a new route cannot go unjudged).
    /// `values`: what stands for a path parameter (1 unless named here; `medins` is the matrix's own
    /// institution, so that "its own file" is what an institution principal asks for).
    public static func mismatches<Context>(_ router: Router<Context>, expected: [String: Set<Principal>],
                                           excluding prefixes: [String] = ["/console"],
                                           values: [String: String] = ["medins": PrincipalTokens.institution], call: Call) async throws -> [String] {
        var problems: [String] = []
        let routes = router.routes.map { (method: $0.method, path: OpenAPICoverage.openAPIPath($0.path.description)) }
            .filter { route in !prefixes.contains { route.path.hasPrefix($0) } }
        for route in routes {
            let key = "\(route.method.rawValue) \(route.path)"
            guard let admitted = expected[key] else {
                problems.append("\(key): not in the matrix")
                continue
            }
            let uri = route.path.split(separator: "/").map { $0.hasPrefix("{") ? values[String($0.dropFirst().dropLast())] ?? "1" : String($0) }
                .joined(separator: "/")
            for principal in Principal.all {
                let status = try await call(route.method, "/" + uri, principal)
                let wasAdmitted = status != .unauthorized && status != .forbidden
                if wasAdmitted != admitted.contains(principal) {
                    problems.append("\(key) as \(principal): \(status.code), expected \(admitted.contains(principal) ? "admitted" : "401/403")")
                }
            }
        }
        let served = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
        problems += expected.keys.filter { !served.contains($0) }.sorted().map { "\($0): in the matrix but not served" }
        return problems
    }

    /// The routes every service serves to anyone.
    public static let operational: [String: Set<Principal>] = [
        "GET /health": Principal.everyone, "GET /ready": Principal.everyone, "GET /metrics": Principal.everyone,
        "GET /openapi.yaml": Principal.everyone,
        "GET /api/events/dead-letters": Principal.operators(.platformAdministrator, .auditor),
        "GET /api/audit/chain": Principal.operators(.platformAdministrator, .auditor),
    ]
}
