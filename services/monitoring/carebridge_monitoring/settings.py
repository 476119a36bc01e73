"""The monitoring service's own settings, from the environment like the
kit's (`MONITORING_MAX_BATCH_READINGS=500`, or the plain name)."""
from __future__ import annotations

from dataclasses import dataclass

from carebridge.config import setting


@dataclass(frozen=True)
class MonitoringSettings:
    max_batch_readings: int = setting(1000, "Most readings a device gateway may send in one batch.", minimum=1)
