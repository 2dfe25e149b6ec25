private let F = Disclosure.full
private let M = Disclosure.masked
private let A = Disclosure.anonymised
private let X = Disclosure.excluded

extension FieldPolicies {
    /// Column order of `table`.
    static let columns: [SubscriberType] = [
        .police, .disciplineInspection, .healthCommission, .marketRegulation, .drugAdministration,
        .audit, .insuranceBureau, .institution, .publicFeed,
    ]

    /// One row per field, one column per subscriber type, every cell decided. Why, in brief:
    /// - police (公安) investigate: identities, amounts, diagnoses, codes, the decision — everything;
    /// - discipline inspection (纪检监察) needs the officials in full, other persons masked, no health data;
    /// - health commission (卫健) regulates practitioners and medical conduct: practitioners and
    ///   diagnoses, persons masked, no prices or drug codes;
    /// - market regulation (市场监管) acts on prices: pricing items, no persons, no diagnoses;
    /// - drug administration (药监) acts on circulation: traceability codes and pharmacists,
    ///   persons masked, no diagnoses;
    /// - audit (审计) audits the fund: amounts and prices, persons and practitioners masked;
    /// - the other region's bureau (参保地/就医地医保部门) acts on its own insured persons: in full;
    /// - the institution gets its own case and staff, other persons masked, nothing of any
    ///   referral or officials (so as not to forewarn an investigation);
    /// - the public feed: the institution named, persons anonymised, no identifiers or health data.
    /// The free-text decision may name persons and diagnoses, so it goes only to the receivers of a
    /// formal referral (police, discipline inspection), the other bureau, and the institution it is served on.
    static let table: [(NoticeField, [Disclosure])] = [
        //                     pol disc hlth mkt drug aud bur inst pub
        (.caseId,            [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.kind,              [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.institutionCode,   [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.institutionName,   [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.careRegion,        [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.insuredRegions,    [F,  F,   X,   X,  X,   F,  F,  X,   X]),
        (.patterns,          [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.gravity,           [F,  F,   F,   F,  F,   F,  F,  F,   X]),
        (.amount,            [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.handling,          [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.decisionDate,      [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.suspectedCrime,    [F,  F,   X,   X,  X,   X,  F,  X,   X]),
        (.officialsInvolved, [F,  F,   X,   X,  X,   X,  X,  X,   X]),
        (.persons,           [F,  M,   M,   X,  M,   M,  F,  M,   A]),
        (.officials,         [F,  F,   X,   X,  X,   X,  X,  X,   X]),
        (.practitioners,     [F,  M,   F,   X,  F,   M,  M,  F,   A]),
        (.diagnoses,         [F,  X,   F,   X,  X,   X,  F,  F,   X]),
        (.traceabilityCodes, [F,  X,   X,   X,  F,   X,  F,  F,   X]),
        (.pricingItems,      [F,  X,   X,   F,  X,   F,  F,  F,   X]),
        (.legalBasis,        [F,  F,   F,   F,  F,   F,  F,  F,   F]),
        (.decisionText,      [F,  F,   X,   X,  X,   X,  F,  F,   X]),
    ]

    /// The default policies, built from `table`.
    public static let defaults: FieldPolicies = {
        var policies: [SubscriberType: FieldPolicy] = [:]
        for (index, type) in columns.enumerated() {
            var decisions: [NoticeField: Disclosure] = [:]
            for (field, row) in table where index < row.count { decisions[field] = row[index] }
            policies[type] = FieldPolicy(decisions)
        }
        return FieldPolicies(policies)
    }()
}
