"""Reading charges (they are made by completed visits, see visits.py)."""
from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from carebridge.db import get_or_404

from ..persistence.charges import Charge


def get_charge(session: Session, charge_id: uuid.UUID) -> Charge:
    return get_or_404(session, Charge, charge_id, "charge")
