from .checkpoints import verify_trail
from .keys import AuditKeys
from .trail import ChainReport, pending_subjects, record, record_denied, record_replay, verify_chain

__all__ = ["AuditKeys", "ChainReport", "pending_subjects", "record", "record_denied", "record_replay",
           "verify_chain", "verify_trail"]
