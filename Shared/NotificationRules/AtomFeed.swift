import Foundation

/// Feed-level data of the public feed.
public struct AtomFeedInfo: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var updated: Date
    /// The publishing bureau (Atom requires an author; the feed's covers every entry).
    public var authorName: String
    public var selfLink: String?
    /// Link of an entry: this prefix plus the percent-encoded case id; no link when nil.
    public var entryLinkPrefix: String?

    public init(id: String, title: String, updated: Date, authorName: String, selfLink: String? = nil,
                entryLinkPrefix: String? = nil) {
        self.id = id
        self.title = title
        self.updated = updated
        self.authorName = authorName
        self.selfLink = selfLink
        self.entryLinkPrefix = entryLinkPrefix
    }
}

/// Renders an Atom 1.0 document (RFC 4287) of disclosure entries: pure string building, every
/// text and attribute escaped.
public enum AtomFeed {
    public static func render(_ info: AtomFeedInfo, entries: [DisclosureEntry]) -> String {
        var lines = [
            #"<?xml version="1.0" encoding="utf-8"?>"#,
            #"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">"#,
            "  " + element("id", info.id),
            "  " + element("title", info.title, attributes: [("type", "text")]),
            "  " + element("updated", timestamp(info.updated)),
            "  <author>" + element("name", info.authorName) + "</author>",
        ]
        if let selfLink = info.selfLink { lines.append("  " + link(rel: "self", href: selfLink)) }
        for entry in entries { lines += render(entry, info: info) }
        lines.append("</feed>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ entry: DisclosureEntry, info: AtomFeedInfo) -> [String] {
        var lines = [
            "  <entry>",
            "    " + element("id", entry.id),
            "    " + element("title", entry.title, attributes: [("type", "text")]),
            "    " + element("updated", timestamp(entry.decisionDate)),
            "    " + element("published", timestamp(entry.decisionDate)),
        ]
        if let prefix = info.entryLinkPrefix {
            lines.append("    " + link(rel: "alternate", href: prefix + PublicDisclosure.percentEncoded(entry.caseId)))
        }
        lines.append("    " + emptyElement("category", [("term", entry.category.rawValue), ("label", entry.category.nameZh)]))
        for violation in entry.violations {
            lines.append("    " + emptyElement("category", [("term", violation.code), ("label", violation.nameZh)]))
        }
        lines.append("    " + element("summary", entry.summary, attributes: [("type", "text")]))
        lines.append("  </entry>")
        return lines
    }

    static func element(_ name: String, _ text: String, attributes: [(String, String)] = []) -> String {
        "<\(name)\(attributeList(attributes))>\(XMLText.escape(text))</\(name)>"
    }

    static func emptyElement(_ name: String, _ attributes: [(String, String)]) -> String {
        "<\(name)\(attributeList(attributes))/>"
    }

    static func link(rel: String, href: String) -> String {
        emptyElement("link", [("rel", rel), ("href", href)])
    }

    static func attributeList(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(XMLText.escape($0.1))\"" }.joined()
    }

    /// RFC 3339 in UTC, as Atom requires.
    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
}
