from .engine import Database, build_engine, normalize_url
from .metadata import declarative_base, make_metadata
from .queries import among_patients, exists_or_404, get_or_404, where_equal
from .types import BigIntegerKey, JsonDocument, MoneyAmount, UTCDateTime

__all__ = [
    "Database", "build_engine", "normalize_url", "declarative_base", "make_metadata", "among_patients", "exists_or_404",
    "get_or_404", "where_equal",
    "BigIntegerKey", "JsonDocument", "MoneyAmount", "UTCDateTime",
]
