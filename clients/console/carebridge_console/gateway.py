"""Every call the console makes to the services, in one place, through
`carebridge-client` with the signed-in person's token.

Views get plain dicts and lists (the JSON form of the client's typed
results), and the client's exceptions become the few the console shows:
`ServiceError` (with `errors` per field), `NotFound`, `Forbidden`,
`StaleEdit` (412, with the current version), `MedicationRefusal` (the
safety findings), `Clash` (a booking conflict) and `ServiceUnavailable`.
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import carebridge_client
import requests
from carebridge_client import Paged
from carebridge_client import errors as client_errors

log = logging.getLogger(__name__)

# How long the staff directory's names and the appointment types are kept
# per signed-in person (seconds): a renamed practitioner or a new visit type
# shows within this time.
REFERENCE_SECONDS = 300.0


class ServiceError(Exception):
    """A service refused or could not do what was asked; `str()` is a
    message for the page, `errors` the invalid fields."""
    status = 400

    def __init__(self, message: str, *, status: int | None = None, errors: dict | None = None,
                 problem: dict | None = None):
        super().__init__(message)
        self.status = status or self.status
        self.errors = errors or {}
        self.problem = problem or {}


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class ServiceUnavailable(ServiceError):
    status = 503


class StaleEdit(ServiceError):
    """Someone changed the record since it was read (412)."""
    status = 409


class Clash(ServiceError):
    """A booking conflict (409): the time is taken, or the patient is busy."""
    status = 409


class MedicationRefusal(ServiceError):
    """The medication safety check refused the change: `findings`."""
    status = 409

    def __init__(self, message: str, findings: list[dict], **kwargs):
        super().__init__(message, **kwargs)
        self.findings = findings


def plain(value):
    """The JSON form of a client result (dicts, lists, ISO strings)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _translated(error: Exception) -> ServiceError:
    if isinstance(error, client_errors.MedicationSafetyRefusal):
        return MedicationRefusal(error.detail or "The medication safety check refused the change.",
                                 findings=list(error.findings), problem=error.problem)
    if isinstance(error, client_errors.ApiError):
        problem = error.problem or {}
        detail = error.detail or error.title or "The service refused the request."
        if isinstance(error, client_errors.ValidationFailed):
            return ServiceError(detail, status=422, errors=problem.get("errors") or {}, problem=problem)
        if isinstance(error, client_errors.NotFound):
            return NotFound(detail, problem=problem)
        if isinstance(error, client_errors.Forbidden):
            return Forbidden(detail, problem=problem)
        if isinstance(error, client_errors.Unauthorized):
            return Forbidden("Your sign-in has expired; sign in again.", status=401, problem=problem)
        if error.status == 412:
            stale = StaleEdit("Someone changed this record after you opened it. Reload to see the latest "
                              "version, then make your change again.", problem=problem)
            stale.current = plain(getattr(error, "current", None))
            return stale
        if isinstance(error, client_errors.Conflict):
            return Clash(detail, problem=problem)
        if isinstance(error, client_errors.ServiceUnavailable):
            return ServiceUnavailable("A CareBridge service is not answering just now; try again in a moment.",
                                      problem=problem)
        return ServiceError(detail, status=error.status if 400 <= error.status < 500 else 502, problem=problem)
    return ServiceUnavailable(f"A CareBridge service could not be reached ({type(error).__name__}).")


FETCHERS = 64


