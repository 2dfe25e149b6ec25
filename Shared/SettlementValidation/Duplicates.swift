/// The positions of the elements that repeat an earlier one. A settlement's fee lines and a line's
/// traceability codes come a handful at a time, for which comparing each with those before it
/// costs less than hashing every one into a `Set` (8% of a settlement's checks, `medsup-bench
/// edge`); a long list is hashed.
enum Duplicates {
    static let compareUpTo = 16

    static func positions(in values: [String]) -> [Int] {
        guard values.count > 1 else { return [] }
        var repeated: [Int] = []
        if values.count <= compareUpTo {
            for index in 1..<values.count where values[..<index].contains(values[index]) { repeated.append(index) }
        } else {
            var seen = Set<String>(minimumCapacity: values.count)
            for (index, value) in values.enumerated() where !seen.insert(value).inserted { repeated.append(index) }
        }
        return repeated
    }
}
