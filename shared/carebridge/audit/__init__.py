from .trail import ChainReport, pending_subjects, record, record_denied, record_replay, verify_chain

__all__ = ["ChainReport", "pending_subjects", "record", "record_denied", "record_replay", "verify_chain"]
