"""`carebridge fhir export`: a patient's whole record as one FHIR R4
collection Bundle, or many patients' records as NDJSON files (one per
resource type), through this client (`cb.fhir`).

    carebridge fhir export PATIENT_ID [--out FILE] [--indent]
    carebridge fhir export --ndjson OUTDIR ID... [--ids-file FILE]

The bulk export shows a progress bar on a terminal (nothing when standard
error is not one), goes on past a patient whose export fails, and ends
with the patients done and those that failed, each with why (exit status 1
when any failed).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import CareBridge, StaticToken
from .fhir import FhirError


def _ids(args, parser) -> list[str]:
    ids = list(args.patient_ids)
    if args.ids_file:
        try:
            text = Path(args.ids_file).read_text(encoding="utf-8")
        except OSError as error:
            parser.error(f"--ids-file: {error}")
        ids += [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(dict.fromkeys(ids))  # each patient once, in the order given


class _Progress:
    """A bar on a terminal (rich, already in CareBridge's dependencies); nothing otherwise."""

    def __init__(self, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        if total and self.stream.isatty():
            try:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
            except ImportError:
                return
            from rich.console import Console
            self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=Console(file=self.stream), transient=True)
            self.task = self.bar.add_task("exporting patients", total=total)
            self.bar.start()

    def __call__(self, patient_id: str, error: str | None) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def main(argv=None, *, base_urls: dict | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carebridge fhir export", description=__doc__.splitlines()[0])
    parser.add_argument("patient_ids", nargs="*", metavar="PATIENT_ID")
    parser.add_argument("--out", metavar="FILE", help="write the Bundle here (default: standard output)")
    parser.add_argument("--indent", action="store_true", help="indent the JSON")
    parser.add_argument("--ndjson", metavar="OUTDIR",
                        help="bulk: write each resource type's resources to OUTDIR/<Type>.ndjson")
    parser.add_argument("--ids-file", metavar="FILE", help="bulk: patient ids, one a line (with --ndjson)")
    parser.add_argument("--token", help="a staff member's bearer token (default: CAREBRIDGE_TOKEN)")
    parser.add_argument("--base-url", action="append", default=[], metavar="SERVICE=URL")
    args = parser.parse_args(argv)
    token = args.token or os.environ.get("CAREBRIDGE_TOKEN", "")
    if not token:
        print("carebridge fhir export needs a staff member's bearer token (--token or CAREBRIDGE_TOKEN)",
              file=sys.stderr)
        return 2
    urls = dict(base_urls or {})
    for item in args.base_url:
        service, _, url = item.partition("=")
        urls[service] = url
    cb = CareBridge(urls or None, StaticToken(token))
    if args.ndjson:
        ids = _ids(args, parser)
        if not ids:
            parser.error("--ndjson needs patient ids (arguments or --ids-file)")
        progress = _Progress(len(ids))
        try:
            report = cb.fhir.export_ndjson(ids, args.ndjson, progress=progress)
        finally:
            progress.close()
        for patient_id, why in report.failed:
            print(f"failed: Patient/{patient_id}: {why}", file=sys.stderr)
        print(report.summary(), file=sys.stderr)
        return 1 if report.failed else 0
    if args.ids_file or len(args.patient_ids) != 1:
        parser.error("one PATIENT_ID (or --ndjson OUTDIR with many)")
    try:
        found = cb.fhir.export_record(args.patient_ids[0])
    except FhirError as error:
        print(f"carebridge fhir export: {error}", file=sys.stderr)
        return 1
    text = json.dumps(found.bundle, indent=2 if args.indent else None)
    if args.out:
        Path(args.out).write_text(text + "\n")
    else:
        print(text)
    summary = ", ".join(f"{count} {name}" for name, count in found.counts.items())
    print(f"exported {summary or 'nothing'}", file=sys.stderr)
    for ref in found.unresolved:
        print(f"could not be resolved, left as a reference: {ref}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
