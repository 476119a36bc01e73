"""The `carebridge` command.

    carebridge token --role ROLE [--sub ID]      print a development token (CAREBRIDGE_ENV=development only)
    carebridge dev                               the embedded stack (all services, one process)
    carebridge seed [--base-url SERVICE=URL ...] load the demo organisation (a stack in development mode)
    carebridge stack --database-url .. --broker-url ..   the real stack as processes
    carebridge worker SERVICE                    a service's consumer, relay and jobs
    carebridge migrate SERVICE [--check|--current|--revision MSG]
    carebridge dead-letters list|replay SERVICE [--event-id ID ...]
    carebridge audit verify SERVICE [--checkpoints FILE ...]
    carebridge healthcheck                       the images' HEALTHCHECK (API or worker /healthz)
    carebridge services                          what is installed
    carebridge settings                          every environment variable, as a markdown table
    carebridge events describe|check --against REF     the event catalogue, compared with REF
    carebridge openapi describe|check --against REF    the services' OpenAPI documents, compared with REF
    carebridge fhir export PATIENT_ID [--out FILE]     a patient's whole record as one FHIR collection Bundle
    carebridge fhir export --ndjson OUTDIR ID...       many patients' records, one NDJSON file per resource type
    carebridge fhir import BUNDLE.json [--token T]     a FHIR R4 transaction or collection Bundle into CareBridge
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import clock, logs
from .config import ConfigurationError, Settings


def _token(args) -> int:
    import os

    from .auth import ROLES, issue_token
    # Anyone who can run this where the services' key is configured could
    # sign an admin's token: outside development, only the identity
    # provider issues tokens. (Asked before the settings are read, which
    # in production may refuse to load at all.)
    environment = os.environ.get("CAREBRIDGE_ENV", "").strip() or "development"
    if environment != "development":
        print(f"carebridge token signs development tokens only; CAREBRIDGE_ENV is {environment!r} "
              "(get a token from the identity provider)", file=sys.stderr)
        return 2
    settings = Settings.from_env("cli")
    if args.role not in ROLES:
        print(f"unknown role {args.role!r}; choose from {', '.join(ROLES)}", file=sys.stderr)
        return 2
    print(issue_token(settings, [args.role], subject=args.sub, ttl_seconds=args.ttl))
    return 0


def _dev(args) -> int:
    from .runtime import dev
    dev.run(data_dir=args.data_dir, host=args.host, only=args.only.split(",") if args.only else None)
    return 0


def _seed(args) -> int:
    # The Python client provides it (entry point carebridge.commands: seed),
    # so that the kit imports no client.
    from importlib.metadata import entry_points
    found = [entry for entry in entry_points(group="carebridge.commands") if entry.name == "seed"]
    if not found:
        print("carebridge seed needs the Python client: pip install ./clients/python", file=sys.stderr)
        return 2
    return found[0].load()(args.seed_args)


def _stack(args) -> int:
    from .runtime import stack
    stack.run(args.database_url, args.broker_url, args.prefix, args.gunicorn_config, args.api_workers)
    return 0


def _worker(args) -> int:
    import gc
    import os
    # The worker is one process: it keeps its metrics in memory. (The
    # directory is gunicorn's, for the API's worker processes.)
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    from .runtime.discovery import load_service
    from .runtime.worker import Worker
    from .service import Runtime
    service = load_service(args.service)
    settings = Settings.from_env(service.name)
    logs.configure(service.name, settings.log_level, settings.log_json)
    clock.configure(settings.clock)
    worker = Worker(Runtime(service, settings))
    port = settings.worker_health_port or args.health_port
    if port:
        worker.serve_health(int(port))
    # Everything loaded so far lives as long as the process: keep the
    # garbage collector from rescanning it on every full collection (a stall
    # of ~150 ms in the middle of applying a burst).
    gc.collect()
    gc.freeze()
    worker.run_until_signalled()
    return 0


def _migrate(args) -> int:
    from .db import migrations
    from .runtime.discovery import load_service
    service = load_service(args.service)
    # Migrations need only the database (as its owner role) and the name of
    # the role to grant: none of the service's secrets.
    url = args.database_url or Settings.database_url_from_env(service.name)
    runtime_role = Settings.from_env(service.name, check=False).database_runtime_role
    if args.check:
        migrations.check(service, url)
    elif args.current:
        migrations.current(service, url)
    elif args.revision:
        migrations.new_revision(service, url, args.revision, autogenerate=not args.empty)
    else:
        newer = migrations.upgrade(service, url, runtime_role=runtime_role)
        if newer:
            print(f"{service.name}: the database schema is newer than this image "
                  f"({', '.join(newer)} unknown here); nothing to apply")
        else:
            print(f"{service.name}: database is at the latest schema")
    return 0


def _dead_letters(args) -> int:
    from .bus import dead_letters
    from .runtime.discovery import load_service
    from .service import Runtime
    service = load_service(args.service)
    settings = Settings.from_env(service.name)
    runtime = Runtime(service, settings)
    queues, users = runtime.queues, runtime.broker_users
    if args.action == "list":
        letters = dead_letters.list_dead_letters(settings.broker_url, queues, users)
        print(json.dumps([letter.as_dict() for letter in letters], indent=2, default=str))
    else:
        wanted = set(args.event_id) if args.event_id else None
        replayed = dead_letters.replay(settings.broker_url, queues, users, wanted)
        print(json.dumps({"replayed": [letter.as_dict() for letter in replayed]}, indent=2, default=str))
    return 0


def _audit(args) -> int:
    from datetime import datetime

    from .audit import AuditKeys, verify_trail
    from .audit.checkpoints import checkpoint_file, read_checkpoints
    from .db import Database
    from .runtime.discovery import load_service
    service = load_service(args.service)
    settings = Settings.from_env(service.name, check=False)
    db = Database(args.database_url or Settings.database_url_from_env(service.name), service=service.name)
    sources = [checkpoint_file(settings, service.name), *(args.checkpoints or [])]
    unkeyed_before = datetime.fromisoformat(args.unkeyed_before) if args.unkeyed_before else None
    try:
        report = verify_trail(db, AuditKeys.from_settings(settings), service.name,
                              read_checkpoints(sources, service.name), unkeyed_before=unkeyed_before)
    finally:
        db.dispose()
    for finding in report.findings:
        print(f"{finding['kind']}: chain {finding['chain']} seq {finding['seq']}: {finding['detail']}",
              file=sys.stderr)
    print(json.dumps(report.__dict__, default=str))
    return 0 if report.ok else 1


def _healthcheck(_args) -> int:
    """The images' HEALTHCHECK: one image runs as the API or as the worker,
    so the process is healthy when /healthz answers on the API's port
    (GUNICORN_BIND) or the worker's (WORKER_HEALTH_PORT, 9000 as the
    images start it). Liveness only: it asks no other system."""
    import os
    import urllib.request
    from .config import read_declared
    from .runtime.gunicorn_settings import GunicornSettings
    worker_port = read_declared(Settings, os.environ.get, only={"worker_health_port"})["worker_health_port"]
    ports = [GunicornSettings.from_env().bind.rpartition(":")[2], str(worker_port or 9000)]
    for port in ports:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as response:
                if response.status == 200:
                    return 0
        except OSError:
            continue
    print(f"carebridge healthcheck: no /healthz answered on ports {', '.join(ports)}", file=sys.stderr)
    return 1


def _services(_args) -> int:
    from .runtime.discovery import installed_services
    for name, service in installed_services().items():
        print(f"{name}: {service.title} ({service.package})")
    return 0


def _settings(_args) -> int:
    from .runtime.discovery import installed_services
    from .settings_table import markdown
    print(markdown(installed_services()), end="")
    return 0


def _contract_command(what: str):
    """`carebridge events|openapi describe|check`: the current description as
    JSON, or its comparison with another revision (exit status 1 names every
    incompatible change, 2 when REF cannot be described)."""
    def run(args) -> int:
        from .compat import RevisionError, compare_events, compare_openapi, describe, describe_both
        if args.action == "describe":
            print(json.dumps(describe(what), indent=2, sort_keys=True))
            return 0
        if not args.against:
            print(f"carebridge {what} check needs --against REF", file=sys.stderr)
            return 2
        try:
            old, new = describe_both(what, Path(args.repo), args.against)
        except RevisionError as error:
            print(f"carebridge {what} check: {error}", file=sys.stderr)
            return 2
        problems = (compare_events if what == "events" else compare_openapi)(old, new)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{what}: {len(problems)} incompatible change(s) against {args.against}", file=sys.stderr)
            return 1
        if what == "events":
            compared = sum(len(versions) for versions in old["events"].values())
            print(f"events: compatible with {args.against} ({compared} event versions compared)")
        else:
            print(f"openapi: compatible with {args.against} ({len(old['documents'])} services compared)")
        return 0
    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carebridge", description="CareBridge platform commands")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("token", help="print a development token (refused outside development)")
    p.add_argument("--role", required=True)
    p.add_argument("--sub", default=None, help="subject (a practitioner id for staff, a service's name for 'service')")
    p.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds (at most JWT_MAX_LIFETIME_SECONDS)")
    p.set_defaults(func=_token)

    p = sub.add_parser("dev", help="run every installed service in one process (SQLite, in-memory bus)")
    p.add_argument("--data-dir", default="data")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--only", default=None, help="comma-separated services to run")
    p.set_defaults(func=_dev)

    p = sub.add_parser("seed", help="load the demo organisation through the APIs (idempotent)", add_help=False)
    p.set_defaults(func=_seed)  # its own options: carebridge seed --help

    p = sub.add_parser("stack", help="run the real stack as processes (gunicorn + workers)")
    p.add_argument("--database-url", required=True, help="a PostgreSQL server URL allowed to create databases")
    p.add_argument("--broker-url", required=True)
    p.add_argument("--prefix", default="carebridge")
    p.add_argument("--gunicorn-config", default=None)
    p.add_argument("--api-workers", type=int, default=2)
    p.set_defaults(func=_stack)

    p = sub.add_parser("worker", help="run a service's consumer, outbox relay and periodic jobs")
    p.add_argument("service")
    p.add_argument("--health-port", type=int, default=None)
    p.set_defaults(func=_worker)

    p = sub.add_parser("migrate", help="apply (or check, or write) a service's schema migrations")
    p.add_argument("service")
    p.add_argument("--database-url", default=None)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="fail if the models need a migration")
    group.add_argument("--current", action="store_true")
    group.add_argument("--revision", metavar="MESSAGE", help="write a new migration")
    p.add_argument("--empty", action="store_true", help="with --revision: no autogenerate")
    p.set_defaults(func=_migrate)

    p = sub.add_parser("dead-letters", help="list or replay a service's dead-lettered messages")
    p.add_argument("action", choices=["list", "replay"])
    p.add_argument("service")
    p.add_argument("--event-id", action="append")
    p.set_defaults(func=_dead_letters)

    p = sub.add_parser("audit", help="verify a service's audit chain against its latest signed checkpoint")
    p.add_argument("action", choices=["verify"])
    p.add_argument("service")
    p.add_argument("--database-url", default=None)
    p.add_argument("--checkpoints", action="append", metavar="FILE",
                   help="more checkpoints: JSON lines, or a saved answer of another service's "
                        "GET /audit-checkpoints?service=SERVICE (besides AUDIT_CHECKPOINT_DIR/SERVICE.jsonl)")
    p.add_argument("--unkeyed-before", default=None, metavar="TIME",
                   help="accept unkeyed records written before TIME (ISO 8601) after keyed ones: those of "
                        "the previous release's pods during the upgrade to the keyed trail")
    p.set_defaults(func=_audit)

    p = sub.add_parser("healthcheck", help="exit 0 when this container's API or worker answers /healthz")
    p.set_defaults(func=_healthcheck)

    p = sub.add_parser("services", help="list installed services")
    p.set_defaults(func=_services)

    p = sub.add_parser("settings", help="every environment variable CareBridge reads (docs/settings.md)")
    p.set_defaults(func=_settings)

    for what, about in (("events", "the event catalogue and what each service consumes"),
                        ("openapi", "each service's OpenAPI document")):
        p = sub.add_parser(what, help=f"describe {about}, or check it is compatible with another revision")
        p.add_argument("action", choices=["describe", "check"])
        p.add_argument("--against", metavar="REF", help="the git revision to compare with (for check)")
        p.add_argument("--repo", default=".", help="the git checkout holding REF (default: here)")
        p.set_defaults(func=_contract_command(what))

    p = sub.add_parser("fhir", help="export PATIENT_ID: a patient's whole record as one FHIR R4 collection "
                                    "Bundle (--ndjson OUTDIR ID...: many patients as NDJSON); import BUNDLE.json: "
                                    "a FHIR Bundle into CareBridge (the Python client's commands, their own options)")
    p.add_argument("action", choices=["export", "import"])
    p.set_defaults(func=lambda args: _client_command(f"fhir-{args.action}", []))
    return parser


def _client_command(name: str, argv) -> int:
    # The Python client provides them (entry points carebridge.commands:
    # fhir-import, fhir-export): they go through the client, and the kit
    # imports no client.
    from importlib.metadata import entry_points
    found = [entry for entry in entry_points(group="carebridge.commands") if entry.name == name]
    if not found:
        print(f"carebridge {name.replace('-', ' ')} needs the Python client: pip install ./clients/python",
              file=sys.stderr)
        return 2
    return found[0].load()(argv, base_urls=Settings.from_env("cli").service_urls)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:2] in (["fhir", "import"], ["fhir", "export"]):
        # The client's own command lines (their options are their own).
        try:
            return _client_command(f"fhir-{argv[1]}", argv[2:])
        except ConfigurationError as error:
            print(f"carebridge fhir {argv[1]}: {error}", file=sys.stderr)
            return 2
    if argv[:1] == ["seed"]:
        # The client's own command line (its options are its own).
        args, rest = build_parser().parse_known_args(argv)
        args.seed_args = rest
        return args.func(args)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigurationError as error:
        print(f"carebridge {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
