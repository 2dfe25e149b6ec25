import Foundation
import HISContract
import KnowledgeBase

/// P19 超诊疗能力: more care than a doctor or an institution can deliver (虚构医药服务).
enum CapacityPatterns {
    static func overCapacity(_ c: ClaimContext, _ rule: Rule, _ h: HistoryView) -> [Hit] {
        switch c.claim.kind {
        case .outpatient: doctorDay(c, h)
        case .inpatient: beds(c, h)
        case .pharmacy: []
        }
    }

    /// A doctor with more outpatient encounters on the admission day than `daily_outpatient_capacity`
    /// (exactly the capacity passes).
    private static func doctorDay(_ c: ClaimContext, _ h: HistoryView) -> [Hit] {
        guard let code = c.claim.doctor, let doctor = c.kb.practitioners[code], let capacity = doctor.dailyOutpatientCapacity
        else { return [] }
        let day = c.claim.admission.date
        let others = h.doctorDay(code, day)
        guard others.count + 1 > capacity else { return [] }
        return [Hit(detailKey: "doctor:\(code)@\(day)", amount: c.claim.totalAmount,
                    relatedClaimIDs: chronological(others, by: \.admission).map(\.claimID),
                    values: ["detail": "医师\(doctor.name)（\(code)）\(day)门诊接诊\(others.count + 1)人次，超过日接诊能力\(capacity)人次",
                             "count": "\(others.count + 1)", "capacity": "\(capacity)"])]
    }

    /// An institution with more inpatients at one moment of this stay than `beds`. Stays are
    /// half-open [admission, discharge): a bed freed at a discharge can take an admission at that time.
    private static func beds(_ c: ClaimContext, _ h: HistoryView) -> [Hit] {
        guard let institution = c.institution else { return [] }
        let start = c.claim.admission, end = max(c.claim.discharge, start.adding(seconds: 1))
        let stays = h.stays(from: start, to: end).filter { $0.admission < end && $0.discharge > start }
        guard stays.count + 1 > institution.beds else { return [] }
        var events: [(time: CivilDateTime, delta: Int)] = []
        for stay in stays {
            events.append((max(stay.admission, start), 1))
            events.append((stay.discharge, -1))
        }
        events.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var current = 1, peak = 1, peakTime = start
        for event in events {
            current += event.delta
            if current > peak { peak = current; peakTime = event.time }
        }
        guard peak > institution.beds else { return [] }
        let present = stays.filter { $0.admission <= peakTime && $0.discharge > peakTime }
        return [Hit(detailKey: "beds:\(institution.code)", amount: c.claim.totalAmount,
                    relatedClaimIDs: chronological(present, by: \.admission).map(\.claimID),
                    values: ["detail": "\(institution.name)在\(peakTime)同时在院\(peak)人，超过核定床位\(institution.beds)张",
                             "count": "\(peak)", "capacity": "\(institution.beds)"])]
    }
}
