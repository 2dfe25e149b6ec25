import Hummingbird

/// Whether a service's OpenAPI document describes every route its router serves, read from the
/// router itself so that a new route cannot be forgotten in the document.
public enum OpenAPICoverage {
    /// The routes ("GET /api/x/{id}") of `router` that `document` lacks, HTML pages (`/console`) aside.
    public static func undocumented<Context>(_ router: Router<Context>, document: String,
                                             excluding prefixes: [String] = ["/console"]) -> [String] {
        let described = operations(in: document)
        return router.routes.map { "\($0.method.rawValue) \(openAPIPath($0.path.description))" }
            .filter { route in !described.contains(route) && !prefixes.contains { route.split(separator: " ")[1].hasPrefix($0) } }
            .sorted()
    }

    /// `:id` in a Hummingbird path is `{id}` in OpenAPI.
    static func openAPIPath(_ path: String) -> String {
        "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    /// "METHOD /path" for each operation under `paths:` (two-space paths, four-space methods).
    static func operations(in document: String) -> Set<String> {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var result = Set<String>(), path: String?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path,
                      let word = line.dropFirst(4).split(separator: ":").first, methods.contains(String(word)) {
                result.insert("\(word.uppercased()) \(path)")
            } else if !line.hasPrefix(" "), !line.isEmpty {
                path = nil
            }
        }
        return result
    }
}
