"""`/.well-known/carebridge` tells a client, without a token, the stack's mode
and where tokens come from; only a development stack signs development
tokens, and those are accepted by its services."""
import pytest

from carebridge.testing import assert_problem


def test_a_test_stack_names_its_mode_and_signs_no_token(client, service):
    answer = client.get("/.well-known/carebridge")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["service"] == service.name
    assert body["environment"] == "test"
    assert body["tokens"]["development_token_url"] is None
    assert body["tokens"]["issuer"] == "carebridge-dev"
    refused = client.post("/.well-known/carebridge/development-token", json={"role": "admin"})
    assert_problem(refused, 404)


@pytest.fixture
def development_client(make_runtime, make_app, service):
    return make_app(service, make_runtime(service, environment="development")).test_client()


def test_a_development_stack_signs_tokens_its_services_accept(development_client):
    body = development_client.get("/.well-known/carebridge").get_json()
    assert body["environment"] == "development"
    url = body["tokens"]["development_token_url"]
    assert url == "/.well-known/carebridge/development-token"
    answer = development_client.post(url, json={"role": "admin", "ttl_seconds": 120})
    assert answer.status_code == 200, answer.get_json()
    token = answer.get_json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 120
    without = development_client.get("/audit-events", query_string={"patient_id": "6f0c4c1e-1d1b-4b7e-9a55-3f1f0d6e2a10"})
    assert without.status_code == 401
    with_token = development_client.get("/audit-events", headers={"Authorization": f"Bearer {token['access_token']}"},
                                        query_string={"patient_id": "6f0c4c1e-1d1b-4b7e-9a55-3f1f0d6e2a10"})
    assert with_token.status_code == 200, with_token.get_json()


@pytest.mark.parametrize("body", [{"role": "service"}, {"role": "wizard"}, {"role": "admin", "ttl_seconds": 86400},
                                  {}])
def test_no_service_identity_or_long_lived_token_is_signed(development_client, body):
    assert_problem(development_client.post("/.well-known/carebridge/development-token", json=body), 422)
