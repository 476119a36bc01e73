"""Fixtures: one embedded stack and console for the session, a real
Chromium (Debian's, driven by Playwright), and a signed-in page."""
from __future__ import annotations

import os
import shutil

import pytest

from support import ConsoleStack, World

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def stack():
    running = ConsoleStack().start()
    yield running
    running.stop()


@pytest.fixture
def world(stack):
    return World(stack)


@pytest.fixture(scope="session")
def browser():
    """Chromium from Debian's package. Missing: skipped with the reason,
    except under CI=true, where it fails the run (`.ci/run` installs it)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack.url, viewport={"width": 1360, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    problems = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.problems = problems
    yield opened
    context.close()


def sign_in(page, person) -> None:
    """Through the development sign-in page, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Find a colleague").fill(person.record.family_name)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=f"Sign in as {person.name}").click()
    page.get_by_role("heading", name="My day").wait_for()


@pytest.fixture
def signed_in():
    return sign_in
