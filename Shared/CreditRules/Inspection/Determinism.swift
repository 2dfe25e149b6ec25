@_exported import Determinism
