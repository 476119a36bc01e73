from sqlalchemy import text

from carebridge.db import migrations
from carebridge.db.engine import build_engine
from carebridge.testing.databases import owner_url
from kit_toy_service.service import SERVICE


def test_migrations_describe_the_models_exactly_on_postgresql(pg_url):
    migrations.check(SERVICE, pg_url)


def _append_functions(url: str) -> dict[str, str]:
    """The kit's audit append functions in the database: name -> argument types."""
    engine = build_engine(url, pool_size=1)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text(
                "SELECT proname, pg_get_function_identity_arguments(oid) FROM pg_proc "
                "WHERE proname IN ('carebridge_audit_append', 'carebridge_audit_append_canonical')")).all())
    finally:
        engine.dispose()


def test_kit_0006_drops_the_superseded_audit_append_and_its_downgrade_restores_it(pg_url):
    pg_url = owner_url(pg_url)  # migrations run as the database's owner
    assert set(_append_functions(pg_url)) == {"carebridge_audit_append_canonical"}
    migrations.downgrade(SERVICE, pg_url, "kit_0005")
    restored = _append_functions(pg_url)
    assert restored["carebridge_audit_append"].replace("timestamp with time zone", "timestamptz").split(", ")[3:] \
        == ["recorded_ats timestamptz[]"] + [f"{name} text[]" for name in (
            "actors", "roles_list", "actions", "resource_types", "resource_ids", "patient_ids", "correlation_ids",
            "outcomes", "canonicals")]
    engine = build_engine(pg_url, pool_size=1)
    try:
        with engine.connect() as connection:  # it appends, as kit_0004's did (rolled back at the end)
            chain = connection.scalar(text(
                "SELECT carebridge_audit_append(0, 1, 99, ARRAY[now()], ARRAY['actor'], ARRAY['nurse'], "
                "ARRAY['read'], ARRAY['toy'], ARRAY['1'], ARRAY[NULL::text], ARRAY['req'], ARRAY['success'], "
                "ARRAY['{}'])"))
            assert chain == 0
            assert connection.scalar(text("SELECT count(*) FROM audit_records WHERE actor = 'actor'")) == 1
    finally:
        engine.dispose()
    migrations.upgrade(SERVICE, pg_url)
    assert set(_append_functions(pg_url)) == {"carebridge_audit_append_canonical"}


def test_kit_i22_goes_down_and_up_again_with_the_keyed_append(pg_url):
    pg_url = owner_url(pg_url)
    migrations.downgrade(SERVICE, pg_url, "kit_0006")
    engine = build_engine(pg_url, pool_size=1)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text(
                "SELECT count(*) FROM pg_proc WHERE proname = 'carebridge_audit_append_keyed'")) == 0
    finally:
        engine.dispose()
    migrations.upgrade(SERVICE, pg_url)
    migrations.check(SERVICE, pg_url)
