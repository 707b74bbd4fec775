"""Indicators: importing 1,000,000 observations (release build, through the API, one job) beside `sqlite3 .import`
of the same CSV; a measure's series as JSON under wrk beside Datasette serving the same SQLite rows; and the public
dashboard page with 30 measures."""
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import time
import urllib.request

OVERALL = 30  # published measures on the dashboard, 25 yearly figures each
BY_AREA = 40  # measures by area: 40 × 1,000 areas × 25 years = 1,000,000 figures
AREAS = 1000
YEARS = range(2001, 2026)


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(binary, work, port, server_class, wrk):
    path = os.path.join(work, "indicators.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path}
    quiet = {**env, "WELLPLAN_JOBS": "off"}
    subprocess.check_call([binary, "migrate"], env=quiet, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([binary, "user", "create", "--email", "coordinator@example.org", "--name", "Casey", "--role", "coordinator"],
                   env=quiet, input="bench-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@example.org"], env=quiet, text=True,
                                    stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    server = server_class([binary, "serve", "--port", str(port)], work, port, env)
    base = f"http://127.0.0.1:{port}"

    def call(method, route, body=None, content_type="application/json"):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(base + "/api/v1" + route, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=3600) as r:
            return json.loads(r.read() or b"null")

    def import_file(plan, csv):
        with open(csv, "rb") as body:
            req = urllib.request.Request(base + f"/api/v1/plans/{plan}/observations/import?area=area", data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv",
                                                  "Content-Length": str(os.path.getsize(csv))})
            job = json.loads(urllib.request.urlopen(req, timeout=3600).read())["job"]
        while True:  # asked after every 10 ms until it has finished
            state = call("GET", f"/jobs/{job}")["state"]
            if state in ("succeeded", "failed"):
                assert state == "succeeded", state
                return
            time.sleep(0.01)

    plan = call("POST", "/plans", {"titleEn": "Bench region", "municipality": "Bench", "termStart": "2022-01-01", "termEnd": "2026-12-31",
                                   "status": "draft"})["id"]
    overall = []
    for i in range(OVERALL):
        overall.append(call("POST", "/measures", {"planId": plan, "code": f"overall_{i}", "nameEn": f"Indicator {i}", "measureType":
                                                  "population_indicator", "resultEn": "Residents thrive", "polarity": "higher_is_better",
                                                  "unit": "percent", "frequency": "year", "published": True})["id"])
    for i in range(BY_AREA):
        call("POST", "/measures", {"planId": plan, "code": f"area_{i}", "nameEn": f"By area {i}", "measureType": "population_indicator",
                                   "resultEn": "Residents thrive", "polarity": "lower_is_better", "unit": "rate_per_100000", "frequency": "year"})
    small = os.path.join(work, "overall.csv")
    with open(small, "w") as f:
        f.write("measure,period,area,value\n")
        for i in range(OVERALL):
            for y in YEARS:
                f.write(f"overall_{i},{y},,{50 + (i * 7 + y * 3) % 40 + 0.5}\n")
    import_file(plan, small)
    big = os.path.join(work, "observations.csv")
    with open(big, "w") as f:
        f.write("measure,period,area,value\n")
        for i in range(BY_AREA):
            for a in range(AREAS):
                for y in YEARS:
                    f.write(f"area_{i},{y},A{a:04d},{(i * 31 + a * 17 + y) % 900 + 0.25}\n")
    size = os.path.getsize(big)
    start = time.perf_counter()
    import_file(plan, big)
    million = time.perf_counter() - start
    peak = peak_rss_mib(server.proc.pid)

    floor_db = os.path.join(work, "observations-floor.sqlite")
    start = time.perf_counter()
    subprocess.run(["sqlite3", floor_db], input=f".mode csv\n.import {big} observations\n", text=True, check=True)
    floor = time.perf_counter() - start

    police = police_measure(call, plan, base, wrk)
    call("POST", f"/plans/{plan}/versions", {"note": "Published for the dashboard"})  # the dashboard is public once a version is
    series = wrk(f"{base}/api/v1/measures/{overall[0]}/observations", [f"Authorization: Bearer {token}"])
    dashboard = wrk(f"{base}/public/plans/{plan}/dashboard")
    server.stop()
    # The same page rendered on every request, as it is after every write.
    server = server_class([binary, "serve", "--port", str(port)], work, port, {**env, "WELLPLAN_PAGE_CACHE": "off"})
    dashboard_rendered = wrk(f"{base}/public/plans/{plan}/dashboard")
    series_rendered = wrk(f"{base}/api/v1/measures/{overall[0]}/observations", [f"Authorization: Bearer {token}"])
    server.stop()

    datasette = shutil.which("datasette", path=os.path.dirname(os.path.realpath(__file__)) + "/../../.venv/bin")
    ds = server_class([datasette, "serve", path, "-p", str(port + 100)], work, port + 100, health="/-/versions.json")
    ds_series = wrk(f"http://127.0.0.1:{port + 100}/indicators/observations.json?measure_id={overall[0].upper()}&_sort=period_start"
                    "&_shape=array&_size=max")
    ds_police = wrk(f"http://127.0.0.1:{port + 100}/indicators/observations.json?measure_id={police['id'].upper()}&_sort=period_start"
                    "&_shape=array&_size=max")
    ds.stop()
    return {"million": million, "mib": size / 2**20, "peak": peak, "floor": floor, "series": series, "dashboard": dashboard,
            "dashboard_rendered": dashboard_rendered, "series_rendered": series_rendered,
            "datasette": ds_series, "police": police, "datasette_police": ds_police}


SHOOTINGS = os.path.join(os.path.dirname(__file__), "../../../shared/data/crime/tps_shootings_firearm_discharges_2004_2024.csv")


def shootings():
    """Toronto's shootings and firearm discharges, 2004–2024, as a coordinator would publish them: by neighbourhood
    and quarter, by neighbourhood and time of day, and every total of those."""
    figures = {}
    with open(SHOOTINGS, newline="") as source:
        for row in csv.DictReader(source):
            hood, day = row["HOOD_140"], row["OCC_DATE"]
            if hood == "NSA":
                continue
            year, quarter = day[:4], f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"
            for area in (hood, None):
                for key in ((quarter, area, None), (year, area, None), (year, area, "time=" + row["OCC_TIME_RANGE"])):
                    figures[key] = figures.get(key, 0) + 1
    return figures


def police_measure(call, plan, base, wrk):
    """A count of people by area, quarter and time of day from a real file: the first answer solves the intruder's
    linear programs for every year; later answers are the same figures until they change."""
    figures = shootings()
    measure = call("POST", "/measures", {"planId": plan, "code": "shootings", "nameEn": "Shootings and firearm discharges",
                                         "measureType": "population_indicator", "resultEn": "Residents are safe",
                                         "polarity": "lower_is_better", "unit": "count", "frequency": "quarter", "countsPeople": True,
                                         "published": True})["id"]
    call("POST", f"/measures/{measure}/observations",
         [{"period": p, "areaCode": a, "breakdown": b, "value": v} for (p, a, b), v in figures.items()])
    route = f"{base}/api/v1/public/measures/{measure}"
    start = time.perf_counter()
    with urllib.request.urlopen(route, timeout=3600) as r:
        shown = json.loads(r.read())["figures"]
    cold = time.perf_counter() - start
    small = sum(1 for v in figures.values() if 0 < v < 10)
    return {"id": measure, "figures": len(figures), "small": small, "withheld": sum(1 for f in shown if f["withheld"]),
            "years": len({p[:4] for p, _, _ in figures}), "cold": cold, "warm": wrk(route)}


def lines(indicators):
    def ms(x):
        return f"{x:.2f}"

    return [
        "## Indicators: observations imported and served",
        "",
        f"{BY_AREA} measures × {AREAS:,} areas × 25 years = 1,000,000 observations in long format "
        f"({indicators['mib']:.0f} MiB of CSV), into a plan that already has {OVERALL} published yearly measures. "
        "Wall time at the client, one run each; Wellplan's import is a job, timed until it has succeeded.",
        "",
        "| what | time | note |",
        "|---|---|---|",
        f"| Wellplan, `POST /api/v1/plans/{{id}}/observations/import` (SQLite) | {indicators['million']:.1f} s | streamed to a file, every row "
        f"checked (measure, period, figure, repeats) before a job writes them in one transaction, keyed for re-import; "
        f"{1_000_000 / indicators['million']:,.0f} figures/s; server peak RSS {indicators['peak']:.0f} MiB |",
        f"| `sqlite3 .import` of the same file | {indicators['floor']:.1f} s | the floor: text into a table, no checks, no keys |",
        "",
        f"Wellplan ÷ `.import`: {indicators['million'] / indicators['floor']:.1f}×. Figures take ids that rise in the "
        "order they are made, so the staged figures move without a sort and append to the table's key (c03a9d2; "
        "the run before it: 18.5 s, 14.8×; the command-line import alone, same machine, 16.1 s to 10.4 s).",
        "",
        f"| server | request | requests/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|",
        f"| Wellplan, SQLite | a measure's 25 yearly figures, `GET /api/v1/measures/{{id}}/observations` | {indicators['series']['rps']:.0f} | "
        f"{ms(indicators['series']['p50'])} | {ms(indicators['series']['p99'])} | {indicators['series']['errors']} |",
        f"| Wellplan, SQLite | the same series worked out every time (`WELLPLAN_PAGE_CACHE=off`) | "
        f"{indicators['series_rendered']['rps']:.0f} | {ms(indicators['series_rendered']['p50'])} | "
        f"{ms(indicators['series_rendered']['p99'])} | {indicators['series_rendered']['errors']} |",
        f"| Datasette, same SQLite file | `/indicators/observations.json?measure_id=…&_sort=period_start&_shape=array` | "
        f"{indicators['datasette']['rps']:.0f} | {ms(indicators['datasette']['p50'])} | {ms(indicators['datasette']['p99'])} | "
        f"{indicators['datasette']['errors']} |",
        f"| Wellplan, SQLite | the public dashboard page, {OVERALL + 1} measures (HTML) | {indicators['dashboard']['rps']:.0f} | "
        f"{ms(indicators['dashboard']['p50'])} | {ms(indicators['dashboard']['p99'])} | {indicators['dashboard']['errors']} |",
        f"| Wellplan, SQLite | the same dashboard rendered every time (`WELLPLAN_PAGE_CACHE=off`) | "
        f"{indicators['dashboard_rendered']['rps']:.0f} | {ms(indicators['dashboard_rendered']['p50'])} | "
        f"{ms(indicators['dashboard_rendered']['p99'])} | {indicators['dashboard_rendered']['errors']} |",
        "",
        "The dashboard is kept while nothing it shows changes (`PageCache`; see the load section): kept ÷ rendered "
        f"{indicators['dashboard']['rps'] / indicators['dashboard_rendered']['rps']:.1f}×. The rendered row is what each request "
        "costs after a write, until the page has been rendered once more.",
        "",
        f"Series, Wellplan ÷ Datasette requests/s: {indicators['series']['rps'] / indicators['datasette']['rps']:.2f}× kept, "
        f"{indicators['series_rendered']['rps'] / indicators['datasette']['rps']:.2f}× worked out every time. Wellplan's answer "
        "also checks the bearer token on every request, and when worked out reads the measure and its targets, passes every "
        "figure through the disclosure policy and computes the scorecard line; Datasette returns the rows.",
        "",
        f"A count of people from a real file: Toronto's shootings and firearm discharges 2004–2024 by neighbourhood and quarter, "
        f"by neighbourhood and time of day, and their totals ({indicators['police']['figures']:,} figures over "
        f"{indicators['police']['years']} years, {indicators['police']['small']:,} of them from 1 to 9). The public answer withholds "
        f"{indicators['police']['withheld']:,}: each small count, and what else an intruder's linear program over everything "
        "that adds up (areas to the city, quarters and times of day to the year) needs withheld to leave it a range of at least 10.",
        "",
        "| server | request | requests/s | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|",
        f"| Wellplan, SQLite | `GET /api/v1/public/measures/{{id}}`, first answer (solves every year) | one request | "
        f"{indicators['police']['cold'] * 1000:.0f} | | |",
        f"| Wellplan, SQLite | the same, later answers (the figures unchanged: the answer kept) | {indicators['police']['warm']['rps']:.0f} | "
        f"{ms(indicators['police']['warm']['p50'])} | {ms(indicators['police']['warm']['p99'])} | {indicators['police']['warm']['errors']} |",
        f"| Datasette, same SQLite file | the measure's rows, unprotected, Datasette's largest page (1,000 rows) | {indicators['datasette_police']['rps']:.0f} | "
        f"{ms(indicators['datasette_police']['p50'])} | {ms(indicators['datasette_police']['p99'])} | "
        f"{indicators['datasette_police']['errors']} |",
        "",
        "The dashboard holds one more published measure than before, the police count above, which it protects with all 8,991 of its figures (areas included) so that it shows nothing the measure's page withholds. Before shown figures were kept under a stamp of the stored figures, that took the dashboard to 19 requests/s; the period parser's regular expressions, built per call, were two thirds of reading a series (2026-12-06, same machine, same data).",
        "",
        "Reading a series column by column, instead of decoding whole rows through Codable (snake-case keys and the update "
        "time's parse were 72% of a dashboard request in a profile), took the dashboard from 33 to 147 requests/s and the "
        "series from 655 to 1,462 (2026-11-22, same machine, same data).",
        "",
    ]
