"""The secure message page in a real Chromium, the size of a phone: the
link from the patient's email opens the message, the three choices are on
screen without scrolling sideways, tapping "Ask for another time" records
the answer (and the coordinator gets the task), and a changed link shows
the plain page."""
from datetime import timedelta

import pytest

from support.api import ok
from support.browser import Browser, chromium_or_skip
from support.stack import eventually
from support.world import slot_start

from journeys.test_patient_messages_journey import VISIT, cast, link_in, mail_from


@pytest.fixture
def browser():
    chromium, driver = chromium_or_skip()
    opened = Browser(chromium, driver)
    yield opened
    opened.close()


def test_a_patient_answers_from_a_phone_sized_chromium(stack, world, browser):
    coordinator, cardiologist, patient = cast(world)
    start = slot_start(stack.now() + timedelta(hours=30))
    appointment = world.book(coordinator, patient, cardiologist, VISIT, start)
    booked = eventually(lambda: mail_from(stack, patient.email, "Your visit is booked"),
                        message="the booking email")
    link = link_in(booked)

    browser.open(link)
    assert browser.title().startswith("Your visit is booked for")
    assert "Where:" in browser.text("#message") and "cardiology follow-up" in browser.text("#message").lower()
    assert [browser.displayed(f"#{choice}") for choice in ("confirm", "reschedule", "cancel")] == [True] * 3
    assert browser.text("#reschedule") == "Ask for another time"
    assert browser.run("return document.documentElement.scrollWidth <= window.innerWidth") is True

    browser.click("#reschedule")
    eventually(lambda: browser.attribute("#answer", "data-answer") == "reschedule", timeout=10,
               message="the answer shown")
    assert "Your care team will call you" in browser.text("#answer")
    assert browser.find_all("#confirm") == []  # answered: no more buttons
    [task] = eventually(lambda: ok(coordinator.client("careplans").get("/tasks", params={
        "patient_id": patient.id, "code": "rebook"}))["items"], message="the rebook task")
    assert (task["owner_id"], task["focus_id"]) == (coordinator.id, appointment["id"])

    browser.open(link[:-2] + ("AA" if not link.endswith("AA") else "BB"))
    assert browser.text("#trouble") == "This link does not work"
