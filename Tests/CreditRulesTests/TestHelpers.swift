import CreditRules
import Foundation
import HISContract

/// A date from "yyyy-MM-dd"; the tests only use literals, so a bad one is a test bug.
func day(_ text: String) -> CivilDate {
    guard let date = CivilDate(text) else { fatalError("bad test date \(text)") }
    return date
}

func violation(_ id: String, _ gravity: Gravity, _ amount: Decimal, on date: String) -> CreditEntry {
    CreditEntry(id: id, recordedOn: day(date), recordedBy: "supervisor-1",
                event: .fact(.violation(Violation(caseId: "CASE-\(id)", gravity: gravity, amount: amount))))
}

func entry(_ id: String, _ event: CreditEvent, on date: String, by actor: String = "supervisor-1") -> CreditEntry {
    CreditEntry(id: id, recordedOn: day(date), recordedBy: actor, event: event)
}
