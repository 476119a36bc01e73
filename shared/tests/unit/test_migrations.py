from carebridge.db import migrations


def test_migrations_describe_the_models_exactly(service, tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrations.upgrade(service, url)
    migrations.check(service, url)  # raises if a model change has no migration


def test_migrations_apply_twice_without_harm(service, tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    migrations.upgrade(service, url)
    migrations.upgrade(service, url)
