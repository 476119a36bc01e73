from support import money
from carebridge.testing import assert_problem
from carebridge.web import KIT_PATHS

BILLING_PREFIXES = ("/coverages", "/estimates", "/charges", "/claims", "/prior-authorizations", "/billing-issues",
                    "/billing-overview", "/fee-schedule", "/payers", "/fhir/R4/")


def test_fee_schedule_lists_prices_with_their_categories(client, auth):
    page = client.get("/fee-schedule?page_size=100", headers=auth("coordinator")).get_json()
    entries = {e["service_code"]: e for e in page["items"]}
    assert page["total"] == 11   # seven visit codes, four remote monitoring codes
    assert (entries["72148"]["price"], entries["72148"]["category"]) == (money("1250.00"), "imaging")
    assert client.get("/fee-schedule/99214", headers=auth("billing")).get_json()["price"] == money("185.00")


def test_unknown_service_code_or_price_date_is_404(client, auth):
    assert_problem(client.get("/fee-schedule/00000", headers=auth("billing")), 404)
    assert_problem(client.get("/fee-schedule/99214?on=2020-01-01", headers=auth("billing")), 404)
    assert "query.on" in assert_problem(client.get("/fee-schedule?on=someday", headers=auth("billing")),
                                        422)["errors"]


def test_payer_directory_shows_plan_policies(client, auth):
    page = client.get("/payers", headers=auth("billing")).get_json()
    assert [p["payer_id"] for p in page["items"]] == ["acme-health", "bluestone-mutual", "medicare"]
    acme = client.get("/payers/acme-health", headers=auth("billing")).get_json()
    ppo = next(plan for plan in acme["plans"] if plan["plan_id"] == "ACME-PPO-2026")
    assert ppo["prior_auth_service_codes"] == ["72148", "93306", "97110"]
    assert_problem(client.get("/payers/nobody", headers=auth("billing")), 404)


def test_the_api_stays_under_billings_own_prefixes(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    own = [p for p in paths if p not in KIT_PATHS]
    assert own and all(p.startswith(BILLING_PREFIXES) for p in own)
    assert not any(p.startswith("/patients") for p in paths)


def test_writes_document_their_preconditions_and_retries(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/claims/{claim_id}/submit", "/claims/{claim_id}/appeal",
                 "/prior-authorizations/{prior_auth_id}/withdraw"):
        operation = paths[path]["post"]
        assert any(p["name"] == "If-Match" for p in operation["parameters"])
        assert {"412", "428"} <= set(operation["responses"])
    for path in ("/coverages/{coverage_id}", "/billing-issues/{issue_id}"):
        assert any(p["name"] == "If-Match" for p in paths[path]["patch"]["parameters"])
    for path in ("/coverages", "/estimates", "/claims", "/prior-authorizations", "/billing-issues"):
        assert any(p["name"] == "Idempotency-Key" for p in paths[path]["post"]["parameters"])
    assert "503" in paths["/coverages/{coverage_id}/eligibility-checks"]["post"]["responses"]


def test_money_is_documented_as_the_decimal_string_it_is(client, auth):
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["Money"]["properties"]["amount"]["type"] == "string"
    assert schemas["CoverageCreate"]["properties"]["coinsurance_percent"]["type"] == "string"

    def bounds(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                    yield key, value
                yield from bounds(value)
        elif isinstance(node, list):
            for item in node:
                yield from bounds(item)

    # A numeric bound must be a number, or the document is invalid OpenAPI.
    assert all(isinstance(value, (int, float)) and not isinstance(value, bool) for _, value in bounds(spec))
    price = client.get("/fee-schedule/99214", headers=auth("billing")).get_json()
    assert isinstance(price["price"]["amount"], str)


def test_health_needs_no_token(client):
    assert client.get("/healthz").get_json()["service"] == "billing"
    assert client.get("/readyz").status_code == 200
