"""Pages while an import writes: a 200,000-row incident import (release build, through the API, one job) on the
demo region, and meanwhile a coordinator signing in and reading the plan page again and again; beside the same
requests with no import running, and the import with no requests. SQLite and PostgreSQL."""
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

ROWS = 200_000
QUIET_SECONDS = 15


def write_incidents(path):
    rng = random.Random(11)
    with open(path, "w") as out:
        out.write("event,occurred,category,lon,lat\n")
        for i in range(ROWS):
            out.write(f"E{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:15:00,assault,"
                      f"{-79.6 + rng.random() * 0.4:.6f},{43.6 + rng.random() * 0.2:.6f}\n")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def one_round(base, plan):
    """Sign in through the form, then read the plan page: the seconds each took and their statuses."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def timed(request):
        start = time.perf_counter()
        try:
            with opener.open(request, timeout=120) as res:
                body, status = res.read().decode(), res.status
        except urllib.error.HTTPError as e:
            body, status = e.read().decode(), e.code
        return time.perf_counter() - start, status, body

    _, _, form = timed(base + "/signin")
    token = re.search(r'name="_csrf" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"_csrf": token, "email": "coordinator@wellplan.demo", "password": "demo-coordinator-password",
                                   "next": "/"}).encode()
    sign_in = timed(urllib.request.Request(base + "/signin", data=data, method="POST"))
    page = timed(base + f"/plans/{plan}")
    return [(sign_in[0], sign_in[1] == 303), (page[0], page[1] == 200)]


def summary(samples):
    times = sorted(t for t, _ in samples)
    return {"n": len(samples), "median": statistics.median(times) * 1000, "p99": times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
            "max": times[-1] * 1000, "failed": sum(1 for _, ok in samples if not ok)}


def measure_one(binary, work, port, server_class, env, label):
    folder = os.path.join(work, "import-load-" + label)
    os.makedirs(folder, exist_ok=True)
    env = {**env, "WELLPLAN_UPLOADS": os.path.join(folder, "uploads")}
    demo = server_class([binary, "demo", "--port", str(port)], folder, port, env)
    demo.stop()
    quiet_env = {**os.environ, **env, "WELLPLAN_JOBS": "off"}
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@wellplan.demo"], cwd=folder, env=quiet_env,
                                    text=True).strip().splitlines()[-1]
    csv = os.path.join(folder, "incidents.csv")
    write_incidents(csv)
    server = server_class([binary, "serve", "--port", str(port)], folder, port, env)
    base = f"http://127.0.0.1:{port}"

    def call(method, route, body=None, content_type="application/json"):
        req = urllib.request.Request(base + "/api/v1" + route, data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=3600) as r:
            return json.loads(r.read() or b"null")

    plan = call("GET", "/plans")["items"][0]["id"]

    def import_file():
        start = time.perf_counter()
        job = call("POST", "/incidents/import?occurredAt=occurred&category=category&eventId=event&longitude=lon&latitude=lat",
                   open(csv, "rb").read(), "text/csv")["job"]
        return start, job

    def finished(job):
        view = call("GET", f"/jobs/{job}")
        return view if view["state"] in ("succeeded", "failed") else None

    # The pages alone.
    quiet = []
    until = time.monotonic() + QUIET_SECONDS
    while time.monotonic() < until:
        quiet += one_round(base, plan)
    # The pages while the import writes.
    start, job = import_file()
    during = []
    while not finished(job):
        during += one_round(base, plan)
    busy_import = time.perf_counter() - start
    # The import alone: a new file of the same size (new keys), nothing else asked of the server.
    subprocess.run(["sed", "-i", "s/^E/F/", csv], check=True)
    start, job = import_file()
    while not finished(job):
        time.sleep(0.2)
    alone = time.perf_counter() - start
    server.stop()
    return {"quiet": summary(quiet), "during": summary(during), "import_alone": alone, "import_busy": busy_import}


def measure(binary, work, port, server_class, postgres):
    sqlite = measure_one(binary, work, port, server_class, {"DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": "wellplan-demo.sqlite"}, "sqlite")
    pg = measure_one(binary, work, port, server_class, {"DATABASE_URL": postgres, "WELLPLAN_DATABASE_SCHEMA": "bench_import_load"}, "pg")
    return {"SQLite": sqlite, "PostgreSQL": pg}


def lines(results):
    out = [
        f"## Pages while a {ROWS:,}-row incident import writes",
        "",
        f"The demo region, release build. A coordinator signs in through the form and reads the plan page, again and again, one "
        f"request at a time: for {QUIET_SECONDS} s with nothing else running, then for as long as a {ROWS:,}-row incident import's job "
        "runs (each row checked, keyed, assigned to its area in every layer). Then the same import with no one asking the server "
        "anything. Times at the client; a failure is any answer but the 303 of a sign-in or the 200 of the page.",
        "",
        "| database | requests | while | n | median ms | p99 ms | max ms | failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for database, r in results.items():
        for key, label in (("quiet", "no import"), ("during", "the import writes")):
            s = r[key]
            out.append(f"| {database} | sign-in, plan page | {label} | {s['n']} | {s['median']:.0f} | {s['p99']:.0f} | {s['max']:.0f} | {s['failed']} |")
    out += [
        "",
        "| database | import alone | import while pages are read |",
        "|---|---|---|",
    ]
    for database, r in results.items():
        out.append(f"| {database} | {r['import_alone']:.1f} s | {r['import_busy']:.1f} s |")
    out += [
        "",
        "The import stages its rows in temporary tables on a connection of its own and takes the database's write lock only to "
        "move them in at the end (`StagedImport`): before, on SQLite, it held the lock for the whole file, and sign-ins, which write "
        "a session, answered 500 \"database is locked\" after ten seconds. The slowest requests during the import are those that "
        "waited for that move.",
        "",
    ]
    return out
