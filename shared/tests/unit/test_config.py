import pytest

from carebridge.config import DEV_JWT_SECRET, ConfigurationError, Settings


def test_development_defaults_need_nothing():
    settings = Settings.from_env("patients", {})
    assert settings.database_url == "sqlite:///data/patients.db"
    assert settings.broker_url == "memory://"
    assert settings.jwt_secret == DEV_JWT_SECRET
    assert settings.url_of("billing") == "http://127.0.0.1:8004"


def test_service_prefixed_variables_win():
    settings = Settings.from_env("patients", {"DATABASE_URL": "postgresql://a/plain",
                                              "PATIENTS_DATABASE_URL": "postgresql://a/patients",
                                              "PATIENTS_GRACE_MINUTES": "20"})
    assert settings.database_url == "postgresql://a/patients"
    assert settings.get("GRACE_MINUTES") == "20"


@pytest.mark.parametrize("env", [
    {"CAREBRIDGE_ENV": "production", "BROKER_URL": "amqp://x"},
    {"CAREBRIDGE_ENV": "production", "JWT_ALGORITHMS": "RS256", "JWT_JWKS_URL": "https://idp/certs"},
    {"CAREBRIDGE_ENV": "production", "JWT_ALGORITHMS": "RS256", "JWT_JWKS_URL": "https://idp/certs",
     "BROKER_URL": "amqp://x", "CAREBRIDGE_CLOCK": "file:/tmp/clock"},
    {"CAREBRIDGE_ENV": "staging"},
], ids=["dev-secret", "memory-bus", "test-clock", "unknown-env"])
def test_unsafe_production_settings_are_refused(env):
    with pytest.raises(ConfigurationError):
        Settings.from_env("patients", env)


def test_production_with_real_settings_starts():
    settings = Settings.from_env("patients", {"CAREBRIDGE_ENV": "production", "JWT_ALGORITHMS": "RS256",
                                              "JWT_JWKS_URL": "https://idp.example.org/certs",
                                              "BROKER_URL": "amqp://broker"})
    assert settings.is_production


def test_service_specific_settings_fall_back_to_plain_names():
    settings = Settings.from_env("notifications", {"SMTP_HOST": "mail", "NOTIFICATIONS_SMTP_PORT": "2525",
                                                   "SMTP_PORT": "25"})
    assert settings.get("SMTP_HOST") == "mail"
    assert settings.get("SMTP_PORT") == "2525"
    assert settings.get("SMTP_USER", "nobody") == "nobody"
