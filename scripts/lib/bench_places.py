"""Places: importing and assigning Toronto's 35,478 incidents (release build, through the API, one job) beside
`sqlite3 .import` of the same file (the floor: no parsing, no geometry) and `sqlite-utils insert` plus shapely's
STRtree (what an analyst would use); then 1,000,000 synthetic incidents (rows/s, peak RSS); then evaluating 100
implemented recommendations over them."""
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import time
import sqlite3
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.realpath(__file__))
DATA = os.path.realpath(os.path.join(HERE, "../../../shared/data"))
MCI = os.path.join(DATA, "crime/toronto_mci_2018.csv")
BOUNDARIES = os.path.join(DATA, "boundaries/toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")
SYNTHETIC = 1_000_000
SITES = 100
QUERY = "occurredAt=occurrencedate&category=mci_category&eventId=event_uniq_id&longitude=long&latitude=lat"


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def write_synthetic(path, boxes):
    """Rows like the police file's, spread over Toronto's neighbourhoods, across 2017–2019."""
    rng = random.Random(2026)
    categories = ["assault", "break_and_enter", "auto_theft", "robbery", "theft_over"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_uniq_id", "mci_category", "occurrencedate", "lat", "long"])
        for n in range(SYNTHETIC):
            lon0, lat0, lon1, lat1 = boxes[n % len(boxes)]
            day = 1 + n % 28
            w.writerow([f"S{n // 2}", categories[n % 5], f"{2017 + n % 3}-{1 + (n // 7) % 12:02d}-{day:02d}T{n % 24:02d}:00:00.000Z",
                        f"{rng.uniform(lat0, lat1):.6f}", f"{rng.uniform(lon0, lon1):.6f}"])


def measure(binary, work, port, server_class):
    path = os.path.join(work, "places.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path}
    subprocess.check_call([binary, "migrate"], env={**env, "WELLPLAN_JOBS": "off"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([binary, "user", "create", "--email", "coordinator@example.org", "--name", "Casey", "--role", "coordinator"],
                   env={**env, "WELLPLAN_JOBS": "off"}, input="bench-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@example.org"], env={**env, "WELLPLAN_JOBS": "off"},
                                    text=True, stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    server = server_class([binary, "serve", "--port", str(port)], work, port, env)
    base = f"http://127.0.0.1:{port}/api/v1"

    def call(method, route, body=None, content_type="application/json"):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(base + route, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=3600) as r:
            return json.loads(r.read() or b"null")

    def wait_for(job):
        """The import runs as a job in the server: asked after every 10 ms until it has finished."""
        while True:
            state = call("GET", f"/jobs/{job}")["state"]
            if state in ("succeeded", "failed"):
                return state
            time.sleep(0.01)

    layer = call("POST", "/layers", {"nameEn": "Neighbourhoods", "layerKind": "neighbourhoods"})["id"]
    call("POST", f"/layers/{layer}/areas?idProperty=Hood_ID&nameProperty=Neighbourh", open(BOUNDARIES, "rb").read())
    start = time.perf_counter()
    job = call("POST", f"/incidents/import?{QUERY}&reportedArea=neighbourhood", open(MCI, "rb").read(), "text/csv")["job"]
    state = wait_for(job)
    toronto = time.perf_counter() - start
    assert state == "succeeded", state

    # The analyst's way: the same file into SQLite, then shapely assigns each point.
    floor_db = os.path.join(work, "floor.sqlite")
    start = time.perf_counter()
    subprocess.run(["sqlite3", floor_db], input=f".mode csv\n.import {MCI} mci\n", text=True, check=True)
    floor = time.perf_counter() - start
    utils = shutil.which("sqlite-utils", path=os.path.join(HERE, "../../.venv/bin"))
    script = (
        "import json,sqlite3,sys,subprocess\n"
        "from shapely.geometry import shape, Point\nfrom shapely.strtree import STRtree\n"
        f"subprocess.check_call([{utils!r}, 'insert', sys.argv[1], 'mci', {MCI!r}, '--csv'], stdout=subprocess.DEVNULL)\n"
        f"features = json.load(open({BOUNDARIES!r}))['features']\n"
        "shapes = [shape(f['geometry']) for f in features]\ntree = STRtree(shapes)\n"
        "db = sqlite3.connect(sys.argv[1])\nrows = db.execute('SELECT rowid, long, lat FROM mci').fetchall()\n"
        "db.execute('ALTER TABLE mci ADD COLUMN hood TEXT')\nout = []\n"
        "for rowid, lon, lat in rows:\n"
        "    p = Point(float(lon), float(lat))\n"
        "    for i in tree.query(p, predicate='within'):\n"
        "        out.append((features[i]['properties']['Hood_ID'], rowid)); break\n"
        "db.executemany('UPDATE mci SET hood = ? WHERE rowid = ?', out)\ndb.commit()\nprint(len(out))\n")
    python = os.path.join(HERE, "../../.venv/bin/python")
    start = time.perf_counter()
    shapely_assigned = int(subprocess.check_output([python, "-c", script, os.path.join(work, "analyst.sqlite")], text=True).strip())
    analyst = time.perf_counter() - start

    # A million synthetic rows, then 100 sites evaluated over them.
    db = sqlite3.connect(path)
    boxes = []
    for (geometry,) in db.execute("SELECT geometry FROM areas"):
        ring = json.loads(geometry)["coordinates"][0] if json.loads(geometry)["type"] == "Polygon" else json.loads(geometry)["coordinates"][0][0]
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    db.close()
    synthetic = os.path.join(work, "synthetic.csv")
    write_synthetic(synthetic, boxes)
    size = os.path.getsize(synthetic)
    start = time.perf_counter()
    with open(synthetic, "rb") as body:
        req = urllib.request.Request(base + f"/incidents/import?{QUERY}", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv",
                                              "Content-Length": str(size)})
        job = json.loads(urllib.request.urlopen(req, timeout=3600).read())["job"]
    state = wait_for(job)
    million = time.perf_counter() - start
    assert state == "succeeded", state
    peak = peak_rss_mib(server.proc.pid)

    project_plan = call("POST", "/plans", {"titleEn": "Bench", "municipality": "Toronto", "termStart": "2017-01-01", "termEnd": "2020-12-31",
                                           "status": "draft"})["id"]
    table = call("POST", "/tables", {"nameEn": "Bench table", "kind": "working_group", "planId": project_plan})["id"]
    project = call("POST", "/projects", {"planId": project_plan, "leadTableId": table, "titleEn": "CPTED", "status": "active"})["id"]
    rng = random.Random(7)
    recommendations = []
    for i in range(SITES):
        lon0, lat0, lon1, lat1 = boxes[(i * 7) % len(boxes)]
        audit = call("POST", "/cpted-audits", {"projectId": project, "siteName": f"Site {i}", "latitude": rng.uniform(lat0, lat1),
                                               "longitude": rng.uniform(lon0, lon1), "auditedOn": "2018-01-15", "method": "professional_cpted"})["id"]
        recommendations.append(call("POST", "/cpted-recommendations", {"auditId": audit, "category": "lighting", "descriptionEn": "Light",
                                                                       "status": "implemented", "implementedOn": "2018-07-01"})["id"])
    codes = [c["code"] for c in call("GET", f"/layers/{layer}/areas")]
    times = []
    start = time.perf_counter()
    for i, rec in enumerate(recommendations):
        t = time.perf_counter()
        control = codes[(i * 37 + 70) % len(codes)]
        try:
            call("GET", f"/cpted-recommendations/{rec}/evaluation?controlLayerId={layer}&controlAreaCode={control}&siteRadius=300&bufferWidth=300")
        except urllib.error.HTTPError as e:  # a control too close to its site: chosen again
            if e.code != 422:
                raise
            call("GET", f"/cpted-recommendations/{rec}/evaluation?controlLayerId={layer}&controlAreaCode={codes[(i * 37 + 10) % len(codes)]}"
                        "&siteRadius=300&bufferWidth=300")
        times.append(time.perf_counter() - t)
    sites = time.perf_counter() - start
    server.stop()
    version = subprocess.check_output([utils, "--version"], text=True).strip()
    return {"toronto": toronto, "floor": floor, "analyst": analyst, "shapely_assigned": shapely_assigned, "utils": version,
            "million": million, "peak": peak, "mib": size / 2**20, "sites": sites, "site_median": statistics.median(times)}


def lines(places):
    """The section of BENCHMARKS.md."""
    return [
        "## Places: incidents imported, assigned and evaluated",
        "",
        "Toronto's 2018 Major Crime Indicators (35,478 rows) into a layer of its 140 neighbourhoods. Wall time at the client, "
        "one run each; Wellplan's import is a job, timed until it has succeeded.",
        "",
        "| what | time | note |",
        "|---|---|---|",
        f"| Wellplan, `POST /api/v1/incidents/import` (SQLite) | {places['toronto']:.1f} s | streamed to a file, checked whole, staged and moved "
        "in one transaction, each row keyed for re-import and assigned to its neighbourhood |",
        f"| `sqlite3 .import` of the same file | {places['floor']:.2f} s | the floor: text into a table, no parsing of dates or numbers, no geometry |",
        f"| `{places['utils']} insert … --csv`, then shapely 2 STRtree assigning each point | {places['analyst']:.1f} s | what an analyst "
        f"would script; {places['shapely_assigned']:,} points assigned |",
        "",
        f"Wellplan ÷ sqlite-utils + shapely: {places['toronto'] / places['analyst']:.1f}×; Wellplan ÷ `.import`: "
        f"{places['toronto'] / places['floor']:.0f}×.",
        "",
        f"1,000,000 synthetic incidents ({places['mib']:.0f} MiB of CSV, spread over the 140 neighbourhoods, 2017–2019): "
        f"{places['million']:.0f} s, {1_000_000 / places['million']:,.0f} rows/s; the server's peak RSS over the whole run "
        f"(both imports and everything before): {places['peak']:.0f} MiB.",
        "",
        f"Evaluating {SITES} implemented recommendations over those 1,035,478 incidents (response 300 m, buffer 300 m, a "
        f"control neighbourhood each, twelve months either side): {places['sites']:.1f} s in all, median "
        f"{places['site_median'] * 1000:.0f} ms each.",
        "",
    ]
