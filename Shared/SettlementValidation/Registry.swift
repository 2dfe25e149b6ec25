import HISContract
import KnowledgeBase

/// What the edge checks need of the knowledge base: the directories and the registry.
public protocol Registry: Sendable {
    func institutionExists(_ code: String) -> Bool
    func practitionerExists(_ code: String) -> Bool
    /// The registered person, if any (alive or dead: care after death is a finding, not a refusal).
    func personExists(_ psnNo: String) -> Bool
    /// Whether the catalogue (医保目录) knows the code for that line type.
    func catalogueKnows(_ code: String, type: String) -> Bool
}

extension KnowledgeBase: Registry {
    public func institutionExists(_ code: String) -> Bool { institutions[code] != nil }
    public func practitionerExists(_ code: String) -> Bool { practitioners[code] != nil }
    public func personExists(_ psnNo: String) -> Bool { persons[psnNo] != nil }
    public func catalogueKnows(_ code: String, type: String) -> Bool {
        switch type {
        case "101", "102": drugs[code] != nil
        default: services[code] != nil || drugs[code] != nil
        }
    }
}
