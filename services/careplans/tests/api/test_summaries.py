"""The plain-language summary, as JSON and as a printable page."""
import uuid

from support import FUROSEMIDE, create_plan, diet, follow_up, goal, medication, plan_body, therapy
from carebridge.testing import audit_trail


def summary_plan(client, as_, team, **extra):
    return create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[
        medication("furosemide", FUROSEMIDE, dose="40 mg (1 tablet)", frequency="every-morning",
                   detail={"times_of_day": ["08:00"], "purpose": "removes extra fluid"}),
        follow_up(), therapy(), diet()], goals=[goal()],
        warning_signs=[{"sign": "Weight up 3 pounds in a day", "action": "call-care-team"}],
        contacts=[{"role": "coordinator", "name": "Sam Rivera", "phone": "+1 555 0100"}], **extra))


def test_the_summary_tells_what_to_take_and_when_visits_diet_therapy_warnings_and_whom_to_call(client, as_, team):
    plan = summary_plan(client, as_, team)
    summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
    [medicine] = summary["medicines"]
    assert (medicine["name"], medicine["how"], medicine["when"]) == ("furosemide", "by mouth",
                                                                     "every morning (at 8:00 am)")
    assert summary["visits"][0]["what"] == "A follow-up visit with your heart doctor"
    assert summary["therapy"][0]["how_often"] == "2 times a week for 6 weeks"
    assert summary["diet"][0]["what"].startswith("Eat less salt")
    assert summary["watch_for"] == [{"sign": "Weight up 3 pounds in a day",
                                     "what_to_do": "Call your care team the same day."}]
    assert summary["whom_to_call"][0]["who"] == "Sam Rivera, your care coordinator"
    assert "911" in summary["emergency"]


def test_the_printable_page_is_self_contained_escaped_html(client, as_, team, runtime):
    plan = summary_plan(client, as_, team, title="Care <script>alert(1)</script> plan")
    before = len(audit_trail(runtime))
    response = client.get(f"/care-plans/{plan['id']}/summary.html", headers=as_("coordinator"))
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert "Your medicines" in page and "furosemide" in page and "Call your care team the same day." in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert [(r["action"], r["resource_type"]) for r in audit_trail(runtime)[before:]] == [
        ("read", "care-plan-summary")]


def test_the_summary_of_an_unknown_plan_is_404(client, as_, team):
    assert client.get(f"/care-plans/{uuid.uuid4()}/summary", headers=as_("coordinator")).status_code == 404
    assert client.get(f"/care-plans/{uuid.uuid4()}/summary.html", headers=as_("coordinator")).status_code == 404


class TestBookedVisitsAndWhomToCall:
    """Issue 25, item 10: a booked visit's date and time, not its window; the lead coordinator to call."""

    def booked(self, runtime, team, plan, start, event_type="scheduling.appointment-booked", appointment_id=None,
               **extra):
        from datetime import timedelta

        from support import activity_of, appointment_event
        from carebridge.testing import deliver
        event = appointment_event(event_type, team, activity_id=activity_of(plan, "follow-up")["id"],
                                  plan_id=plan["id"], start=start, **extra)
        if appointment_id:
            event.data["appointment_id"] = appointment_id
        assert deliver(runtime, event) == "applied"
        return event

    def test_a_booked_visit_shows_its_time_in_the_patients_zone_and_follows_a_reschedule(self, client, as_, team,
                                                                                       runtime):
        from datetime import datetime, timedelta, timezone

        from carebridge.testing import deliver, make_event
        deliver(runtime, make_event("patients.patient-updated", {
            "patient_id": team.patient_id, "revision": 2, "status": "active", "time_zone": "America/New_York",
            "contact_points": [], "communication": {}, "changed_fields": ["time_zone"]}))
        plan = summary_plan(client, as_, team)
        before = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        assert before["visits"][0]["when"].startswith("between ")
        booked = self.booked(runtime, team, plan, datetime(2026, 3, 10, 14, 0, tzinfo=timezone.utc))
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        assert summary["visits"][0]["when"] == "Tuesday, March 10 at 10:00 am EDT"
        moved = datetime(2026, 3, 12, 19, 30, tzinfo=timezone.utc)
        self.booked(runtime, team, plan, moved, event_type="scheduling.appointment-rescheduled",
                    appointment_id=booked.data["appointment_id"],
                    previous_start=booked.data["start"], previous_end=booked.data["end"])
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        assert summary["visits"][0]["when"] == "Thursday, March 12 at 3:30 pm EDT"

    def test_the_lead_coordinator_is_listed_when_the_plan_names_no_coordinator(self, client, as_, team):
        plan = create_plan(client, as_("coordinator"), plan_body(team.patient_id, activities=[follow_up()],
                                                                 contacts=[{"role": "nurse", "name": "Ana",
                                                                            "phone": "+1 555 0101"}]))
        calls = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()["whom_to_call"]
        assert calls[0]["practitioner_id"] == str(team.coordinator_id)
        assert calls[0]["who"].startswith("Your care coordinator")
        assert calls[1]["who"].startswith("Ana")


