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


PRODUCTION = {"CAREBRIDGE_ENV": "production", "JWT_ALGORITHMS": "RS256", "JWT_JWKS_URL": "https://idp.example.org/certs",
              "BROKER_URL": "amqp://patients:pw@broker", "AUDIT_HMAC_KEY": "k" * 32,
              "AUDIT_CHECKPOINT_DIR": "/mnt/audit-checkpoints"}


@pytest.mark.parametrize("env", [
    {**PRODUCTION, "JWT_JWKS_URL": ""},
    {**PRODUCTION, "BROKER_URL": ""},
    {**PRODUCTION, "CAREBRIDGE_CLOCK": "file:/tmp/clock"},
    {"CAREBRIDGE_ENV": "staging"},
    {**PRODUCTION, "AUDIT_HMAC_KEY": ""},
    {**PRODUCTION, "AUDIT_HMAC_KEY": "k" * 31},
    {**PRODUCTION, "AUDIT_CHECKPOINT_INTERVAL_SECONDS": "300"},
    {**PRODUCTION, "BROKER_USER_TEMPLATE": "carebridge"},
], ids=["no-verification-key", "memory-bus", "test-clock", "unknown-env", "dev-audit-key", "short-audit-key",
        "checkpoints-too-rare", "one-broker-user-for-all"])
def test_unsafe_production_settings_are_refused(env):
    with pytest.raises(ConfigurationError):
        Settings.from_env("patients", env)


def test_production_with_real_settings_starts():
    settings = Settings.from_env("patients", PRODUCTION)
    assert settings.is_production
    assert settings.broker_user == "patients" == settings.broker_user_of("patients")


def test_the_broker_user_is_the_urls_on_a_real_broker_and_the_templates_in_memory():
    assert Settings.from_env("billing", {"BROKER_URL": "amqp://run.billing:pw@host//",
                                         "BROKER_USER_TEMPLATE": "run.{service}"}).broker_user == "run.billing"
    assert Settings.from_env("billing", {"BROKER_USER_TEMPLATE": "dev-{service}"}).broker_user == "dev-billing"
    with pytest.raises(ConfigurationError):
        Settings.from_env("billing", {"BROKER_USER_TEMPLATE": "{user}"})


def test_service_specific_settings_fall_back_to_plain_names():
    settings = Settings.from_env("notifications", {"SMTP_HOST": "mail", "NOTIFICATIONS_SMTP_PORT": "2525",
                                                   "SMTP_PORT": "25"})
    assert settings.get("SMTP_HOST") == "mail"
    assert settings.get("SMTP_PORT") == "2525"
    assert settings.get("SMTP_USER", "nobody") == "nobody"


def test_a_production_worker_needs_a_checkpoint_folder_of_its_own():
    from carebridge.audit.checkpoints import checkpoint_job

    class Runtime:
        settings = Settings.from_env("patients", {**PRODUCTION, "AUDIT_CHECKPOINT_DIR": ""})

    with pytest.raises(ConfigurationError):
        checkpoint_job(Runtime())
    Runtime.settings = Settings.from_env("patients", PRODUCTION)
    assert checkpoint_job(Runtime()).name == "audit-checkpoint"


def test_a_mapping_setting_reads_names_and_values_and_refuses_what_it_cannot_read():
    from carebridge.config import list_of, mapping_of
    hours = mapping_of(int, keys={"hospital", "nursing-home"}, minimum=1)
    assert hours(" hospital=24 ; nursing-home=72;") == {"hospital": 24, "nursing-home": 72}
    assert hours("") == {}
    offsets = mapping_of(list_of(int), keys={"hospital"}, minimum=1)
    assert offsets("hospital=1440, 120") == {"hospital": (1440, 120)}
    for bad in ("spa=3", "hospital", "hospital=", "hospital=0", "hospital=soon", "hospital=2;hospital=3"):
        with pytest.raises(ValueError):
            hours(bad)
    with pytest.raises(ValueError):
        offsets("hospital=,")
