"""Which channels carry one notification to one person, and when.

The in-app inbox always gets it. Email and SMS follow the person's
preference for the category (or the default for people like them), need an
address, and SMS needs recorded consent. Outside urgent news they wait for
the end of the person's quiet hours. Someone who opted out hears nothing,
except staff, who cannot silence urgent patient-safety news.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from .quiet_hours import QuietHours
from .vocabulary import EMAIL, INAPP, PRACTITIONER, PUSH_CHANNELS, ROUTINE, SMS, URGENT

# Staff who chose nothing get routine news in their inbox only, and urgent
# news also by email and (with consent) SMS.
STAFF_DEFAULT_CHANNELS = {ROUTINE: (), URGENT: (EMAIL, SMS)}


def channels_from_preferred(preferred_channel: str | None) -> tuple[str, ...]:
    """A patient's or relative's default, from the channel they told the
    patients service they prefer."""
    return (preferred_channel,) if preferred_channel in PUSH_CHANNELS else ()


@dataclass(frozen=True)
class Reachability:
    """What we know to reach one person: the projection of the patients
    service's records plus the preferences kept here."""
    recipient_type: str
    recipient_id: uuid.UUID
    language: str = "en"
    time_zone: str = "UTC"
    email: str | None = None
    sms_number: str | None = None
    sms_consent: bool = False
    default_channels: tuple[str, ...] = ()
    quiet_hours: QuietHours | None = None
    opted_out: bool = False
    category_channels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def is_staff(self) -> bool:
        return self.recipient_type == PRACTITIONER

    def address_for(self, channel: str) -> str | None:
        if channel == EMAIL:
            return self.email
        if channel == SMS:
            return self.sms_number if self.sms_consent else None
        return None

    def wanted_channels(self, category: str, urgency: str) -> tuple[str, ...]:
        if category in self.category_channels:
            return tuple(self.category_channels[category])
        if self.is_staff:
            return STAFF_DEFAULT_CHANNELS[urgency]
        return self.default_channels


@dataclass(frozen=True)
class ChannelPlan:
    channel: str
    address: str | None
    not_before: datetime


def plan_channels(person: Reachability, category: str, urgency: str, now: datetime) -> list[ChannelPlan]:
    """The deliveries to make; empty when the person must not be told."""
    if person.opted_out and not (person.is_staff and urgency == URGENT):
        return []
    plans = [ChannelPlan(INAPP, None, now)]
    release = now if urgency == URGENT or person.quiet_hours is None else person.quiet_hours.release_time(now)
    for channel in person.wanted_channels(category, urgency):
        address = person.address_for(channel)
        if address:
            plans.append(ChannelPlan(channel, address, release))
    return plans