class TestTheSummaryInThePatientsLanguage:
    """Issue 19, item 2: the summary in the patient's preferred language; the others in English, saying so."""

    def speaks(self, runtime, team, language, revision=2):
        from carebridge.testing import deliver, make_event
        assert deliver(runtime, make_event("patients.patient-updated", {
            "patient_id": team.patient_id, "revision": revision, "status": "active", "time_zone": "America/Chicago",
            "preferred_language": language, "contact_points": [], "communication": {},
            "changed_fields": ["preferred_language"]})) == "applied"

    def test_a_spanish_speaking_patient_gets_the_summary_and_page_in_spanish_with_babel_dates(self, client, as_,
                                                                                            team, runtime):
        self.speaks(runtime, team, "es-MX")
        plan = summary_plan(client, as_, team)
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        # this plan's texts are the care team's own, not a template's: they stay in English, and it says so
        assert (summary["language"], summary["language_note"]) == (
            "es", "Su equipo de cuidado escribió algunas partes de este plan en inglés.")
        [medicine] = summary["medicines"]
        assert (medicine["how"], medicine["when"]) == ("por la boca", "cada mañana (a las 8:00 a.m.)")
        assert summary["visits"][0]["what"] == "Una visita de control con su médico del corazón"
        assert summary["visits"][0]["when"] == "entre el lunes, 9 de marzo y el lunes, 16 de marzo"
        assert summary["therapy"][0]["how_often"] == "2 veces por semana durante 6 semanas"
        assert summary["watch_for"][0]["what_to_do"] == "Llame a su equipo de cuidado el mismo día."
        assert summary["whom_to_call"][0]["who"] == "Sam Rivera, su coordinador de cuidado"
        assert "911" in summary["emergency"] and "pecho" in summary["emergency"]
        page = client.get(f"/care-plans/{plan['id']}/summary.html", headers=as_("nurse")).get_data(as_text=True)
        assert '<html lang="es">' in page and "Sus medicamentos" in page and "Your medicines" not in page

    def test_another_language_gets_english_and_is_told_so(self, client, as_, team, runtime):
        self.speaks(runtime, team, "fr-CA")
        plan = summary_plan(client, as_, team)
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        assert summary["language"] == "en" and "in English" in summary["language_note"]
        assert summary["medicines"][0]["how"] == "by mouth"
        page = client.get(f"/care-plans/{plan['id']}/summary.html", headers=as_("nurse")).get_data(as_text=True)
        assert summary["language_note"] in page and "Your medicines" in page

    def test_an_english_speaker_gets_no_note(self, client, as_, team, runtime):
        self.speaks(runtime, team, "en-US")
        plan = summary_plan(client, as_, team)
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        assert (summary["language"], summary["language_note"]) == ("en", None)


