"""The declarative base of the billing service's tables."""
from carebridge.db import declarative_base

Base = declarative_base()
