"""The HTTP calls of the FHIR tools (`carebridge fhir export`): every call
they make to a service's `/fhir/R4` is in this module, so that they can go
through the Python client once it exists. A staff member's bearer token;
FHIR JSON asked for; a search followed through its `next` links."""
from __future__ import annotations

from typing import Iterator, Mapping

import requests

from .elements import FHIR_BASE, FHIR_JSON


class FhirHttpError(Exception):
    def __init__(self, url: str, status: int, outcome: dict | None):
        self.url, self.status, self.outcome = url, status, outcome
        issues = (outcome or {}).get("issue") or [{}]
        super().__init__(f"GET {url}: {status} {issues[0].get('diagnostics', '')}".strip())


class FhirHttp:
    """One user's calls to every service's FHIR interface."""

    def __init__(self, service_urls: Mapping[str, str], token: str, *, timeout: float = 30.0):
        self.bases = {service: url.rstrip("/") + FHIR_BASE for service, url in service_urls.items()}
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "Accept": FHIR_JSON})
        self.timeout = timeout

    def get(self, url: str, params: dict | None = None) -> dict:
        response = self.session.get(url, params=params, timeout=self.timeout)
        if response.status_code != 200:
            try:
                outcome = response.json()
            except ValueError:
                outcome = None
            raise FhirHttpError(response.url, response.status_code, outcome)
        return response.json()

    def capabilities(self, service: str) -> dict:
        return self.get(f"{self.bases[service]}/metadata")

    def read(self, service: str, resource_type: str, resource_id: str) -> dict:
        return self.get(f"{self.bases[service]}/{resource_type}/{resource_id}")

    def search(self, service: str, resource_type: str, params: dict, page_size: int = 100) -> Iterator[dict]:
        """Every matching resource, page after page."""
        bundle = self.get(f"{self.bases[service]}/{resource_type}", {**params, "_count": page_size})
        while True:
            for entry in bundle.get("entry", []):
                yield entry["resource"]
            following = next((link["url"] for link in bundle.get("link", []) if link["relation"] == "next"), None)
            if following is None:
                return
            bundle = self.get(following)
