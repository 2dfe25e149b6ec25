// The workbench's full-process record is the platform's shared audit chain.
@_exported import AuditChain
