"""What every benchmark shares: the machine it ran on, a wrk runner that
reports throughput and latency percentiles, resident memory of processes.

Benchmarks are programs, not tests: each prints one JSON object of figures.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
AMQP_URL = os.environ.get("AMQP_URL") or os.environ.get("BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672//"
DATABASE_URL = os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
# The machine's load when the program started: `report` records it (with the
# load at the end) for a program that does not measure its own around the load.
LOAD_AT_START = [round(x, 2) for x in os.getloadavg()]

WRK_REPORT = r"""
local pending = {}
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.1f, "non_2xx": %d, "socket_errors": %d, ' ..
    '"latency_ms": {"p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.errors.status, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with psycopg.connect(DATABASE_URL) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    rabbit = subprocess.run(["rabbitmqctl", "version"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("rabbitmqctl") else "unknown"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory_gib, "os": platform.platform(),
            "python": platform.python_version(), "postgresql": postgres, "rabbitmq": rabbit or "unknown"}


def lua_cycling_gets(paths: list[str]) -> str:
    """A wrk script that GETs `paths` in turn, round and round."""
    return ("local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
            "local n = 0\n"
            "request = function()\n"
            "  n = n + 1\n"
            "  return wrk.format('GET', paths[(n % #paths) + 1])\n"
            "end\n")


def wrk(url: str, *, seconds: int, connections: int, threads: int = 2, headers: dict | None = None,
        lua: str = "") -> dict:
    """Load from a separate process on loopback; returns the figures."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the HTTP benchmarks (Debian package wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + "\n" + WRK_REPORT)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
               "-s", script.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    return json.loads(output.strip().splitlines()[-1])


def rss_mib(pid: int, include_children: bool = True) -> float:
    """Resident memory of a process (and its children: a gunicorn master and
    its workers), in MiB."""
    pids = process_tree(pid) if include_children else [pid]
    total = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def shared_memory_mib(pid: int, include_children: bool = True) -> dict[str, float]:
    """Proportional (PSS: each shared page divided among the processes that
    map it) and unique (USS: pages no other process maps) memory of a
    process and its children, in MiB, from /proc/<pid>/smaps_rollup. Summed
    RSS counts a page shared by a gunicorn master and its two workers three
    times; summed PSS counts it once."""
    totals = {"Pss": 0, "Private_Clean": 0, "Private_Dirty": 0}
    for each in process_tree(pid) if include_children else [pid]:
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in totals:
                    totals[name] += int(value.split()[0])
        except OSError:
            pass
    return {"pss_mib": round(totals["Pss"] / 1024, 1),
            "uss_mib": round((totals["Private_Clean"] + totals["Private_Dirty"]) / 1024, 1)}


def resident_pages_mib(pid: int, include_children: bool = True) -> float | None:
    """Physical memory the process group holds, in MiB: the distinct
    physical pages mapped by the process or any of its children, each
    counted once (from /proc/<pid>/pagemap). This is what one container
    holding a gunicorn master and its workers occupies: summed RSS counts a
    page shared by the master and its two workers three times, summed PSS
    divides a shared library's pages with every other process on the
    machine; this counts each page the group maps once, shared libraries
    included in full. Needs root (page frame numbers are hidden otherwise):
    None when they are."""
    page = os.sysconf("SC_PAGE_SIZE")
    frames: set[int] = set()
    for each in process_tree(pid) if include_children else [pid]:
        try:
            maps = Path(f"/proc/{each}/maps").read_text().splitlines()
            with open(f"/proc/{each}/pagemap", "rb") as pagemap:
                for line in maps:
                    start, end = (int(edge, 16) for edge in line.split()[0].split("-"))
                    if line.endswith("[vsyscall]"):
                        continue
                    pagemap.seek(start // page * 8)
                    entries = pagemap.read((end - start) // page * 8)
                    for (entry,) in struct.iter_unpack("<Q", entries):
                        if entry >> 63:     # present in RAM (not swapped, not untouched)
                            frames.add(entry & ((1 << 55) - 1))
        except OSError:
            continue
    if frames == {0}:
        return None
    return round(len(frames) * page / 2**20, 1)


def process_tree(pid: int) -> list[int]:
    """A process and its children (a gunicorn master and its workers)."""
    try:
        return [pid] + [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return [pid]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_named(name: str) -> list[int]:
    """Every process whose command is `name` (the PostgreSQL backends, RabbitMQ's beam.smp)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


class CpuMeter:
    """Where the CPU went while something ran: seconds per group of
    processes, from /proc (no sampling, so it costs the run nothing)."""

    def __init__(self, groups: dict[str, list[int]]):
        self.groups = groups
        self.before = {name: {pid: cpu_seconds(pid) for pid in pids} for name, pids in groups.items()}

    def used(self) -> dict[str, float]:
        return {name: round(sum(cpu_seconds(pid) - self.before[name].get(pid, 0.0) for pid in pids), 2)
                for name, pids in self.groups.items()}


def report(name: str, figures: dict, started: float) -> None:
    """Prints the figures with the machine they ran on and the load average
    before and after (every program's JSON carries both)."""
    figures = dict(figures)
    figures.setdefault("load_average", {"before": LOAD_AT_START,
                                        "after": [round(x, 2) for x in os.getloadavg()]})
    print(json.dumps({"benchmark": name, "machine": machine(), "elapsed_seconds": round(time.monotonic() - started, 1),
                      **figures}, indent=None), flush=True)