class Gateway:
    """The console's way to the services: one pool of HTTP connections, and
    for each signed-in request a client of its own (`as_token`), so the
    versions (ETags) it remembers are that request's reads only."""

    def __init__(self, settings):
        self.settings = settings
        self.http = _session_for(settings.service_urls.values())
        # The page's reads run here, every signed-in request's together: the
        # console serves 16 requests at once and a patient page reads eight
        # sections at once, so with 16 fetchers two overlapping patient pages
        # took turns. As many as the HTTP pool keeps connections.
        self.pool = ThreadPoolExecutor(max_workers=FETCHERS, thread_name_prefix="console-fetch")
        # Reads that a fetch starts itself (the current plan's alerts beside
        # the plan): a pool of their own, so that a fetch never waits on a
        # pool its own page may have filled.
        self.follow_ups = ThreadPoolExecutor(max_workers=16, thread_name_prefix="console-follow-up")
        # Patients named on a page (worklist rows, the to-book list), kept a
        # little while per token: names and MRNs rarely change, and a page
        # would otherwise read every patient it names each time.
        self.names = _ShortMemory(seconds=30.0, size=20_000)
        # Non-clinical reference data (the appointment types, practitioners'
        # names), kept REFERENCE_SECONDS per token: it changes seldom, and
        # every patient page would otherwise read it again. Never patient data.
        self.reference = _ShortMemory(seconds=REFERENCE_SECONDS, size=20_000)

    @staticmethod
    def events(response):
        """The server-sent events of an open stream: {"id", "event", "data"}
        per event, None for each keep-alive comment; ends with the stream."""
        fields: dict = {}
        for line in response.iter_lines(decode_unicode=True):
            if line is None:
                continue
            if line == "":
                if fields.get("event"):
                    yield fields
                fields = {}
            elif line.startswith(":"):
                yield None
            elif ":" in line:
                name, _, value = line.partition(":")
                fields[name] = value[1:] if value.startswith(" ") else value

    def as_token(self, token: str) -> "Calls":
        client = carebridge_client.CareBridge(base_urls=dict(self.settings.service_urls),
                                              token_provider=carebridge_client.StaticToken(token),
                                              timeout=self.settings.request_timeout, retries=1,
                                              session=self.http)
        return Calls(self, client)


def _session_for(service_urls) -> requests.Session:
    """The pooled HTTP session to the services, with what requests would
    read from the environment on every call (proxies, NO_PROXY, the CA
    bundle, .netrc) read once here instead: that look-up walked the whole
    environment twice per call (about 0.25 ms of CPU each, some 4 ms of the
    fifteen reads the patient page made then). The environment of a running
    process does not change, and the services' addresses are fixed at start."""
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=FETCHERS + 16)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    proxies: dict[str, str | None] = {}
    for url in service_urls:
        parts = urllib.parse.urlsplit(url)
        # Keyed as requests' select_proxy reads them (scheme://hostname): a
        # service named in NO_PROXY gets none, the others the environment's.
        key = f"{parts.scheme}://{parts.hostname}"
        proxy = requests.utils.get_environ_proxies(url).get(parts.scheme)
        if proxies.setdefault(key, proxy) != proxy:
            return session      # NO_PROXY tells ports of one host apart: let requests decide per call
    session.trust_env = False
    session.proxies = {key: proxy for key, proxy in proxies.items() if proxy}
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return session


class _ShortMemory:
    """A small time-limited map, safe across threads."""

    def __init__(self, seconds: float, size: int):
        self.seconds, self.size = seconds, size
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            return found[1]

    def put(self, key, value) -> None:
        with self._lock:
            if len(self._items) >= self.size:
                now = time.monotonic()
                self._items = {k: v for k, v in self._items.items() if v[0] >= now}
                if len(self._items) >= self.size:
                    self._items.clear()
            self._items[key] = (time.monotonic() + self.seconds, value)


