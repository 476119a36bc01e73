"""The careplans service's tables (its own database; no other service reads them)."""
from carebridge.db import declarative_base

Base = declarative_base()
