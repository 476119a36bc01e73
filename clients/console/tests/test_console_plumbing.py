"""The console's plumbing without a browser: the session to the services
(the environment read once), the templates' reading of the gateway's
dicts, reads started ahead of the page's other work, and the patient
page's sections from the chart and billing overview reads."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import jinja2
import requests

from carebridge_console import gateway
from carebridge_console.app import create_app
from carebridge_console.settings import ConsoleSettings


def _session(monkeypatch, **environment):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY",
                 "all_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return gateway._session_for(["http://patients.internal:8001", "http://billing.internal:8004"])


def _proxy_for(session: requests.Session, url: str):
    settings = session.merge_environment_settings(url, {}, None, None, None)
    return requests.utils.select_proxy(url, settings["proxies"])


def test_the_services_session_reads_the_environment_once_and_calls_do_not(monkeypatch):
    session = _session(monkeypatch, HTTP_PROXY="http://proxy.example:3128", NO_PROXY="billing.internal")
    assert session.trust_env is False
    monkeypatch.setenv("HTTP_PROXY", "http://changed.example:9")    # a call no longer looks
    assert _proxy_for(session, "http://patients.internal:8001/patients/1") == "http://proxy.example:3128"
    assert _proxy_for(session, "http://billing.internal:8004/claims") is None


def test_without_a_proxy_the_services_are_called_directly(monkeypatch):
    session = _session(monkeypatch, REQUESTS_CA_BUNDLE="/etc/ssl/our-ca.pem")
    assert session.proxies == {}
    assert session.verify == "/etc/ssl/our-ca.pem"


def test_ports_of_one_host_told_apart_by_no_proxy_leave_it_to_requests(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "services.internal:8001")
    session = gateway._session_for(["http://services.internal:8001", "http://services.internal:8002"])
    assert session.trust_env is True


def _render(source: str, **values) -> str:
    app = create_app(ConsoleSettings.from_env(), services=object())
    with app.app_context():
        return app.jinja_env.from_string(source).render(**values)


def test_templates_read_a_dicts_keys_and_still_its_methods():
    task = {"priority": "urgent", "items": "a key named like a method"}
    assert _render("{{ task.priority }}|{{ task.missing }}|{{ task.missing is defined }}", task=task) \
        == "urgent||False"
    assert _render("{{ kinds.get('a') }}|{% for k, v in kinds.items() %}{{ k }}={{ v }}{% endfor %}",
                   kinds={"a": "A", "b": "B"}) == "A|a=A b=B".replace(" ", "")
    # As Jinja always read it: a name dicts have as a method is the method.
    assert _render("{{ task['items'] }}|{{ task.items is callable }}", task=task) \
        == "a key named like a method|True"


def test_a_dict_subclass_or_an_object_reads_as_jinja_reads_it():
    class Row(dict):
        @property
        def label(self):
            return "from the property"
    assert _render("{{ row.label }}|{{ row.code }}", row=Row(code="c", label="from the key")) == \
        "from the property|c"
    assert isinstance(create_app(ConsoleSettings.from_env(), services=object()).jinja_env, jinja2.Environment)


def test_the_patient_pages_top_sections_come_from_the_one_chart_read():
    teams, family, allergies = [{"id": "t"}], [{"id": "f"}], [{"id": "a"}]
    chart = {"patient": {"id": "p"}, "care_teams": {"items": teams, "total": 1},
             "related_persons": {"items": family, "total": 1}, "allergies": {"items": allergies, "total": 1}}
    assert gateway.Calls._chart_sections(chart) == {"patient": {"id": "p"}, "care_teams": teams, "family": family,
                                                   "allergies": allergies}
    # Billing staff's chart has no allergies: the section says so in its place.
    for_billing = gateway.Calls._chart_sections({**chart, "allergies": None})
    assert isinstance(for_billing["allergies"], gateway.Forbidden) and for_billing["care_teams"] == teams
    # A chart that failed fails each of its sections with its own message.
    failed = gateway.NotFound("No patient with this id.")
    assert gateway.Calls._chart_sections(failed) == dict.fromkeys(("patient", "care_teams", "family", "allergies"),
                                                                  failed)


def test_the_patient_pages_billing_sections_come_from_the_one_overview_read():
    coverage, auths, claims, issues = {"coverages": []}, [{"id": "pa"}], [{"id": "c"}], [{"id": "i"}]
    overview = {"patient_id": "p", "coverage": coverage, "prior_authorizations": {"items": auths, "total": 1},
                "claims": {"items": claims, "total": 1}, "billing_issues": {"items": issues, "total": 1}}
    assert gateway.Calls._billing_sections(overview) == {"coverage": coverage, "prior_auths": auths,
                                                         "claims": claims, "billing_issues": issues}
    # The care team reads the coverage only: each list says so in its place.
    for_the_team = gateway.Calls._billing_sections(
        {**overview, "prior_authorizations": None, "claims": None, "billing_issues": None})
    assert for_the_team["coverage"] == coverage
    assert all(isinstance(for_the_team[key], gateway.Forbidden) for key in ("prior_auths", "claims", "billing_issues"))
    failed = gateway.ServiceUnavailable("A CareBridge service is not answering just now; try again in a moment.")
    assert gateway.Calls._billing_sections(failed) == dict.fromkeys(
        ("coverage", "prior_auths", "claims", "billing_issues"), failed)


def test_reads_started_run_while_the_page_does_other_work():
    began = threading.Event()

    def read():
        began.set()
        return {"ok": True}

    def refused():
        raise gateway.Forbidden("You do not have access to this resource.")

    with ThreadPoolExecutor(max_workers=2) as pool:
        calls = gateway.Calls(SimpleNamespace(pool=pool), client=None)
        results = calls.started(first=(read,), second=(refused,))
        assert began.wait(timeout=5)    # already running before anyone waits for it
        found = results()
    assert found["first"] == {"ok": True} and isinstance(found["second"], gateway.Forbidden)
