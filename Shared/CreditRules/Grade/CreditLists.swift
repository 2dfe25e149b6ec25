import HISContract

/// Entry and exit rules of the red list (守信联合激励对象名单) and the black list (失信联合惩戒对象名单).
public struct ListPolicy: Sendable, Codable, Equatable {
    public var version: String
    /// Red list: grade at least this good …
    public var redListGrade: CreditGrade
    /// … and no negative fact in force recorded within this many days.
    public var redListCleanDays: Int
    /// Black list after grade D: at least this many days on the list.
    public var blackListMinimumDays: Int
    /// Black list after a fraud case: at least this many days, and only fraud recorded within this
    /// many days lists a subject.
    public var blackListFraudMinimumDays: Int

    public init(version: String = "credit-lists-v1", redListGrade: CreditGrade = .A, redListCleanDays: Int = 730,
                blackListMinimumDays: Int = 365, blackListFraudMinimumDays: Int = 1095) {
        self.version = version
        self.redListGrade = redListGrade
        self.redListCleanDays = redListCleanDays
        self.blackListMinimumDays = blackListMinimumDays
        self.blackListFraudMinimumDays = blackListFraudMinimumDays
    }

    /// Red: grade A and two clean years. Black: a fraud case (3 years at least) or grade D (1 year at
    /// least); exit after the period, with the grade above D, no fraud still in force, and repair done.
    public static let `default` = ListPolicy()
}

public enum BlackListTrigger: Sendable, Codable, Equatable {
    /// A confirmed fraud case (欺诈骗保), by its credit-file entry id.
    case fraud(entryId: String)
    case gradeD
}

public struct BlackListing: Sendable, Codable, Equatable {
    public var since: CivilDate
    public var earliestExit: CivilDate
    public var trigger: BlackListTrigger

    public init(since: CivilDate, earliestExit: CivilDate, trigger: BlackListTrigger) {
        self.since = since
        self.earliestExit = earliestExit
        self.trigger = trigger
    }
}

/// A subject's list membership; the credit service stores it and passes it back at the next
/// evaluation, so entry dates and minimum periods survive re-evaluation.
public struct ListMembership: Sendable, Codable, Equatable {
    public var redSince: CivilDate?
    public var black: BlackListing?

    public init(redSince: CivilDate? = nil, black: BlackListing? = nil) {
        self.redSince = redSince
        self.black = black
    }
}

public enum ListChange: Sendable, Codable, Equatable {
    case enteredRedList, leftRedList, enteredBlackList, leftBlackList
}

public struct ListDecision: Sendable, Codable, Equatable {
    public var membership: ListMembership
    public var changes: [ListChange]
    public var reasons: [String]
}

extension ListPolicy {
    /// Re-evaluates membership on `view.date` from the file as of that date and its grade (computed
    /// from the same view), starting from the membership stored after the previous evaluation.
    public func evaluate(previous: ListMembership, view: CreditFileView, grade: GradeResult) -> ListDecision {
        let date = view.date
        var membership = previous
        var changes: [ListChange] = []
        var reasons: [String] = []
        let fraudInForce = view.inForce.filter {
            if case .violation(let v) = $0.current { return v.gravity == .fraud }
            return false
        }

        if let listing = membership.black {
            if let exit = blackListExit(listing, view: view, grade: grade, fraudInForce: !fraudInForce.isEmpty) {
                membership.black = nil
                changes.append(.leftBlackList)
                reasons.append(exit)
            } else {
                reasons.append("失信名单至少至 \(listing.earliestExit)，且须完成信用修复 / black-listed until at least \(listing.earliestExit) and repair")
            }
        } else if let fraud = fraudInForce.last(where: { $0.recordedOn.days(to: date) <= blackListFraudMinimumDays }) {
            membership.black = BlackListing(since: date, earliestExit: date.adding(days: blackListFraudMinimumDays), trigger: .fraud(entryId: fraud.entryId))
            changes.append(.enteredBlackList)
            reasons.append("\(fraud.entryId) 欺诈骗保，列入失信联合惩戒名单 / fraud case \(fraud.entryId): black list")
        } else if grade.grade == .D {
            membership.black = BlackListing(since: date, earliestExit: date.adding(days: blackListMinimumDays), trigger: .gradeD)
            changes.append(.enteredBlackList)
            reasons.append("信用等级 D，列入失信联合惩戒名单 / grade D: black list")
        }

        let recentNegative = view.inForce.filter { $0.current.isNegative && $0.recordedOn.days(to: date) <= redListCleanDays }
        let redEligible = membership.black == nil && grade.grade <= redListGrade && recentNegative.isEmpty
        if redEligible, membership.redSince == nil {
            membership.redSince = date
            changes.append(.enteredRedList)
            reasons.append("等级 \(grade.grade.rawValue) 且 \(redListCleanDays) 天内无失信记录，列入守信联合激励名单 / red list")
        } else if !redEligible, membership.redSince != nil {
            membership.redSince = nil
            changes.append(.leftRedList)
            reasons.append("不再满足守信条件，移出守信联合激励名单 / left the red list")
        }
        return ListDecision(membership: membership, changes: changes, reasons: reasons)
    }

    /// The exit reason when the subject may leave the black list on `view.date`, nil otherwise.
    private func blackListExit(_ listing: BlackListing, view: CreditFileView, grade: GradeResult, fraudInForce: Bool) -> String? {
        if case .fraud(let id) = listing.trigger, view.fact(id)?.isReversed == true {
            return "\(id) 异议成立，撤销失信名单 / trigger reversed by an upheld objection: removed"
        }
        guard view.date >= listing.earliestExit, grade.grade != .D, !fraudInForce else { return nil }
        let repairedSinceListing = view.facts.contains {
            if case .approved(let on, _) = $0.repair { return on >= listing.since }
            return false
        }
        let negativeInForce = view.inForce.contains { $0.current.isNegative }
        guard repairedSinceListing || !negativeInForce else { return nil }
        return "期满且已修复，移出失信联合惩戒名单 / period over and credit repaired: removed from the black list"
    }
}
