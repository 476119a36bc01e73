"""Schema only through migrations, and the migrations match the models."""
import uuid

from sqlalchemy import select

from carebridge.db import Database, migrations
from carebridge_scheduling import reference
from carebridge_scheduling.persistence.models import Location
from carebridge_scheduling.service import SERVICE


def test_the_models_and_the_migrations_agree(runtime):
    # Raises if a model changed without a migration (on the suite's backend).
    migrations.check(SERVICE, runtime.settings.database_url)


def test_a_fresh_database_gets_the_go_live_locations_with_stable_ids(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrations.upgrade(SERVICE, url)
    migrations.upgrade(SERVICE, url)  # again: nothing to do, no harm
    database = Database(url, service="scheduling")
    with database.transaction() as session:
        seeded = {location.code: location for location in session.scalars(select(Location))}
    database.dispose()
    assert set(seeded) == {row["code"] for row in reference.load("locations.json")}
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "carebridge/scheduling/locations")
    assert seeded["virtual-care"].id == uuid.uuid5(namespace, "virtual-care")
    assert seeded["virtual-care"].setting == "home-telehealth"


def test_downgrade_and_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrations.upgrade(SERVICE, url)
    migrations.downgrade(SERVICE, url, "scheduling@base")
    migrations.upgrade(SERVICE, url)
    migrations.check(SERVICE, url)
