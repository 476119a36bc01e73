"""Schema only through migrations, and the migrations match the models."""
import uuid

from sqlalchemy import select

from carebridge.db import Database, migrations
from carebridge.testing import check_migrations
from carebridge_scheduling import reference
from carebridge_scheduling.persistence.models import Location


def test_the_migrations_match_the_models_and_go_down_and_up_again(service, scratch_database_url):
    check_migrations(service, scratch_database_url)


def test_a_fresh_database_gets_the_go_live_locations_with_stable_ids(service, scratch_database_url):
    url = scratch_database_url
    migrations.upgrade(service, url)
    migrations.upgrade(service, url)  # again: nothing to do, no harm
    database = Database(url, service="scheduling")
    with database.transaction() as session:
        seeded = {location.code: location for location in session.scalars(select(Location))}
    database.dispose()
    assert set(seeded) == {row["code"] for row in reference.load("locations.json")}
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "carebridge/scheduling/locations")
    assert seeded["virtual-care"].id == uuid.uuid5(namespace, "virtual-care")
    assert seeded["virtual-care"].setting == "home-telehealth"
