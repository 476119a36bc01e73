"""The console test suite's helpers: the embedded stack and the console on
free ports (`ConsoleStack`), the people and records a test needs, made
through `carebridge-client` as staff would (`World`), `eventually`, and
`screenshot` (the browser tests and tools/console_screenshots.py share it).
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import tempfile
import time
import uuid
from pathlib import Path

import carebridge_client
from carebridge.auth import issue_token
from carebridge.config import SERVICE_PORTS, Settings

REPOSITORY = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPOSITORY / "docs" / "screenshots"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventually(check, *, timeout: float = 20.0, interval: float = 0.1, message: str = "the condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class ConsoleStack:
    """Every service in this process (`carebridge dev`'s DevStack) on free
    ports with SQLite in a temporary folder, and the console beside them."""

    def __init__(self):
        from carebridge.runtime.dev import DevStack
        self.data_dir = Path(tempfile.mkdtemp(prefix="console-tests-"))
        self.ports = {name: free_port() for name in SERVICE_PORTS}
        env = {k: v for k, v in os.environ.items() if not k.endswith("_URL") and k != "CAREBRIDGE_ENV"}
        env["NOTIFICATIONS_INBOX_STREAM_POLL_SECONDS"] = "0.2"
        self.dev = DevStack(data_dir=self.data_dir, ports=self.ports, environ=env)
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.console = None

    def start(self) -> "ConsoleStack":
        from carebridge_console.app import create_app
        from carebridge_console.cli import ConsoleServer
        from carebridge_console.settings import ConsoleSettings
        self.dev.start()
        settings = ConsoleSettings.from_env({**{f"{n.upper()}_URL": u for n, u in self.urls.items()},
                                             "CONSOLE_SECRET_KEY": uuid.uuid4().hex})
        self.app = create_app(settings)
        self.console = ConsoleServer(self.app, "127.0.0.1", free_port()).start()
        self.url = self.console.url
        return self

    def stop(self) -> None:
        if self.console:
            self.console.stop()
        self.dev.stop()

    def client(self, role: str, subject: str | None = None) -> carebridge_client.CareBridge:
        token = issue_token(Settings.from_env("tests"), [role], subject=subject, ttl_seconds=3600)
        return carebridge_client.CareBridge(base_urls=self.urls, token_provider=carebridge_client.StaticToken(token),
                                            retries=1)


class Person:
    def __init__(self, stack: ConsoleStack, record):
        self.record = record
        self.id = str(record.id)
        self.role = record.role
        self.name = f"{record.given_name} {record.family_name}"
        self.cb = stack.client(record.role, self.id)


class World:
    """People and records made through the client, each with a tag of its own."""

    def __init__(self, stack: ConsoleStack):
        self.stack = stack
        self.tag = uuid.uuid4().hex[:8]
        self.admin = stack.client("admin", "world-builder")

    def practitioner(self, role: str, given_name: str, specialty: str | None = None) -> Person:
        extra = {"specialty": specialty} if specialty else {}
        record = self.admin.patients.add_practitioner(given_name=given_name, family_name=f"Staff{self.tag}",
                                                      role=role, time_zone="America/Chicago", **extra)
        return Person(self.stack, record)

    def patient(self, coordinator: Person, given_name: str = "Rosa", family_name: str | None = None):
        self.patients_made = getattr(self, "patients_made", 0) + 1
        return coordinator.cb.patients.register(
            mrn=f"MRN-{self.tag}" + (f"-{self.patients_made}" if self.patients_made > 1 else ""), given_name=given_name, family_name=family_name or f"Delgado{self.tag}",
            birth_date="1948-03-02", administrative_sex="female", time_zone="America/Chicago",
            preferred_language="es", contact_points=[{"system": "sms", "value": "+15555550101"}],
            communication={"preferred_channel": "sms", "sms_consent": True})

    def care_team(self, coordinator: Person, patient, members: list[Person]):
        return coordinator.cb.patients.create_care_team(
            patient_id=str(patient.id), name="Heart failure", status="active", lead_coordinator_id=coordinator.id,
            members=[{"practitioner_id": m.id, "role": m.role} for m in members])

    def known_everywhere(self, patient, clinician: Person) -> None:
        """Wait until the other services know the care team (its events are asynchronous)."""
        for name, call in (("careplans", lambda: clinician.cb.careplans.list(patient_id=str(patient.id)).first()),
                           ("scheduling", lambda: clinician.cb.scheduling.search_appointments(
                               patient_id=str(patient.id)).first())):
            def known():
                try:
                    call()
                    return True
                except carebridge_client.Forbidden:
                    return False
            eventually(known, message=f"{name} to know the care team")

    def active_plan(self, author: Person, patient, team):
        plan = author.cb.careplans.create_from_template(template_code="heart-failure-post-discharge",
                                                        patient_id=str(patient.id), care_team_id=str(team.id))
        author.cb.careplans.get(plan.id)
        return author.cb.careplans.change_status(plan.id, status="active", reason="Discharged home")

    def open_all_week(self, coordinator: Person, practitioner: Person, codes: list[str]):
        """Every day open for `codes`; a type is booked only at a location of
        its setting (issue 25, item 14), so with types of two settings the
        day is shared: the first setting's until noon (UTC), the other's after."""
        locations = list(self.admin.scheduling.list_locations())
        setting_of = {t.code: t.setting for t in self.admin.scheduling.list_appointment_types()}
        by_setting: dict[str, list[str]] = {}
        for code in codes:
            by_setting.setdefault(setting_of[code], []).append(code)
        hours = [("00:00", "23:59")] if len(by_setting) == 1 else [("00:00", "11:59"), ("12:00", "23:59")]
        rules = []
        for (setting, setting_codes), (start, end) in zip(by_setting.items(), hours, strict=True):
            place = next(loc for loc in locations if loc.setting == setting)
            rules += [{"weekday": day, "start_time": start, "end_time": end, "location_id": str(place.id),
                       "appointment_type_codes": setting_codes} for day in WEEKDAYS]
        return coordinator.cb.scheduling.create_schedule(
            practitioner_id=practitioner.id, time_zone="UTC", buffer_minutes=0, slot_interval_minutes=15,
            rules=rules)

    def task(self, coordinator: Person, patient, *, owner: Person | None = None, code: str = "outreach",
             priority: str = "routine", due_in_hours: float | None = 24, reason: str = "Call about the new plan"):
        extra = {"owner_id": owner.id} if owner else {}
        if due_in_hours is not None:
            extra["due_at"] = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=due_in_hours)).isoformat()
        return coordinator.cb.careplans.create_task(patient_id=str(patient.id), code=code, priority=priority,
                                                    reason=reason, **extra)


def screenshot(page, name: str) -> Path:
    """A full-page PNG of what the browser shows, under docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
