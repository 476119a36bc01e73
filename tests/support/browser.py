"""A real Chromium, driven through chromedriver's W3C WebDriver protocol
(plain HTTP: no client library to pin), for the pages people use.

`chromium_or_skip()` gives the paths of Debian's `chromium` and
`chromium-driver`; without them a run outside CI skips, and a CI run
(CI=true) fails: CI installs them (.ci/run).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
import requests

from .mail import free_port

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def chromium_or_skip() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = "Chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class Browser:
    """One headless Chromium session, the size of a phone's screen."""

    def __init__(self, browser: str, driver: str, *, width: int = 390, height: int = 844):
        self.port = free_port()
        self.process = subprocess.Popen([driver, f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{self.base}/status", timeout=2).json()["value"]["ready"]:
                    break
            except (requests.ConnectionError, ValueError, KeyError):
                pass
            if time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        options = {"binary": browser, "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                                                "--disable-gpu", f"--window-size={width},{height}"]}
        created = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        self.session = created["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None):
        response = requests.request(method, self.base + path, json=body, timeout=60)
        value = response.json()["value"]
        if response.status_code >= 400:
            raise AssertionError(f"WebDriver {method} {path}: {value}")
        return value

    def _in_session(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def open(self, url: str) -> None:
        self._in_session("POST", "/url", {"url": url})

    def find(self, css: str) -> str:
        return self._in_session("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def find_all(self, css: str) -> list[str]:
        return [e[ELEMENT] for e in self._in_session("POST", "/elements", {"using": "css selector", "value": css})]

    def text(self, css: str) -> str:
        return self._in_session("GET", f"/element/{self.find(css)}/text")

    def attribute(self, css: str, name: str) -> str | None:
        return self._in_session("GET", f"/element/{self.find(css)}/attribute/{name}")

    def displayed(self, css: str) -> bool:
        return self._in_session("GET", f"/element/{self.find(css)}/displayed")

    def click(self, css: str) -> None:
        self._in_session("POST", f"/element/{self.find(css)}/click", {})

    def run(self, script: str):
        return self._in_session("POST", "/execute/sync", {"script": script, "args": []})

    def title(self) -> str:
        return self._in_session("GET", "/title")

    def close(self) -> None:
        try:
            self._call("DELETE", f"/session/{self.session}")
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
