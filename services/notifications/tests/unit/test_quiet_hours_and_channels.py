"""Quiet hours in the person's own time zone, and the choice of channels."""
import uuid
from datetime import datetime, timezone

import pytest

from carebridge_notifications.domain.channel_choice import (ChannelPlan, Reachability, channels_from_preferred,
                                                            plan_channels)
from carebridge_notifications.domain.quiet_hours import QuietHours, zone

UTC = timezone.utc
NIGHT = QuietHours.from_strings("22:00", "07:00", "America/New_York")


class TestQuietHours:
    @pytest.mark.parametrize("utc_hour,quiet", [(2, False), (3, True), (11, True), (12, False), (20, False)])
    def test_overnight_window_in_local_time(self, utc_hour, quiet):
        # New York is UTC-5 in early March: 22:00-07:00 local is 03:00-12:00 UTC.
        assert NIGHT.active_at(datetime(2026, 3, 3, utc_hour, 0, tzinfo=UTC)) is quiet

    def test_daytime_window(self):
        lunch = QuietHours.from_strings("12:00", "13:00", "UTC")
        assert lunch.active_at(datetime(2026, 3, 3, 12, 30, tzinfo=UTC))
        assert not lunch.active_at(datetime(2026, 3, 3, 13, 0, tzinfo=UTC))

    def test_release_is_the_next_end_of_the_window(self):
        assert NIGHT.release_time(datetime(2026, 3, 3, 4, 0, tzinfo=UTC)) == datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
        # Before midnight local time the end is the next morning.
        assert NIGHT.release_time(datetime(2026, 3, 4, 3, 30, tzinfo=UTC)) == datetime(2026, 3, 4, 12, 0, tzinfo=UTC)

    def test_release_outside_the_window_is_now(self):
        noon = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
        assert NIGHT.release_time(noon) == noon

    def test_daylight_saving_change_is_respected(self):
        # 8 March 2026 New York moves to UTC-4: 07:00 local is then 11:00 UTC.
        assert NIGHT.release_time(datetime(2026, 3, 8, 8, 0, tzinfo=UTC)) == datetime(2026, 3, 8, 11, 0, tzinfo=UTC)

    def test_missing_or_empty_windows_are_none(self):
        assert QuietHours.from_strings(None, "07:00", "UTC") is None
        assert QuietHours.from_strings("07:00", "07:00", "UTC") is None

    def test_unknown_time_zone_falls_back_to_utc(self):
        assert zone("Mars/Olympus_Mons").key == "UTC"


NOW = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # 23:00 in New York


def person(kind="patient", **kwargs):
    defaults = dict(email="a@example.org", sms_number="+1555", default_channels=("email",))
    return Reachability(kind, uuid.uuid4(), **{**defaults, **kwargs})


class TestPlanChannels:
    def test_inbox_always_plus_the_default_channel(self):
        assert plan_channels(person(), "appointments", "routine", NOW) == [
            ChannelPlan("inapp", None, NOW), ChannelPlan("email", "a@example.org", NOW)]

    def test_routine_waits_for_quiet_hours_to_end_urgent_does_not(self):
        sleeper = person("practitioner", quiet_hours=NIGHT, category_channels={"tasks": ("email",)})
        assert plan_channels(sleeper, "tasks", "routine", NOW)[1].not_before == datetime(2026, 3, 3, 12, tzinfo=UTC)
        assert plan_channels(sleeper, "tasks", "urgent", NOW)[1].not_before == NOW

    def test_sms_needs_consent_and_email_needs_an_address(self):
        assert [p.channel for p in plan_channels(person(default_channels=("sms",)), "appointments", "routine", NOW)] \
            == ["inapp"]
        consenting = person(default_channels=("sms",), sms_consent=True)
        assert [p.channel for p in plan_channels(consenting, "appointments", "routine", NOW)] == ["inapp", "sms"]
        assert [p.channel for p in plan_channels(person(email=None), "appointments", "routine", NOW)] == ["inapp"]

    def test_opted_out_hears_nothing_except_staff_urgent(self):
        assert plan_channels(person(opted_out=True), "appointments", "routine", NOW) == []
        staff = person("practitioner", opted_out=True)
        assert plan_channels(staff, "tasks", "routine", NOW) == []
        assert [p.channel for p in plan_channels(staff, "tasks", "urgent", NOW)] == ["inapp", "email"]

    def test_staff_default_is_inbox_for_routine_and_email_for_urgent(self):
        staff = person("practitioner")
        assert [p.channel for p in plan_channels(staff, "tasks", "routine", NOW)] == ["inapp"]
        assert [p.channel for p in plan_channels(staff, "tasks", "urgent", NOW)] == ["inapp", "email"]

    def test_category_choice_overrides_the_default(self):
        chooser = person(category_channels={"appointments": ()})
        assert [p.channel for p in plan_channels(chooser, "appointments", "routine", NOW)] == ["inapp"]
        assert [p.channel for p in plan_channels(chooser, "care_plan", "routine", NOW)] == ["inapp", "email"]

    def test_preferred_channel_becomes_the_default(self):
        assert channels_from_preferred("sms") == ("sms",)
        assert channels_from_preferred("inapp") == () and channels_from_preferred("webhook") == ()
