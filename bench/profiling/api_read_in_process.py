"""GET /patients/{id} as the nurse, in process, straight through the WSGI
apps (no gunicorn, no sockets: what the app itself costs): the patients app
built as gunicorn builds it and bench/baseline_app.py, against the stack
hold_stack.py holds. Modes: `measure` (CPU per request, alternating),
`profile` (cProfile timed by CPU), `gc` (collections and their CPU after
gc.freeze(), as in a worker), `callgrind` (instruction counts of N requests
only, under valgrind --instr-atstart=no). Under load, only `callgrind`'s
counts are stable."""
import cProfile, gc, io, json, os, pstats, sys, time
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STACK_FILE = os.environ.get("STACK_FILE", "/tmp/carebridge-api-read-stack.json")
sys.path.insert(0, os.path.join(ROOT, "bench"))
from werkzeug.test import EnvironBuilder
info = json.load(open(STACK_FILE))
N = int(os.environ.get("N", "2000"))
MODE = sys.argv[1] if len(sys.argv) > 1 else "measure"

def drive(app, environs, n):
    status = []
    def start_response(s, h, exc=None):
        status.append(s)
    for i in range(n):
        env = dict(environs[i % len(environs)])
        env["wsgi.input"] = io.BytesIO(b"")
        body = app(env, start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
    bad = [s for s in status if not s.startswith("200")]
    assert not bad, bad[:3]

os.environ.update(info["env"])
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
from carebridge.runtime.wsgi import application
app = application("patients")
os.environ["DATABASE_URL"] = info["database_url"]
import baseline_app
headers = {"Authorization": f"Bearer {info['token']}"}
SUFFIX = os.environ.get("SUFFIX", "")    # e.g. /allergies: one of the patient page's lists
environs = [EnvironBuilder(path=f"/patients/{i}{SUFFIX}", headers=headers).get_environ() for i in info["ids"]]
apps = {"carebridge": app, "baseline": baseline_app.app}
if os.environ.get("ONLY"):
    apps = {k: v for k, v in apps.items() if k == os.environ["ONLY"]}
for name, a in apps.items():
    drive(a, environs, 300)
gc.collect(); gc.freeze()   # as post_worker_init does
if MODE == "profile":
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    drive(app, environs, N)
    prof.disable()
    prof.dump_stats(os.environ.get("PSTATS", "/tmp/api_read.pstats"))
    s = io.StringIO()
    st = pstats.Stats(prof, stream=s).sort_stats("cumulative")
    st.print_stats(int(os.environ.get("LINES", "90")))
    st.sort_stats("tottime").print_stats(50)
    print(s.getvalue(), file=sys.stderr)
elif MODE == "callgrind":
    import subprocess
    name = os.environ.get("ONLY", "carebridge")
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True, capture_output=True)
    drive(apps[name], environs, N)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True, capture_output=True)
    print("callgrind window", name, N, "requests", file=sys.stderr)
elif MODE == "gc":
    pauses = {0: [], 1: [], 2: []}
    started = {}
    def cb(phase, info_):
        if phase == "start":
            started["t"] = time.perf_counter(); started["c"] = time.process_time()
        else:
            pauses[info_["generation"]].append((time.process_time() - started["c"]) * 1000)
    gc.callbacks.append(cb)
    t = time.process_time()
    drive(app, environs, N)
    cpu = time.process_time() - t
    gc.callbacks.remove(cb)
    for g_, p in pauses.items():
        if p:
            p.sort()
            print(f"gen{g_}: {len(p)} collections in {N} requests, CPU ms median {p[len(p)//2]:.3f} max {p[-1]:.3f} total {sum(p):.1f} ms ({100*sum(p)/1000/cpu:.1f}% of CPU)", file=sys.stderr)
    print("gc counts", gc.get_count(), "thresholds", gc.get_threshold(), "frozen", gc.get_freeze_count(), "tracked", len(gc.get_objects()), file=sys.stderr)
else:
    results = {k: [] for k in apps}
    for rnd in range(int(os.environ.get("ROUNDS", "3"))):
        for name, a in apps.items():
            t = time.process_time()
            drive(a, environs, N)
            results[name].append(1000 * (time.process_time() - t) / N)
    for name, r in results.items():
        print(name, "ms CPU/request", [round(x, 3) for x in r], "min", round(min(r), 3), "median", round(sorted(r)[len(r)//2], 3), file=sys.stderr)
