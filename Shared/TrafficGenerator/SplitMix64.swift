@_exported import Determinism

/// The generator's shorthands over the platform's seeded generator.
extension SplitMix64 {
    mutating func chance(_ p: Double) -> Bool { nextUnit() < p }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0...(items.count - 1))] }
}
