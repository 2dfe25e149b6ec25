/// The platform's two words for how grave something is — a finding's `Severity` and a case's `Gravity` —
/// are defined once in `Vocabulary` and seen by every user of this module.
@_exported import Vocabulary
