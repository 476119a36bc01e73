"""The routing rules and templates are data: these tests keep them whole."""
import uuid
from datetime import date, datetime, timezone

import pytest

from carebridge.events import registry
from carebridge_notifications.domain.conditions import AllOf, FieldIn, FieldIs, Not
from carebridge_notifications.domain.routing import (STAFF_AUDIENCES, Rule, Send, Target, applicable_sends,
                                                     merge_targets)
from carebridge_notifications.domain.routing_rules import RULES
from carebridge_notifications.domain.templates import STAFF_FIELDS, TemplateBook, placeholders, template_book
from carebridge_notifications.service import SERVICE

KIND_OF_AUDIENCE = {**{a: "staff" for a in STAFF_AUDIENCES}, "patient": "patient", "family": "family"}
TEMPLATE_EXTRAS = {"inbox_url", "portal_url", "title", "body", "minutes"}


def test_every_rule_is_subscribed_and_every_fan_out_subscription_has_a_rule():
    projections = {"patients.patient-registered", "patients.patient-updated", "patients.practitioner-changed",
                   "patients.related-person-changed", "patients.care-team-changed",
                   "patients.practitioner-training-changed"}
    kit = {"*.audit-checkpointed"}  # the other services' audit checkpoints, kept
    assert set(RULES) | projections | kit == set(SERVICE.subscriptions.routing_keys)


@pytest.mark.parametrize("event_type", sorted(RULES))
def test_each_send_has_an_english_template_naming_only_fields_of_the_event(event_type):
    fields = set(registry.schema(event_type, 1)().fields)
    book = template_book()
    for send in RULES[event_type].sends:
        kind = KIND_OF_AUDIENCE[send.to]
        assert book.has_message(send.template, kind), (send.template, kind)
        text = book.message_text(send.template, kind)
        added = STAFF_FIELDS if kind == "staff" else set()
        assert placeholders(text["title"] + text["body"]) <= fields | added, (event_type, send.template)


@pytest.mark.parametrize("language", template_book().languages)
def test_every_language_names_only_known_messages_and_kinds(language):
    english = template_book().packs["en"]["messages"]
    for template, kinds in template_book().packs[language]["messages"].items():
        assert template in english and set(kinds) <= set(english[template])
        for kind, text in kinds.items():
            assert placeholders(text["title"] + text["body"]) <= placeholders(
                english[template][kind]["title"] + english[template][kind]["body"]) | TEMPLATE_EXTRAS


@pytest.mark.parametrize("language", template_book().languages)
def test_email_and_sms_wording_never_names_anything_but_links(language):
    for text in template_book().packs[language]["push"].values():
        assert placeholders(text["subject"] + text["text"]) <= {"inbox_url", "portal_url"}


class TestRendering:
    book = TemplateBook({"en": {
        "datetime_format": "%Y-%m-%d %H:%M %Z", "date_format": "%Y-%m-%d", "empty": "-", "list_separator": " & ",
        "labels": {"code": {"a": "Alpha"}, "items": {"b": "Bravo"}, "flag": {"true": "yes", "false": "no"}},
        "messages": {"t": {"staff": {"title": "{code}", "body": "{when} {day} {items} {flag} {missing} {other}"}}},
        "escalation": {"title": "Late: {title}", "body": "{minutes} min. {body}"},
        "push": {"staff": {"subject": "s", "text": "go {inbox_url}"}}}})

    def test_codes_become_words_and_times_the_readers_time(self):
        rendered = self.book.render_message("t", "staff", "en", {
            "code": "a", "when": datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc), "day": date(2026, 7, 2),
            "items": ["a", "b"], "flag": True, "missing": None, "other": uuid.UUID(int=5)}, "Europe/Paris")
        assert rendered.title == "Alpha"
        assert rendered.body == "2026-07-01 14:00 CEST 2026-07-02 a & Bravo yes - 00000000-0000-0000-0000-000000000005"

    def test_escalation_wraps_the_original(self):
        original = self.book.render_message("t", "staff", "fr", {
            "code": "x", "when": None, "day": None, "items": [], "flag": False, "missing": None, "other": 1}, None)
        assert original.language == "en"
        assert self.book.render_escalation(original, 15).title == "Late: x"

    def test_a_field_the_event_lacks_is_an_error_not_a_blank(self):
        with pytest.raises(KeyError):
            self.book.render_message("t", "staff", "en", {"code": "a"}, "UTC")


class TestRules:
    def test_conditions(self):
        data = {"severity": "major", "overridden": False}
        assert FieldIn("severity", ("major",)).holds(data) and FieldIs("overridden", False).holds(data)
        assert not AllOf((FieldIn("severity", ("minor",)), FieldIs("overridden", False))).holds(data)
        assert Not(FieldIs("outcome", "blocked")).holds(data) and not Not(FieldIs("overridden", False)).holds(data)

    def test_applicable_sends_respect_only_when_skip_when_and_urgency(self):
        rule = Rule("care_plan", (Send("care-team", "x", urgent_when=FieldIs("u", True)),
                                  Send("patient", "x", only_when=FieldIs("p", True))), skip_when=FieldIs("s", True))
        assert [(s.to, u) for s, u in applicable_sends(rule, {"u": True, "p": False})] == [("care-team", "urgent")]
        assert applicable_sends(rule, {"s": True, "p": True}) == []

    def test_one_target_per_person_urgent_if_any_audience_says_so(self):
        person = uuid.uuid4()
        merged = merge_targets([Target("practitioner", person, "first", "routine"),
                                Target("practitioner", person, "second", "urgent")])
        assert merged == [Target("practitioner", person, "first", "urgent")]

    def test_unknown_audience_or_category_is_refused(self):
        with pytest.raises(ValueError):
            Send("everyone", "x")
        with pytest.raises(ValueError):
            Rule("gossip", ())
