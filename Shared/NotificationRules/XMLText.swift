/// Escaping for XML 1.0 text and attribute values.
public enum XMLText {
    /// Escapes the five predefined entities and drops characters XML 1.0 forbids (control
    /// characters other than tab, newline and carriage return; U+FFFE, U+FFFF), which a
    /// parser would otherwise reject: the feed must stay well-formed whatever a decision contains.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
