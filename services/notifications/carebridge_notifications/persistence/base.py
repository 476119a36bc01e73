"""The declarative base of the notifications service's own tables."""
from carebridge.db import declarative_base

Base = declarative_base()
