from .engine import Database, build_engine, normalize_url
from .metadata import declarative_base, make_metadata
from .types import BigIntegerKey, JsonDocument, MoneyAmount, UTCDateTime

__all__ = [
    "Database", "build_engine", "normalize_url", "declarative_base", "make_metadata",
    "BigIntegerKey", "JsonDocument", "MoneyAmount", "UTCDateTime",
]
