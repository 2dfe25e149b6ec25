import ArgumentParser
import Foundation
import PlatformClient

/// The operators' command line: demo traffic, pushes, rule-base publication, coverage, the queue,
/// replay, the audit log and the dead letters.
@main
struct Medsup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operate the fund supervision platform.",
        subcommands: [Demo.self, Push.self, PublishRules.self, LoadReference.self, ShowCoverage.self, Reconcile.self,
                      ShowQueue.self, ReplayRules.self, VerifyAudit.self, DeadLetters.self, OperatorToken.self, SetOperator.self])
}

struct Endpoints: ParsableArguments {
    @Option(help: "intake's base URL.") var intake = "http://127.0.0.1:8081"
    @Option(help: "smart-review's base URL.") var review = "http://127.0.0.1:8082"
    @Option(help: "credit's base URL.") var credit = "http://127.0.0.1:8083"
    @Option(help: "notification's base URL.") var notification = "http://127.0.0.1:8084"
    /// Read from the environment only, so the secret never shows in a process list.
    var jwtSecret: String { ProcessInfo.processInfo.environment["REVIEW_JWT_SECRET"] ?? "" }

    /// The platform with an operator token: `MEDSUP_OPERATOR_TOKEN` when set, else a login at intake as
    /// `MEDSUP_OPERATOR` with `MEDSUP_OPERATOR_PASSWORD` (environment only: no password in a process list).
    func platform() async throws -> Platform {
        Platform(intake: intake, review: review, credit: credit, notification: notification, adminToken: try await operatorToken(),
                 jwtSecret: jwtSecret)
    }

    /// For the reviewers' calls only (workbench tokens from `REVIEW_JWT_SECRET`), no operator login.
    var workbenchPlatform: Platform {
        Platform(intake: intake, review: review, credit: credit, notification: notification, adminToken: "", jwtSecret: jwtSecret)
    }

    func operatorToken() async throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let token = env["MEDSUP_OPERATOR_TOKEN"], !token.isEmpty { return token }
        guard let user = env["MEDSUP_OPERATOR"], let password = env["MEDSUP_OPERATOR_PASSWORD"], !user.isEmpty else {
            throw ValidationError("set MEDSUP_OPERATOR and MEDSUP_OPERATOR_PASSWORD (a login at intake), or MEDSUP_OPERATOR_TOKEN")
        }
        return try await OperatorLogin.login(intake: intake, user: user, password: password).token
    }
}

struct PublishRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "publish-rules", abstract: "Publish a rule-base version (JSON).")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "The rule set JSON file.") var file: String

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        print(String(decoding: try await API.call("PUT", "\(endpoints.review)/api/rules", token: try await endpoints.operatorToken(), body: data),
                     as: UTF8.self))
    }
}

struct LoadReference: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load-reference", abstract: "Replace reference files (CSV) in intake and smart-review.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "CSV files, e.g. reference/kb/drugs.csv.") var files: [String]

    func run() async throws {
        let token = try await endpoints.operatorToken()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file)), name = URL(fileURLWithPath: file).lastPathComponent
            for base in [endpoints.intake, endpoints.review] {
                let answer = try await API.call("PUT", "\(base)/api/reference/\(name)", token: token, body: data, contentType: "text/csv")
                print("\(base) \(String(decoding: answer, as: UTF8.self))")
            }
        }
    }
}

struct ShowCoverage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coverage", abstract: "Claims accepted but not reviewed.")
    @OptionGroup var endpoints: Endpoints

    func run() async throws { print(API.text(try await API.call("GET", "\(endpoints.review)/api/coverage"))) }
}

struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Review the claims that have no review record now.")
    @OptionGroup var endpoints: Endpoints

    func run() async throws {
        print(API.text(try await endpoints.platform().reconcile()))
    }
}

struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Push a file of settlements (NDJSON of 3102 patient records) through the bulk path.")
    @OptionGroup var endpoints: Endpoints
    @Option(help: "The institution's code.") var institution: String
    @Option(help: "The institution's secret.") var secret: String
    @Option(help: "The upload's id (a retry with the same id records nothing twice).") var batch: String
    @Argument(help: "The NDJSON file.") var file: String

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        print(String(decoding: try await API.call("POST", "\(endpoints.intake)/api/his/bulk?batch=\(batch)", token: "\(institution):\(secret)",
                                                  body: data, contentType: "application/x-ndjson"), as: UTF8.self))
    }
}

struct OperatorToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "operator-token",
                                                    abstract: "Log in as MEDSUP_OPERATOR (MEDSUP_OPERATOR_PASSWORD) and print a short-lived operator token.")
    @OptionGroup var endpoints: Endpoints

    func run() async throws { print(try await endpoints.operatorToken()) }
}

struct SetOperator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-operator",
                                                    abstract: "Create or replace a person's operator account (as a platform administrator); the password from MEDSUP_NEW_OPERATOR_PASSWORD.")
    @OptionGroup var endpoints: Endpoints
    @Argument(help: "The person's user name.") var user: String
    @Option(help: "Comma-separated roles: platform_administrator, reference_data_maintainer, rule_publisher, credit_officer, notification_administrator, auditor.")
    var roles: String

    func run() async throws {
        guard let password = ProcessInfo.processInfo.environment["MEDSUP_NEW_OPERATOR_PASSWORD"], !password.isEmpty else {
            throw ValidationError("set MEDSUP_NEW_OPERATOR_PASSWORD to the new account's password")
        }
        try await OperatorLogin.setAccount(intake: endpoints.intake, token: try await endpoints.operatorToken(), user: user,
                                           roles: roles.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) },
                                           password: password)
        print("\(user): \(roles)")
    }
}
