"""Profiling the API read in process (not a benchmark: nothing here is a
target). Sets up the patients service's databases and API as api_read.py
does (100 patients, a nurse on each care team), writes what
api_read_in_process.py needs to STACK_FILE, and holds it all until SIGTERM:

    .venv/bin/python bench/profiling/hold_stack.py &
    N=300 ONLY=carebridge valgrind --tool=callgrind --instr-atstart=no \
        .venv/bin/python bench/profiling/api_read_in_process.py callgrind   # also ONLY=baseline
    .venv/bin/python bench/profiling/api_read_in_process.py profile        # cProfile, CPU time
    .venv/bin/python bench/profiling/api_read_in_process.py gc             # GC pauses per generation
"""
import json, os, signal, sys, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STACK_FILE = os.environ.get("STACK_FILE", "/tmp/carebridge-api-read-stack.json")
sys.path.insert(0, os.path.join(ROOT, "bench"))
from harness import BenchStack, token
from api_read import seed
with BenchStack("prof", ["patients"], workers=False) as stack:
    nurse, ids = seed(stack)
    env = stack.real.env_for("patients", "api")
    info = {"env": {k: v for k, v in env.items() if k not in os.environ or os.environ[k] != v},
            "database_url": stack.database_url("patients"), "ids": ids,
            "token": token("nurse", nurse), "url": stack.url("patients"), "api_pid": stack.api_pid("patients")}
    with open(STACK_FILE, "w") as f:
        json.dump(info, f)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    while not stop:
        time.sleep(1)
