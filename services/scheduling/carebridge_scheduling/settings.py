"""The scheduling service's own settings, from the environment like the
kit's (`SCHEDULING_NOSHOW_GRACE_MINUTES=20`, ...), read and checked once when
the runtime is built and reached as `runtime.service_settings`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebridge.config import checked_by, list_of, mapping_of, optional, setting

from carebridge.events.catalogue.common import CLINICAL_SETTINGS

from .domain.telehealth import PROVIDERS


def https_url(raw: str) -> str:
    # The link admits the patient to the call: it must not travel in clear.
    if not raw.startswith("https://"):
        raise ValueError("must be an https URL")
    return raw


# "nursing-home=1440;hospital=1440,120" -> {"nursing-home": (1440,), ...}
offsets_by_setting = mapping_of(list_of(int), keys=CLINICAL_SETTINGS, minimum=1)


@dataclass(frozen=True)
class SchedulingSettings:
    noshow_grace_minutes: int = setting(15, "A booked visit not checked in this long after its start is a "
                                            "no-show.", minimum=0)
    reminder_offsets_minutes: tuple[int, ...] = setting((1440, 120), "Minutes before the start at which "
                                                                     "reminders go out.", minimum=1)
    reminder_offsets_by_setting: str = setting(
        "nursing-home=1440",
        "Reminder offsets per clinical setting, as 'setting=minutes,minutes;...'; a setting not named uses "
        "REMINDER_OFFSETS_MINUTES. Default: nursing-home=1440 (the facility's staff are told the day before; "
        "no 2-hour reminder).", parse=checked_by(offsets_by_setting))

    def reminder_offsets_for(self, clinical_setting: str) -> tuple[int, ...]:
        return offsets_by_setting(self.reminder_offsets_by_setting).get(clinical_setting,
                                                                         self.reminder_offsets_minutes)
    waitlist_hold_minutes: int = setting(120, "How long a slot offered to the first patient on the waitlist "
                                              "is held for them.", minimum=1)
    telehealth_join_base_url: str = setting("https://telehealth.carebridge.example/join",
                                            "Where a telehealth visit's join link points (https; the token is "
                                            "appended; the placeholder provider).", parse=https_url)
    telehealth_provider: str = setting("placeholder", "Which video rooms telehealth visits get: placeholder (a "
                                                      "link under TELEHEALTH_JOIN_BASE_URL, for development) or "
                                                      "jitsi (Jitsi Meet at JITSI_BASE_URL).", choices=PROVIDERS)
    jitsi_base_url: str = setting("https://meet.jit.si", "The Jitsi Meet server of the rooms (https; e.g. a "
                                                         "self-hosted one).", parse=https_url)
    jitsi_app_id: str | None = setting(None, "The Jitsi JWT application id (issuer), when the server requires "
                                             "tokens.", parse=optional(str))
    jitsi_app_secret: str | None = setting(None, "The Jitsi JWT secret (HS256): with it each link carries a "
                                                 "token for its room only, valid around the visit.",
                                           parse=optional(str), secret=True)

    @property
    def noshow_grace(self) -> timedelta:
        return timedelta(minutes=self.noshow_grace_minutes)

    @property
    def waitlist_hold(self) -> timedelta:
        return timedelta(minutes=self.waitlist_hold_minutes)
