from .checkpoints import verify_trail
from .keys import AuditKeys
from .trail import (ChainReport, disclosed, pending_subjects, record, record_denied, record_replay, record_search,
                    searching, verify_chain)

__all__ = ["AuditKeys", "ChainReport", "disclosed", "pending_subjects", "record", "record_denied", "record_replay",
           "record_search", "searching", "verify_chain", "verify_trail"]