class Calls:
    def __init__(self, gateway: Gateway, client):
        self.gateway = gateway
        self.cb = client

    # -- plumbing ------------------------------------------------------------

    def _run(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ServiceError:
            raise
        except (client_errors.CareBridgeError, requests.RequestException) as error:
            raise _translated(error) from error

    def _one(self, fn, *args, **kwargs) -> dict:
        return plain(self._run(fn, *args, **kwargs))

    def _list(self, fn, *args, limit: int = 100, **kwargs) -> list[dict]:
        def read():
            found = fn(*args, **kwargs)
            # A list's items straight to their JSON form: the typed objects
            # were made only to be turned back into dicts (100 tasks per My day).
            items = found.plain() if isinstance(found, Paged) else map(plain, found)
            return list(itertools.islice(items, limit))
        return self._run(read)

    def parallel(self, **calls) -> dict:
        """Several reads at once: {name: (function, args...)} -> {name: result
        or the ServiceError it raised}."""
        return self.started(**calls)()

    def started(self, **calls):
        """Several reads begun at once, as `parallel` makes them; returns the
        function that waits for their results, so a page can do other reads
        meanwhile."""
        futures = {name: self.gateway.pool.submit(fn, *args) for name, (fn, *args) in calls.items()}

        def results() -> dict:
            found = {}
            for name, future in futures.items():
                try:
                    found[name] = future.result()
                except ServiceError as error:
                    found[name] = error
            return found
        return results

    # -- people ----------------------------------------------------------------

    def me(self) -> dict:
        return self._one(self.cb.patients.get_my_practitioner)

    def practitioner(self, practitioner_id: str) -> dict:
        return self._one(self.cb.patients.get_practitioner, practitioner_id)

    def staff_directory(self, query: str = "", role: str | None = None) -> list[dict]:
        kwargs = {"active": True}
        if query:
            kwargs["q"] = query
        if role:
            kwargs["role"] = role
        return self._list(self.cb.patients.search_practitioners, page_size=100, limit=200, **kwargs)

    def names_of(self, practitioner_ids) -> dict[str, str]:
        """Practitioner id -> "Given Family", for the ids that resolve (read
        in parallel, and kept REFERENCE_SECONDS per token: staff directory
        data, not the patient's)."""
        ids = sorted({p for p in practitioner_ids if p})
        token = self.cb.token_provider.token(self.cb)
        memory = self.gateway.reference
        names = {pid: value for pid in ids if (value := memory.get((token, "practitioner", pid)))}
        found = self.parallel(**{pid: (self.practitioner, pid) for pid in ids if pid not in names})
        for pid, person in found.items():
            if not isinstance(person, ServiceError):
                names[pid] = f'{person["given_name"]} {person["family_name"]}'
                memory.put((token, "practitioner", pid), names[pid])
        return names

    # -- my day: worklist and inbox -------------------------------------------------

    WORKLIST_ROWS = 50

    def worklist(self, *, patient_id: str | None = None, codes: list[str] | None = None) -> list[dict]:
        """My open tasks and my teams' unassigned ones, most pressing first:
        the WORKLIST_ROWS most pressing of each (the services order them)."""
        filters = {}
        if patient_id:
            filters["patient_id"] = patient_id
        if codes:
            filters["code"] = codes
        mine = self.parallel(
            mine=(lambda: self._list(self.cb.careplans.list_tasks, mine=True, page_size=self.WORKLIST_ROWS,
                                     limit=self.WORKLIST_ROWS, **filters),),
            team=(lambda: self._list(self.cb.careplans.list_tasks, team=True, unassigned=True,
                                     page_size=self.WORKLIST_ROWS, limit=self.WORKLIST_ROWS, **filters),))
        for value in mine.values():
            if isinstance(value, ServiceError):
                raise value
        seen, tasks = set(), []
        for task in mine["mine"] + mine["team"]:
            if task["id"] not in seen:
                seen.add(task["id"])
                tasks.append(task)
        return sorted(tasks, key=task_order)[:self.WORKLIST_ROWS]

    def task(self, task_id: str) -> dict:
        return self._one(self.cb.careplans.get_task, task_id)

    def take_task(self, task_id: str, me: str) -> dict:
        self.task(task_id)  # the client sends the ETag of this read as If-Match
        return self._one(self.cb.careplans.reassign_task, task_id, owner_id=me, reason="Taken from the worklist")

    def reassign_task(self, task_id: str, owner_id: str, reason: str) -> dict:
        self.task(task_id)
        return self._one(self.cb.careplans.reassign_task, task_id, owner_id=owner_id, reason=reason)

    def complete_task(self, task_id: str, note: str) -> dict:
        self.task(task_id)
        return self._one(self.cb.careplans.update_task, task_id, status="completed", note=note or None)

    def inbox(self, limit: int = 20) -> list[dict]:
        return self._list(self.cb.notifications.list_inbox_items, page_size=limit, limit=limit)

    def unread(self) -> dict:
        return self._one(self.cb.notifications.count_unread_inbox_items)

    def inbox_stream(self, last_event_id: str | None = None):
        """The open stream of my new inbox items (server-sent events), as the
        HTTP response to read with `Gateway.events`; close it when done."""
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        def open_stream():
            response = self.cb.raw("notifications").get("/inbox/stream", headers=headers, stream=True,
                                                        timeout=(5, 60))
            if response.status_code != 200:
                try:
                    problem = response.json()
                except ValueError:
                    problem = {"detail": response.reason}
                response.close()
                raise client_errors.error_for(response.status_code, problem, response.headers.get("X-Request-ID"),
                                              "GET", response.url)
            return response
        return self._run(open_stream)

    def patient_names(self, patient_ids) -> dict[str, dict]:
        """Patient id -> the patient (name, MRN, birth date), read in parallel;
        the ones the caller may not see are left out."""
        ids = sorted({p for p in patient_ids if p})
        token = self.cb.token_provider.token(self.cb)
        known = {pid: value for pid in ids if (value := self.gateway.names.get((token, pid))) is not None}
        found = self.parallel(**{pid: (self.patient, pid) for pid in ids if pid not in known})
        for pid, value in found.items():
            if not isinstance(value, ServiceError):
                self.gateway.names.put((token, pid), value)
                known[pid] = value
        return known

    def patient(self, patient_id: str) -> dict:
        return self._one(self.cb.patients.get, patient_id)

    def acknowledge(self, notification_id: str) -> dict:
        return self._one(self.cb.notifications.acknowledge_inbox_item, notification_id)


    # -- patients --------------------------------------------------------------

    def find_patients(self, *, q: str | None = None, birth_date: str | None = None, mrn: str | None = None,
                      limit: int = 50) -> list[dict]:
        kwargs = {k: v for k, v in {"q": q, "birth_date": birth_date, "mrn": mrn}.items() if v}
        return self._list(self.cb.patients.search, page_size=limit, limit=limit, **kwargs)

    def register_patient(self, data: dict) -> dict:
        return self._one(self.cb.patients.register, **data)

    PAGE_LATEST = 10

    def patient_record(self, patient_id: str) -> dict:
        """Everything the patient page shows, read from the five services in
        parallel; a section the caller may not see (or a service that does
        not answer) comes back as its ServiceError, shown in its place."""
        cb = self.cb
        today = dt.date.today().isoformat()
        found = self.parallel(
            chart=(self._one, cb.patients.get_chart, patient_id),
            plans=(self._plans_and_current, patient_id),
            appointments=(lambda: self._list(cb.scheduling.search_appointments, patient_id=patient_id,
                                             page_size=100, limit=200),),
            to_book=(lambda: self._list(cb.scheduling.list_booking_requests, patient_id=patient_id,
                                        status="open", page_size=50, limit=50),),
            waitlist=(self.waitlist, patient_id),
            appointment_types=(self.appointment_types,),
            # The page shows the latest PAGE_LATEST claims and billing issues (the services' order).
            billing=(lambda: self._one(cb.billing.get_overview, patient_id=patient_id, latest=self.PAGE_LATEST),),
            notifications=(lambda: self._list(cb.notifications.list_patient_notifications, patient_id=patient_id,
                                              page_size=30, limit=30),),
        )
        found.update(self._chart_sections(found.pop("chart")))
        found.update(self._billing_sections(found.pop("billing")))
        found["today"] = today
        plans = found["plans"]
        if not isinstance(plans, ServiceError):
            found["plans"], found["plan"], found["alerts"] = plans
        else:
            found["plan"], found["alerts"] = None, []
        return found

    @staticmethod
    def _chart_sections(chart) -> dict:
        """The patient, care teams, family and allergies of the page, from
        the patients service's one chart read (each section the chart's
        error if it failed)."""
        if isinstance(chart, ServiceError):
            return dict.fromkeys(("patient", "care_teams", "family", "allergies"), chart)
        allergies = chart.get("allergies")
        return {"patient": chart["patient"], "care_teams": chart["care_teams"]["items"],
                "family": chart["related_persons"]["items"],
                "allergies": Forbidden("Allergies are not shown to billing staff.") if allergies is None
                else allergies["items"]}

    @staticmethod
    def _billing_sections(overview) -> dict:
        """The coverage, prior authorizations, claims and billing issues of
        the page, from the billing service's one overview read (the lists
        are for billing staff; the care team reads the coverage only)."""
        if isinstance(overview, ServiceError):
            return dict.fromkeys(("coverage", "prior_auths", "claims", "billing_issues"), overview)
        not_shown = Forbidden("Only billing staff and coordinators see billing records.")
        lists = {section: not_shown if overview.get(key) is None else overview[key]["items"]
                 for section, key in (("prior_auths", "prior_authorizations"), ("claims", "claims"),
                                      ("billing_issues", "billing_issues"))}
        return {"coverage": overview["coverage"], **lists}

    def _plans_and_current(self, patient_id: str) -> tuple[list[dict], dict | None, list[dict]]:
        """The patient's plans, the current one (the active one, else the
        latest) in full and its medication alerts: read in one of the page's
        parallel fetches, the plan and its alerts together as soon as the
        list names it."""
        plans = self._list(self.cb.careplans.list, patient_id=patient_id, page_size=20, limit=20)
        current = next((p for p in plans if p["status"] == "active"), None) or (plans[0] if plans else None)
        if current is None:
            return plans, None, []
        alerts = self.gateway.follow_ups.submit(self.medication_alerts, current["id"])
        try:
            plan = self.care_plan(current["id"])
            return plans, plan, alerts.result()
        except ServiceError:
            return plans, None, []

    def care_plans(self, patient_id: str) -> list[dict]:
        return self._list(self.cb.careplans.list, patient_id=patient_id, page_size=20, limit=20)

    def care_plan(self, plan_id: str) -> dict:
        return self._one(self.cb.careplans.get, plan_id)

    def plan_templates(self) -> list[dict]:
        return self._list(self.cb.careplans.list_plan_templates)

    def care_teams(self, patient_id: str) -> list[dict]:
        return self._list(self.cb.patients.list_care_teams, patient_id)

    def start_plan(self, patient_id: str, template_code: str, care_team_id: str | None) -> dict:
        kwargs = {"care_team_id": care_team_id} if care_team_id else {}
        return self._one(self.cb.careplans.create_from_template, template_code=template_code,
                         patient_id=patient_id, **kwargs)

    def revise_plan(self, plan_id: str, seen_version: int, *, reason: str, override_reason: str | None = None,
                    **changes) -> dict:
        """Revise the plan as it was at `seen_version` (the version the form
        showed): if it has moved on since, StaleEdit with the current one."""
        current = self.care_plan(plan_id)   # its ETag is what the client sends as If-Match
        if int(current["version"]) != int(seen_version):
            stale = StaleEdit("Someone changed this care plan after you opened it (it is now version "
                              f"{current['version']}). Reload to see the latest version, then make your change again.")
            stale.current = current
            raise stale
        if override_reason:
            changes["medication_override"] = {"reason": override_reason}
        return self._one(self.cb.careplans.revise, plan_id, reason=reason, **changes)

    def change_plan_status(self, plan_id: str, status: str, reason: str) -> dict:
        self.care_plan(plan_id)
        return self._one(self.cb.careplans.change_status, plan_id, status=status, reason=reason)

    def plan_versions(self, plan_id: str) -> list[dict]:
        return self._list(self.cb.careplans.list_versions, plan_id, page_size=100, limit=200)

    def plan_version(self, plan_id: str, version: int) -> dict:
        return self._one(self.cb.careplans.get_version, plan_id, version)

    def plan_diff(self, plan_id: str, older: int, newer: int) -> dict:
        return self._one(self.cb.careplans.compare_versions, plan_id, from_=older, to=newer)

    def plan_summary(self, plan_id: str) -> dict:
        """The plain-language summary, in the patient's preferred language."""
        return self._one(self.cb.careplans.get_summary, plan_id)

    def send_plan_summary(self, plan_id: str, *, include_family: bool = True) -> dict:
        return self._one(self.cb.careplans.send_summary, plan_id, include_family=include_family)

    # -- scheduling ------------------------------------------------------------

    def booking_requests(self, patient_id: str | None = None) -> list[dict]:
        kwargs = {"patient_id": patient_id} if patient_id else {}
        return self._list(self.cb.scheduling.list_booking_requests, status="open", page_size=100, limit=200,
                          **kwargs)

    def booking_request(self, request_id: str) -> dict:
        return self._one(self.cb.scheduling.get_booking_request, request_id)

    def appointment_types(self) -> list[dict]:
        """The active appointment types (reference data, kept REFERENCE_SECONDS per token)."""
        token = self.cb.token_provider.token(self.cb)
        found = self.gateway.reference.get((token, "appointment-types"))
        if found is None:
            found = self._list(self.cb.scheduling.list_appointment_types, active=True, page_size=100)
            self.gateway.reference.put((token, "appointment-types"), found)
        return found

    def slots(self, *, appointment_type_code: str, start_date: str, end_date: str, time_zone: str,
              practitioner_id: str | None = None, limit: int = 40) -> list[dict]:
        kwargs = {"practitioner_id": practitioner_id} if practitioner_id else {}
        return self._list(self.cb.scheduling.search_slots, appointment_type_code=appointment_type_code,
                          start_date=start_date, end_date=end_date, time_zone=time_zone, page_size=limit,
                          limit=limit, **kwargs)

    def book(self, **booking) -> dict:
        return self._one(self.cb.scheduling.book_appointment, **booking)

    def book_series(self, **series) -> dict:
        return self._one(self.cb.scheduling.book_recurring_appointments, **series)

    def appointments(self, patient_id: str) -> list[dict]:
        return self._list(self.cb.scheduling.search_appointments, patient_id=patient_id, page_size=100, limit=200)

    def change_appointment(self, appointment_id: str, status: str, reason_code: str | None = None) -> dict:
        self._one(self.cb.scheduling.get_appointment, appointment_id)
        kwargs = {"reason_code": reason_code} if reason_code else {}
        return self._one(self.cb.scheduling.change_appointment_status, appointment_id, status=status, **kwargs)

    def appointment(self, appointment_id: str) -> dict:
        return self._one(self.cb.scheduling.get_appointment, appointment_id)

    def reschedule(self, appointment_id: str, *, start: str, practitioner_id: str | None = None) -> dict:
        """Move a booked visit to `start` (and perhaps another clinician);
        read first, so the client sends that version as If-Match."""
        self._one(self.cb.scheduling.get_appointment, appointment_id)
        kwargs = {"practitioner_id": practitioner_id} if practitioner_id else {}
        return self._one(self.cb.scheduling.reschedule_appointment, appointment_id, start=start, **kwargs)

    def waitlist(self, patient_id: str) -> list[dict]:
        return self._list(self.cb.scheduling.list_waitlist_entries, patient_id=patient_id, page_size=50, limit=50)

    def add_to_waitlist(self, **entry) -> dict:
        return self._one(self.cb.scheduling.add_waitlist_entry, **entry)

    def withdraw_from_waitlist(self, entry_id: str) -> dict:
        return self._one(self.cb.scheduling.withdraw_waitlist_entry, entry_id)

    # -- costs -------------------------------------------------------------------

    def estimate(self, patient_id: str, *, service_code: str | None = None,
                 appointment_type_code: str | None = None, service_date: str | None = None) -> dict:
        kwargs = {k: v for k, v in {"service_code": service_code, "appointment_type_code": appointment_type_code,
                                    "service_date": service_date}.items() if v}
        return self._one(self.cb.billing.estimate_cost, patient_id=patient_id, **kwargs)

    def fees(self) -> list[dict]:
        return self._list(self.cb.billing.list_fees, page_size=100, limit=200)

    def medication_alerts(self, plan_id: str) -> list[dict]:
        return self._list(self.cb.careplans.list_medication_alerts, plan_id=plan_id, page_size=50, limit=50)


PRIORITY_RANK = {"stat": 0, "asap": 1, "urgent": 2, "routine": 3}


def task_order(task: dict):
    """Priority, then due time (undated last), then age: the services' order."""
    return (PRIORITY_RANK.get(task.get("priority"), 9), task.get("due_at") is None, task.get("due_at") or "",
            task.get("created_at") or "")
