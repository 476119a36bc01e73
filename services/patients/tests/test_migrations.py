"""The schema comes only from the migrations, and they describe the models exactly."""
from carebridge.db import admin, migrations
from carebridge.testing.infrastructure import RUN_ID
from carebridge_patients.service import SERVICE


def test_the_migrations_describe_the_models_exactly(runtime):
    migrations.check(SERVICE, runtime.settings.database_url)  # raises if a model change has no migration


def test_the_migrations_go_down_and_up_again(db_backend, tmp_path, request):
    if db_backend == "postgresql":
        admin_url = request.getfixturevalue("postgres_admin_url")
        name = f"{RUN_ID}_patients_roundtrip"
        url = admin.create_database(admin_url, name)
        request.addfinalizer(lambda: admin.drop_database(admin_url, name))
    else:
        url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrations.upgrade(SERVICE, url)
    migrations.downgrade(SERVICE, url, "patients@base")
    migrations.upgrade(SERVICE, url)
    migrations.check(SERVICE, url)
