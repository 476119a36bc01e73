from .trail import ChainReport, record, record_denied, verify_chain

__all__ = ["ChainReport", "record", "record_denied", "verify_chain"]
