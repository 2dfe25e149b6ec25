import Foundation
import HTTPTypes
import OperatorAccess
import ReviewWorkflow

/// The bearer token each principal of the matrix presents: operators' from the services' own
/// minting, reviewers' and institutions' workbench tokens from `workbenchSecret`, or an intake
/// credential for the institution where one is given.
public struct PrincipalTokens: Sendable {
    let workbenchSecret: String
    let institutionCredential: String?
    public static let region = "430100", institution = "H43010000001"

    public init(workbenchSecret: String = "a-workbench-secret-the-matrix-mints-with", institutionCredential: String? = nil) {
        self.workbenchSecret = workbenchSecret
        self.institutionCredential = institutionCredential
    }

    public func headers(_ principal: Principal) async throws -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        switch principal {
        case .anonymous: return headers
        case .operatorRole(let role):
            headers[.authorization] = "Bearer \(try await TestEnvironment.operatorToken(for: "matrix-\(role.rawValue)", [role]))"
        case .post(let post):
            headers[.authorization] = "Bearer \(try await WorkbenchToken.mint(user: "matrix-\(post.rawValue)", role: post, admdvs: Self.region, secret: workbenchSecret))"
        case .institution:
            if let institutionCredential {
                headers[.authorization] = "Bearer \(Self.institution):\(institutionCredential)"
            } else {
                let token = try await WorkbenchToken.mint(user: "matrix-clerk", role: .institution, admdvs: Self.region, medins: Self.institution,
                                                          secret: workbenchSecret)
                headers[.authorization] = "Bearer \(token)"
            }
        }
        return headers
    }
}