class TestATemplatesPlanInSpanish:
    """Issue 19, item 2: what a plan took from its template is told in Spanish; what the care team changed is not."""

    def heart_failure_plan(self, client, as_, team, runtime):
        TestTheSummaryInThePatientsLanguage().speaks(runtime, team, "es-MX")
        response = client.post("/care-plans/from-template", headers=as_("coordinator"), json={
            "template_code": "heart-failure-post-discharge", "patient_id": str(team.patient_id),
            "start_date": "2026-03-02"})
        assert response.status_code == 201
        return response.get_json()

    def test_the_heart_failure_summary_has_the_templates_spanish_and_none_of_its_english(self, client, as_, team,
                                                                                          runtime):
        import html
        import json

        from carebridge_careplans.reference.plan_templates import plan_templates
        from carebridge_careplans.reference.template_texts import patient_facing_texts, template_texts
        plan = self.heart_failure_plan(client, as_, team, runtime)
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        page = html.unescape(client.get(f"/care-plans/{plan['id']}/summary.html",
                                        headers=as_("nurse")).get_data(as_text=True))
        said = json.dumps(summary, ensure_ascii=False)
        assert summary["language_note"] is None
        english = [text for _where, text in patient_facing_texts(plan_templates()["heart-failure-post-discharge"].raw)]
        assert len(english) > 40
        assert [text for text in english if text in said or text in page] == []
        # every text the summary shows is there in Spanish (the plan's description, the goals' measures and a
        # visit's instructions are not in the summary)
        def shown_as(key, text):
            if key[0] in ("description", "goal_measure", "goal_detail") or (key[1:2] == ("follow-up",)
                                                                               and key[3] != "purpose"):
                return None
            return text[0].upper() + text[1:] if key[:2] == ("activity", "therapy") else text

        shown = [shown_as(key, text) for key, text in template_texts("heart-failure-post-discharge", "es").items()]
        shown = [text for text in shown if text]
        assert len(shown) > 30
        assert [text for text in shown if text not in said or text not in page] == []
        [metoprolol] = [m for m in summary["medicines"] if m["name"].startswith("metoprolol")]
        assert metoprolol["notes"] == "Tráguelo entero. No lo deje de golpe. Este es un medicamento nuevo para usted."
        assert metoprolol["what_for"] == "hace latir su corazón más despacio y lo protege"

    def test_an_edited_goal_stays_in_english_and_the_summary_says_so(self, client, as_, team, runtime):
        plan = self.heart_failure_plan(client, as_, team, runtime)
        goal_id = plan["goals"][2]["id"]
        response = client.patch(f"/care-plans/{plan['id']}", json={
            "reason": "the patient's own goal", "goals": [{"id": goal_id, "description": "Cook without salt at home"}]},
            headers=as_("coordinator", **{"If-Match": f'"{plan["version"]}"'}))
        assert response.status_code == 200, response.get_json()
        summary = client.get(f"/care-plans/{plan['id']}/summary", headers=as_("nurse")).get_json()
        goals = [g["goal"] for g in summary["goals"]]
        assert "Cook without salt at home" in goals and "Comer menos de 2,000 mg de sal (sodio) al día" not in goals
        assert goals[0] == "No volver al hospital por la insuficiencia cardíaca en los próximos 30 días"
        note = "Su equipo de cuidado escribió algunas partes de este plan en inglés."
        assert summary["language_note"] == note
        page = client.get(f"/care-plans/{plan['id']}/summary.html", headers=as_("nurse")).get_data(as_text=True)
        assert page.index(note) < page.index("Sus medicamentos")

    def test_the_same_plan_in_english_is_the_templates_english(self, client, as_, team, runtime):
        plan = self.heart_failure_plan(client, as_, team, runtime)
        summary = client.get(f"/care-plans/{plan['id']}/summary?language=en", headers=as_("nurse")).get_json()
        assert summary["title"] == "Heart failure: the first 90 days after a hospital stay"
        assert summary["language_note"] is None
        assert "Swallow it whole. Do not stop it suddenly." in [m["notes"].split(" This")[0]
                                                                for m in summary["medicines"]]
