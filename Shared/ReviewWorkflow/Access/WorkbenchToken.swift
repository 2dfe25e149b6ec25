import Foundation
import JWTKit
import OperatorAccess

/// The posts of the workbench. A token carries exactly one, so one person acting in two posts needs
/// two tokens — and the segregation checks still compare the person (`sub`), not the token.
public enum WorkbenchRole: String, Codable, Sendable, CaseIterable {
    /// 初审
    case firstReviewer = "first_reviewer"
    /// 复审
    case secondReviewer = "second_reviewer"
    /// 法制审核
    case legalReviewer = "legal_reviewer"
    /// 医保行政部门 监管人员: opens, decides and publishes cases
    case supervisor
    /// 审计: reads and verifies the full-process record
    case auditor
    case admin
    /// 定点医药机构: sees and answers (申辩) only its own items and cases; the token names it in `medins`.
    case institution
}

/// The person behind a verified token and the region (区划 admdvs) they may act in.
public struct Reviewer: Sendable, Equatable {
    public let user: String
    public let role: WorkbenchRole
    public let admdvs: String
    /// The institution (fixmedins_code) an `institution` token speaks for; nil for the bureau's posts.
    public let medinsID: String?

    public init(user: String, role: WorkbenchRole, admdvs: String, medinsID: String? = nil) {
        self.user = user
        self.role = role
        self.admdvs = admdvs
        self.medinsID = medinsID
    }

    /// A region code covers the codes under it: 430000 (province) covers 430100 (city) and 430102
    /// (district), so the scope is the code without its trailing "00" pairs, used as a prefix.
    public func covers(_ region: String) -> Bool { !scope.isEmpty && region.hasPrefix(scope) }

    public var scope: Substring {
        var scope = Substring(admdvs)
        while scope.hasSuffix("00") { scope = scope.dropLast(2) }
        return scope
    }
}

/// HS256 JSON Web Tokens signed with the bureau's shared secret (`REVIEW_JWT_SECRET`) through jwt-kit;
/// the identity provider, the CLI and the tests mint them with `mint`.
public enum WorkbenchToken {
    /// Why a token was refused; the service answers 401 with the message.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    struct Claims: JWTPayload {
        var sub: String
        var role: String
        var admdvs: String
        var medins: String?
        var exp: Int

        /// Expiry is checked by `verify(_:secret:now:)`, which can be given the time.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Signs a token valid for `lifetime` seconds.
    public static func mint(user: String, role: WorkbenchRole, admdvs: String, medins: String? = nil, secret: String,
                            lifetime: TimeInterval = 3600, now: Date = Date()) async throws -> String {
        let claims = Claims(sub: user, role: role.rawValue, admdvs: admdvs, medins: medins, exp: Int(now.timeIntervalSince1970 + lifetime))
        return try await HS256Signer(secret: secret).sign(claims)
    }

    /// The reviewer named by a valid, unexpired HS256 token; 401 for anything else.
    public static func verify(_ token: String, secret: String, now: Date = Date()) async throws -> Reviewer {
        guard let claims = try? await HS256Signer(secret: secret).verify(token, as: Claims.self) else {
            throw Invalid(description: "a valid signed workbench token is required")
        }
        guard let role = WorkbenchRole(rawValue: claims.role), !claims.sub.isEmpty,
              role != .institution || !(claims.medins ?? "").isEmpty
        else { throw Invalid(description: "the token's claims are incomplete") }
        guard Double(claims.exp) > now.timeIntervalSince1970 else { throw Invalid(description: "the token has expired") }
        return Reviewer(user: claims.sub, role: role, admdvs: claims.admdvs, medinsID: claims.medins)
    }
}
