"""The province-scale region on PostgreSQL behind two servers: wrk on the public dashboard of each while a
coordinator's writes go to both in turn. Counted afterwards: every write answered 2xx and is in the database exactly
once, wrk met no error, and each server's dashboard shows the last figure written through the other."""
import json
import os
import re
import sqlite3
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request

import bench_reports

DURATION = 20  # seconds of load
CONNECTIONS = 16  # wrk's connections on each server
PUBLISHED = 30  # yearly measures on the dashboard, 25 figures each


def wrk(url, results, key):
    out = subprocess.check_output(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url], text=True)

    def latency(label):
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    results[key] = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                    "requests": int(re.search(r"(\d+) requests in", out).group(1)),
                    "p50": latency("50%"), "p99": latency("99%"),
                    "non2xx": int(non2xx.group(1)) if non2xx else 0,
                    "socket": sum(map(int, sockets.groups())) if sockets else 0}


def measure(binary, work, postgres, server_class, ports=(8911, 8912)):
    path, plan, sqlite_env, counts = bench_reports.build(binary, work)
    # The region's 24 measures of counts by area (600,600 figures) are left off the dashboard, which shows thirty
    # yearly measures as the indicators section's does: protecting that many small counts for the public is a long
    # solve, which every server works out for itself the first time it is asked.
    db = sqlite3.connect(path)
    db.execute("UPDATE measures SET published = 0")
    db.commit()
    db.close()
    backup = os.path.join(work, "region.backup")
    subprocess.run([binary, "backup", backup], env=sqlite_env, cwd=work, check=True, capture_output=True)
    schema = "bench_scale"
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=True, capture_output=True)
    env = {**os.environ, "DATABASE_URL": postgres, "WELLPLAN_DATABASE_SCHEMA": schema, "WELLPLAN_JOBS": "off"}
    subprocess.run([binary, "migrate"], env=env, cwd=work, check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run([binary, "restore", backup], env=env, cwd=work, check=True, capture_output=True)
    restore = time.perf_counter() - start
    subprocess.run([binary, "user", "create", "--email", "coordinator@example.org", "--name", "Casey", "--role", "coordinator"],
                   env=env, cwd=work, input="bench-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@example.org"], env=env, cwd=work, text=True,
                                    stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    servers = [server_class([binary, "serve", "--port", str(port)], work, port,
                            {**env, "WELLPLAN_JOBS": "on", "WELLPLAN_UPLOADS": os.path.join(work, f"uploads-{port}")})
               for port in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        def call(base, method, route, body=None):
            req = urllib.request.Request(base + "/api/v1" + route, data=json.dumps(body).encode() if body is not None else None,
                                         method=method, headers={"Authorization": f"Bearer {token}",
                                                                 "Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.loads(r.read() or b"null")

        measures = []
        for i in range(PUBLISHED):
            _, m = call(bases[i % 2], "POST", "/measures", {
                "planId": plan, "code": f"yearly_{i}", "nameEn": f"Indicator {i}", "measureType": "population_indicator",
                "resultEn": "Residents thrive", "polarity": "higher_is_better", "unit": "percent", "frequency": "year",
                "published": True})
            measures.append(m["id"])
            call(bases[i % 2], "POST", f"/measures/{m['id']}/observations",
                 [{"period": str(y), "value": 50 + (i * 7 + y * 3) % 40 + 0.5} for y in range(2001, 2026)])
        call(bases[0], "POST", f"/plans/{plan}/versions", {"note": "Published for the dashboard"})
        _, project = call(bases[0], "GET", f"/projects?planId={plan}&per=1")
        project = project["items"][0]["id"]
        before = count(postgres, schema, "activities")

        # Readers on both servers' dashboards, a coordinator writing to both in turn.
        results = {}
        readers = [threading.Thread(target=wrk, args=(f"{base}/public/plans/{plan}/dashboard", results, i))
                   for i, base in enumerate(bases)]
        for r in readers:
            r.start()
        writes = {"ok": 0, "failed": [], "figures": 0}
        last_figure = None
        deadline = time.monotonic() + DURATION
        n = 0
        latencies = []
        while time.monotonic() < deadline:
            base = bases[n % 2]
            began = time.perf_counter()
            try:
                if n % 10 == 4:
                    # A new figure for the dashboard's first measure, through one server or the other.
                    # One decimal, never .5 (the generated figures' ending), so the page shows it as written.
                    last_figure = round(10.3 + writes["figures"] % 80, 1)
                    status, _ = call(base, "POST", f"/measures/{measures[0]}/observations",
                                     [{"period": "2025", "value": last_figure}])
                    writes["figures"] += 1
                else:
                    status, _ = call(base, "POST", "/activities", {
                        "projectId": project, "occurredOn": "2026-11-30", "summaryEn": f"Scale test write {n}",
                        "peopleReached": n % 50})
                    writes["ok"] += 1
                if status >= 300:
                    writes["failed"].append(status)
            except urllib.error.HTTPError as e:
                writes["failed"].append(f"{e.code} {e.read()[:200]!r}")
            latencies.append(time.perf_counter() - began)
            n += 1
        writes["latencies"] = sorted(latencies)
        for r in readers:
            r.join()
        after = count(postgres, schema, "activities")
        # Each server's dashboard, read again, shows the last figure written (through either of them).
        shown = [f">{last_figure:.1f}" in fetch(f"{base}/public/plans/{plan}/dashboard") for base in bases]
    finally:
        for s in servers:
            s.stop()
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=True, capture_output=True)
    return {"counts": counts, "restore": restore, "readers": [results[0], results[1]], "writes": writes,
            "activities": (before, after), "shown": shown, "last_figure": last_figure}


def count(postgres, schema, table):
    return int(subprocess.check_output(["psql", postgres, "-Atc", f"SELECT count(*) FROM {schema}.{table}"], text=True).strip())


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read().decode()


def lines(r):
    c = r["counts"]
    a, b = r["readers"]
    w = r["writes"]
    before, after = r["activities"]
    exact = after - before == w["ok"]
    return [
        "## Two servers on one PostgreSQL under load",
        "",
        f"The region of the reports section ({c['incidents']:,} incidents, {c['situation_discussions']:,} discussions, "
        f"{c['observations']:,} observations) restored into PostgreSQL ({r['restore']:.0f} s), with {PUBLISHED} published yearly "
        "measures on its public dashboard. Two release servers on it, each with an uploads folder of its own and its own job "
        f"worker. For {DURATION} s, wrk reads each server's dashboard over {CONNECTIONS} connections while one coordinator writes "
        "through the API to the two servers in turn, one write after another: activities, and every tenth write a new "
        "figure for the dashboard's first measure. Server, database, wrk and writer share this 2-core machine.",
        "",
        "| server | dashboard requests | requests/s | p50 ms | p99 ms | non-2xx | socket errors |",
        "|---|---|---|---|---|---|---|",
        f"| first | {a['requests']:,} | {a['rps']:.0f} | {a['p50']:.2f} | {a['p99']:.2f} | {a['non2xx']} | {a['socket']} |",
        f"| second | {b['requests']:,} | {b['rps']:.0f} | {b['p50']:.2f} | {b['p99']:.2f} | {b['non2xx']} | {b['socket']} |",
        "",
        f"Writes: {w['ok'] + w['figures']:,} ({w['ok']:,} activities, {w['figures']} figures), "
        f"{len(w['failed'])} failed{' (' + ', '.join(map(str, w['failed'][:10])) + ')' if w['failed'] else ''}. "
        f"Activities in the database: {before:,} before, {after:,} after: "
        f"{'exactly the writes answered' if exact else 'NOT the writes answered'}. "
        f"The last figure written ({r['last_figure']}) shown on the first server's dashboard: {'yes' if r['shown'][0] else 'NO'}; "
        f"on the second's: {'yes' if r['shown'][1] else 'NO'}. A write took {statistics.median(w['latencies']) * 1000:.0f} ms at "
        f"the median, {w['latencies'][-1] * 1000:.0f} ms at most. Every write moves the data stamp, so after each one every "
        "server renders its dashboard again before it keeps it once more.",
        "",
    ]
