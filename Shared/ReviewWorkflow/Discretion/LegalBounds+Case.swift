import Foundation

extension ViolationCase {
    /// 首违不罚 (《行政处罚法》第三十三条): a first, minor violation corrected promptly, without intent
    /// to defraud and without a refusal to correct, is not punished when the lenient list covers its
    /// conduct and amount; the loss is still recovered.
    public func qualifiesForNoPenalty(under list: LenientList = .standard) -> Bool {
        isFirstViolation && seriousness == .minor && correctedPromptly && !refusedToCorrect && !isFraud && list.allowsNoPenalty(self)
    }

    /// Whether a 从轻 circumstance (主动退回, 主动供述) is present.
    public var hasMitigation: Bool { voluntaryRefund || selfReported }

    /// What the applied article allows for these facts, under the lenient list in force.
    public func legalBounds(under list: LenientList = .standard) -> LegalBounds {
        let article = article
        let hasLoss = amount > 0
        var bounds = LegalBounds(terminationAllowed: article.allowsTermination)
        switch article {
        case .article38, .article40:
            bounds.fineMultipleRange = hasLoss ? article.fineMultipleRange : nil
        case .article39:
            bounds.fixedFineRange = refusedToCorrect ? article.fixedFineRange : nil
        case .article41:
            bounds.fineMultipleRange = hasLoss && isFraud ? article.fineMultipleRange : nil
        }
        switch article {
        case .article38:
            bounds.suspensionRange = refusedToCorrect || seriousness == .serious ? article.suspensionRange : nil
        case .article39:
            bounds.suspensionRange = nil
        case .article40:
            bounds.suspensionRange = article.suspensionRange
        case .article41:
            bounds.suspensionRange = isInsuredPerson ? article.suspensionRange : nil
        }
        let punished = !qualifiesForNoPenalty(under: list)
        bounds.fineRequired = punished && (bounds.fineMultipleRange != nil || bounds.fixedFineRange != nil)
        bounds.suspensionRequired = punished && bounds.suspensionRange != nil
        return bounds
    }
}
