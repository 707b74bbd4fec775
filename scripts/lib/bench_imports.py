"""Incident imports on both databases: `wellplan import incidents` (release build, the same check and job as the
API) of Toronto's 35,478 incidents and of a million synthetic ones into the 140 neighbourhoods, on SQLite and on
PostgreSQL, beside each database's own bulk load of the same file (`sqlite3 .import`, `psql \\copy`): text into a
table, no checks, no keys, no geometry."""
import json
import os
import subprocess
import tempfile
import time
import urllib.request

import bench_backup
import bench_places

TORONTO = bench_places.MCI


def boxes():
    """Each neighbourhood's bounding box, for the synthetic rows."""
    found = []
    for feature in json.load(open(bench_places.BOUNDARIES))["features"]:
        geometry = feature["geometry"]
        ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        found.append((min(xs), min(ys), max(xs), max(ys)))
    return found


def fresh(binary, work, database, port):
    """A migrated database with a coordinator and the neighbourhoods (made through the API), in a folder of its own
    (the audit log's anchor is kept beside it); its environment and folder."""
    work = tempfile.mkdtemp(dir=work)
    if database == "sqlite":
        path = os.path.join(work, f"imports-{time.monotonic_ns()}.sqlite")
        env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path}
    else:
        subprocess.check_call(["psql", database, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                              stderr=subprocess.DEVNULL)
        env = {**os.environ, "DATABASE_URL": database}
    quiet = dict(cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.check_call([binary, "migrate"], env=env, **quiet)
    subprocess.run([binary, "user", "create", "--email", "c@example.org", "--name", "C", "--role", "coordinator"],
                   env=env, cwd=work, input="bench-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "c@example.org"], env=env, cwd=work,
                                    text=True, stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    server = subprocess.Popen([binary, "serve", "--port", str(port)], env={**env, "WELLPLAN_JOBS": "off"}, **quiet)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)

    def call(route, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(base + "/api/v1" + route, data=data, method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(request).read())

    try:
        layer = call("/layers", {"nameEn": "Neighbourhoods", "layerKind": "neighbourhoods"})["id"]
        call(f"/layers/{layer}/areas?idProperty=Hood_ID&nameProperty=Neighbourh", open(bench_places.BOUNDARIES, "rb").read())
    finally:
        server.terminate()
        server.wait()
    return env, work


def count(database, env):
    query = "SELECT COUNT(*) FROM incidents"
    if database == "sqlite":
        return int(subprocess.check_output(["sqlite3", env["WELLPLAN_DATABASE_PATH"], query], text=True))
    return int(subprocess.check_output(["psql", database, "-tAc", query], text=True))


def floor(database, work, path):
    """The database's own load of the file into a table of text columns."""
    if database == "sqlite":
        target = os.path.join(work, f"floor-{time.monotonic_ns()}.sqlite")
        start = time.perf_counter()
        subprocess.run(["sqlite3", target], input=f".mode csv\n.import {path} floor\n", text=True, check=True, cwd=work)
        return time.perf_counter() - start
    header = open(path).readline().strip().split(",")
    columns = ", ".join(f'"{c}" text' for c in header)
    subprocess.check_call(["psql", database, "-q", "-c", f"DROP TABLE IF EXISTS floor; CREATE TABLE floor ({columns})"],
                          stderr=subprocess.DEVNULL)
    seconds, _ = bench_backup.run(["psql", database, "-q", "-c", f"\\copy floor FROM '{path}' WITH (FORMAT csv, HEADER)"],
                                  os.environ, work)
    return seconds


def measure(binary, work, postgres, port=8911):
    synthetic = os.path.join(work, "synthetic-incidents.csv")
    bench_places.write_synthetic(synthetic, boxes())
    # The API's query, as the command's options.
    options = [word for pair in bench_places.QUERY.split("&") for word in ("--" + pair.split("=")[0], pair.split("=")[1])]
    results = {}
    for name, path, rows in (("Toronto's 35,478 incidents", TORONTO, 35_478), ("1,000,000 synthetic incidents", synthetic, 1_000_000)):
        for label, database in (("SQLite", "sqlite"), ("PostgreSQL", postgres)):
            env, folder = fresh(binary, work, database, port)
            seconds, peak = bench_backup.run([binary, "import", "incidents", path] + options, env, folder)
            imported = count(database, env)
            assert imported == rows, f"{label}: {imported} incidents of {rows}"
            results[(name, label)] = {"seconds": seconds, "peak": peak, "floor": floor(database, work, path)}
    return results


def lines(results):
    out = [
        "## Incident imports on both databases",
        "",
        "`wellplan import incidents` (release build: the same check and job as `POST /api/v1/incidents/import`), each into a "
        "fresh database holding Toronto's 140 neighbourhoods, wall time and the process's peak memory, one run each; beside "
        "the database's own load of the same file into a table of text (`sqlite3 .import`, `psql \\copy`: no checks, no keys, "
        "no geometry). Every run's incidents are counted afterwards: all of the file's rows are there.",
        "",
        "| file | database | Wellplan | peak memory | the database's own load | Wellplan ÷ own load |",
        "|---|---|---|---|---|---|",
    ]
    for (name, label), r in results.items():
        out.append(f"| {name} | {label} | {r['seconds']:.2f} s | {r['peak']:.0f} MiB | {r['floor']:.2f} s | "
                   f"{r['seconds'] / r['floor']:.0f}× |")
    out.append("")
    for name in dict.fromkeys(n for n, _ in results):
        ratio = results[(name, "PostgreSQL")]["seconds"] / results[(name, "SQLite")]["seconds"]
        out.append(f"{name}: PostgreSQL ÷ SQLite {ratio:.2f}×.")
    out += [
        "",
        "On PostgreSQL an import's staged rows are copied in (`COPY FROM`, text format, through PostgresNIO) since 96edcfe; "
        "before, SQLKit inserted them a thousand a statement. By hand on this machine, release builds of cc2415b and 96edcfe, "
        "one run each: Toronto 2.46 s → 1.72 s, a million 55.6 s → 39.8 s.",
        "",
    ]
    return out
