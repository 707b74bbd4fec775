"""An intruder against the disclosure policy, through the real routes.

The intruder collects everything public about a figure set and, knowing how figures add up (areas to the
whole area, each breakdown to the figure it breaks down, quarters to their year, a quarter's statistics
to its year's) and that no count is negative, solves a linear program (HiGHS, through SciPy: a solver
independent of the product's own) for the least and greatest value of each withheld count. Any count
under the minimum whose range is narrower than the minimum is a failure. The product's own solver is
never asked.
"""
import csv
import json
import os
import random
import sqlite3
import time
import urllib.error
import urllib.request
from collections import defaultdict

import numpy
from scipy.optimize import linprog

from conftest import BASE

MINIMUM = 10  # the demo's public minimum


def call(method, path, body=None, token=True):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + os.environ["WELLPLAN_TOKEN"]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + "/api/v1" + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def intervals(known, unknown, sums, solve_for=None):
    """known: {key: value}; unknown: [key]; sums: [(total, [parts])]. The (least, greatest) of each unknown,
    or of those in `solve_for`."""
    column = {key: i for i, key in enumerate(unknown)}
    rows, constants = [], []
    for total, parts in sums:
        terms = [(total, 1.0)] + [(p, -1.0) for p in parts]
        if not any(k in column for k, _ in terms):
            continue
        row, constant = numpy.zeros(len(unknown)), 0.0
        for key, sign in terms:
            if key in column:
                row[column[key]] += sign
            else:
                constant -= sign * known.get(key, 0.0)
        rows.append(row)
        constants.append(constant)
    result = {}
    for key in unknown if solve_for is None else solve_for:
        cost = numpy.zeros(len(unknown))
        cost[column[key]] = 1
        bounds = []
        for sign in (1, -1):
            solved = linprog(sign * cost, A_eq=numpy.array(rows) if rows else None, b_eq=constants if rows else None,
                             bounds=(0, None), method="highs")
            bounds.append(sign * solved.fun if solved.status == 0 else float("inf"))
        result[key] = tuple(bounds)
    return result


def measure_sums(keys):
    """What adds up to what among (period, area, breakdown) keys, as anyone who reads the figures knows."""
    present = set(keys)
    groups = defaultdict(list)
    for period, area, breakdown in keys:
        if area:
            groups[((period, "", breakdown), "area")].append((period, area, breakdown))
        pairs = dict(p.split("=") for p in breakdown.split(";")) if breakdown else {}
        for dimension in pairs:
            rest = ";".join(f"{k}={v}" for k, v in sorted(pairs.items()) if k != dimension)
            groups[((period, area, rest), dimension)].append((period, area, breakdown))
        if "-Q" in period:
            groups[((period[:4], area, breakdown), "quarter")].append((period, area, breakdown))
    return [(total, parts) for (total, _), parts in groups.items() if total in present]


CREATED = []
REPORTS = []


def teardown_module():
    """The intruder's measures and reports leave the demo, so the tests after these meet the demo's own."""
    database = sqlite3.connect(os.environ["WELLPLAN_DEMO_DB"])
    with database:
        for report in REPORTS:
            for table, column in (("report_files", "report_id"), ("reports", "id")):
                database.execute(f"DELETE FROM {table} WHERE {column} = ? COLLATE NOCASE", (report,))
        for measure in CREATED:
            for table in ("observations", "measure_targets"):
                database.execute(f"DELETE FROM {table} WHERE measure_id = ? COLLATE NOCASE", (measure,))
            database.execute("DELETE FROM measures WHERE id = ? COLLATE NOCASE", (measure,))
    database.close()


def publish_measure(code, figures):
    """A published measure that counts people, with the given figures; the public's view of it."""
    plan = next(p for p in call("GET", "/plans")[1]["items"] if p["municipality"].startswith("Windsor"))["id"]
    status, created = call("POST", "/measures", {
        "planId": plan, "code": code, "nameEn": "Visits " + code, "measureType": "population_indicator", "resultEn": "Fewer harms", "polarity": "lower_is_better",
        "unit": "count", "frequency": "year", "countsPeople": True, "published": True})
    assert status in (200, 201), created
    CREATED.append(created["id"])
    status, body = call("POST", f"/measures/{created['id']}/observations", [
        {"period": p, "areaCode": a or None, "breakdown": b or None, "value": v} for (p, a, b), v in figures.items()])
    assert status in (200, 201, 204), body
    status, shown = call("GET", f"/public/measures/{created['id']}", token=False)
    assert status == 200, shown
    return shown["figures"]


def attack_measure(code, figures):
    shown = publish_measure(code, figures)
    published, withheld = {}, []
    for f in shown:
        key = (f["period"], f.get("areaCode") or "", f.get("breakdown") or "")
        if f["withheld"]:
            withheld.append(key)
        else:
            published[key] = f["value"]
            assert f["value"] == figures[key], (key, f, figures[key])
            assert f["value"] == 0 or f["value"] >= MINIMUM, (key, f)
    small = [k for k in withheld if 0 < figures[k] < MINIMUM]
    found = intervals(published, withheld, measure_sums(list(figures)), solve_for=small)
    narrow = {k: r for k, r in found.items() if 0 < figures[k] < MINIMUM and r[1] - r[0] < MINIMUM - 1e-6}
    return withheld, narrow


def test_a_withheld_area_is_not_the_whole_area_minus_the_others():
    """The health unit's example: a catchment of 39.3 and areas of 21.6, 16 and 1.7 (five-year averages)."""
    figures = {("2023", "", ""): 39.3, ("2023", "north", ""): 21.6, ("2023", "south", ""): 16.0, ("2023", "east", ""): 1.7}
    withheld, narrow = attack_measure("attacker_catchment", figures)
    assert ("2023", "east", "") in withheld
    assert not narrow, narrow


def test_non_whole_counts_under_the_minimum_are_withheld():
    figures = {("2023", "a", ""): 9.7, ("2023", "b", ""): 0.1, ("2023", "c", ""): 40.0, ("2023", "d", ""): 55.0}
    withheld, narrow = attack_measure("attacker_fractions", figures)
    assert {("2023", "a", ""), ("2023", "b", "")} <= set(withheld)
    assert not narrow, narrow


def test_random_hierarchies_and_breakdowns_leave_no_narrow_interval():
    generator = random.Random(20261206)
    for trial in range(12):
        areas = [f"n{i}" for i in range(generator.randint(2, 4))]
        quarters = [f"2024-Q{q}" for q in range(1, generator.randint(2, 5))]
        cells = {}
        for period in quarters:
            for area in areas:
                for age in ("young", "old"):
                    for gender in ("f", "m"):
                        small = generator.random() < 0.3
                        cells[(period, area, f"age={age};gender={gender}")] = generator.randint(1, 9) if small else generator.randint(10, 60)
        figures = dict(cells)
        for (period, area, breakdown), value in cells.items():
            age, gender = breakdown.split(";")
            for p in {period, "2024"} if len(quarters) == 4 else {period}:
                for a in {area, ""}:
                    for b in {breakdown, age, gender, ""}:
                        if (p, a, b) != (period, area, breakdown):
                            figures[(p, a, b)] = figures.get((p, a, b), 0) + value
        withheld, narrow = attack_measure(f"attacker_random_{trial}", figures)
        assert not narrow, (trial, narrow)


def shootings(year):
    """Toronto's shootings and firearm discharges of `year` as a coordinator would publish them: by neighbourhood
    and quarter, by neighbourhood and time of day, and every total of those."""
    path = os.path.join(os.path.dirname(__file__), "../../../shared/data/crime/tps_shootings_firearm_discharges_2004_2024.csv")
    figures = defaultdict(int)
    with open(path, newline="") as source:
        for row in csv.DictReader(source):
            hood, day = row["HOOD_140"], row["OCC_DATE"]
            if not day.startswith(str(year)) or hood == "NSA":
                continue
            quarter = f"{year}-Q{(int(day[5:7]) - 1) // 3 + 1}"
            for area in (hood, ""):
                figures[(quarter, area, "")] += 1
                figures[(str(year), area, "")] += 1
                figures[(str(year), area, "time=" + row["OCC_TIME_RANGE"])] += 1
    return dict(figures)


def test_a_real_police_file_by_neighbourhood_quarter_and_time_of_day():
    """A year of a real file: nearly every neighbourhood's count is small, and the year's figures form one
    linked table of over a thousand, which the product protects ring by ring and HiGHS checks whole."""
    figures = shootings(2023)
    withheld, narrow = attack_measure("attacker_shootings_2023", figures)
    assert sum(1 for v in figures.values() if 0 < v < MINIMUM) > 100
    assert not narrow, narrow


def demo_situation_table():
    status, body = call("GET", "/tables?limit=200")
    return next(t for t in body["items"] if t["kind"] == "situation_table")["id"]


def test_statistics_cannot_be_differenced_over_days_or_read_while_running():
    """Two overlapping periods a day apart would differ by one discussion: beyond the table, days cannot be
    chosen and the running period is not out."""
    table = demo_situation_table()
    status, body = call("GET", f"/tables/{table}/statistics?from=2025-01-01&to=2025-12-03")
    assert status == 422 and "from" in json.dumps(body), (status, body)
    status, _ = call("GET", f"/public/situation-tables/{table}/statistics?from=2025-01-01&to=2025-12-03", token=False)
    assert status in (200, 422)
    status, body = call("GET", f"/public/situation-tables/{table}/statistics?period=2026", token=False)
    assert status == 422, body


def statistics_figures(stats, release):
    """Every figure of a release by key, with the sums inside it; withheld ones as None."""
    figures, sums = {}, []
    figures[(release, "discussions")] = stats["discussions"]
    for section in stats["sections"]:
        t, name = section["table"], section["key"]
        one_column = len(t["columns"]) == 1
        for i, row in enumerate(t["rows"]):
            for j, column in enumerate(t["columns"]):
                figures[(release, name, row, column)] = t["cells"][i][j]
        if not t["hasTotals"]:
            continue
        for i, row in enumerate(t["rows"]):
            cells = [(release, name, row, c) for c in t["columns"]]
            if not one_column:
                figures[(release, name, row, "*")] = t["rowTotals"][i]
                sums.append(((release, name, row, "*"), cells))
        for j, column in enumerate(t["columns"]):
            figures[(release, name, "*", column)] = t["columnTotals"][j]
            sums.append(((release, name, "*", column), [(release, name, r, column) for r in t["rows"]]))
        if not one_column:
            figures[(release, name, "*", "*")] = t["grandTotal"]
            sums.append(((release, name, "*", "*"), [(release, name, "*", c) for c in t["columns"]]))
        grand = (release, name, "*", "*") if not one_column else (release, name, "*", t["columns"][0])
        if name in ("stat_by_month", "stat_by_status", "stat_by_type"):
            sums.append(((release, "discussions"), [grand]))
    return figures, sums


def test_a_years_statistics_are_not_its_quarters_undone():
    """The demo table's public releases of a year and its quarters, attacked together; the true counts by
    age band and gender, by type and by month come from the database itself."""
    table = demo_situation_table()
    database = sqlite3.connect(os.environ["WELLPLAN_DEMO_DB"])
    years = [y for (y,) in database.execute(
        "SELECT DISTINCT substr(presented_on, 1, 4) FROM situation_discussions WHERE table_id = ? COLLATE NOCASE", (table,))]
    attacked = 0
    for year in years:
        releases = [year] + [f"{year}-Q{q}" for q in range(1, 5)]
        figures, sums = {}, []
        for release in releases:
            status, stats = call("GET", f"/public/situation-tables/{table}/statistics?period={release}", token=False)
            if status != 200:
                break
            f, s = statistics_figures(stats, release)
            figures.update(f)
            sums += s
        else:
            for key in [k for k in figures if k[0] == year and len(k) == 4]:
                parts = [(q,) + key[1:] for q in releases[1:] if (q,) + key[1:] in figures]
                sums.append((key, parts))
            sums.append(((year, "discussions"), [(q, "discussions") for q in releases[1:]]))
            truth = true_counts(database, table, releases)
            known = {k: v for k, v in figures.items() if v is not None}
            withheld = [k for k, v in figures.items() if v is None]
            found = intervals(known, withheld, sums)
            for key, (low, high) in found.items():
                value = truth.get(key)
                if value is not None and 0 < value < MINIMUM:
                    assert high - low >= MINIMUM - 1e-6, (key, value, low, high)
                    attacked += 1
    print(f"attacked {attacked} withheld small counts in the demo's statistics releases")


def true_counts(database, table, releases):
    """The counts behind the age-and-gender, type and month tables of each release."""
    truth = {}
    for release in releases:
        if "-Q" in release:
            year, q = release.split("-Q")
            start, end = f"{year}-{3 * int(q) - 2:02d}-01", f"{year}-{3 * int(q):02d}-31"
        else:
            start, end = f"{release}-01-01", f"{release}-12-31"
        where = "table_id = ? COLLATE NOCASE AND presented_on BETWEEN ? AND ?"
        for column, section in (("discussion_type", "stat_by_type"), ("substr(presented_on, 1, 7)", "stat_by_month")):
            for value, n in database.execute(f"SELECT {column}, COUNT(*) FROM situation_discussions WHERE {where} GROUP BY 1",
                                             (table, start, end)):
                truth[(release, section, value, "count")] = n
        for age, gender, n in database.execute(
                f"SELECT age_band, gender, COUNT(*) FROM situation_discussions WHERE {where} GROUP BY 1, 2", (table, start, end)):
            truth[(release, "stat_age_gender", age, gender)] = n
    return truth


def report_tables(report):
    """Every table of a report, as rows of cells: a number, None where withheld, or text."""
    for section in report["sections"]:
        for block in section["blocks"]:
            if "table" not in block:
                continue
            table = block["table"]["_0"]
            rows = [[cell.get("value", None if cell["text"] == "withheld" else cell["text"]) for cell in row] for row in table["rows"]]
            yield table["key"], table["columns"], rows


def test_every_public_report_kind_leaves_no_withheld_count_narrow():
    """Each public report of the demo, every table in it with its totals: an intruder who solves for a withheld
    cell may learn that it is at least the minimum, never pin a count that could be small to a range narrower
    than the minimum."""
    status, spec = call("GET", "/openapi.json", token=False)
    # A CPTED evaluation counts incidents, which police publish themselves, not people: it withholds nothing.
    every_kind = set(spec["components"]["schemas"]["ReportRequest"]["properties"]["kind"]["enum"]) - {"cpted-evaluation"}
    status, listed = call("GET", "/reports?limit=200")
    assert status == 200, listed
    public = [r for r in (listed["items"] if isinstance(listed, dict) else listed) if r["audience"] == "public"]
    # A kind the demo has no public report of is drafted now, for the public, about a subject of its kind.
    subjects = {"working-group-update": demo_situation_table, "situation-table-annual": demo_situation_table,
                "annual-progress": lambda: first("/plans"), "consultation-results": lambda: first("/consultations")}
    for kind in sorted(every_kind - {r["kind"] for r in public}):
        status, body = call("POST", "/reports", {"kind": kind, "subjectId": subjects[kind](), "audience": "public",
                                                 "from": "2025-01-01", "to": "2025-12-31"})
        assert status == 202, (kind, body)
        REPORTS.append(body["report"]["id"])
        wait_for_job(body["job"])
        public.append(body["report"])
    kinds, attacked = set(), 0
    for summary in public:
        status, body = call("GET", f"/reports/{summary['id']}")
        assert status == 200, body
        kinds.add(summary["kind"])
        for key, columns, rows in report_tables(body["report"]):
            if not any(cell is None for row in rows for cell in row):
                continue
            figures, sums = {}, []
            total_row = next((i for i, row in enumerate(rows) if row[0] == "Total"), None)
            total_column = next((j for j, c in enumerate(columns) if c == "Total"), None)
            numeric = [j for j in range(1, len(columns)) if all(row[j] is None or isinstance(row[j], (int, float)) for row in rows)]
            for i, row in enumerate(rows):
                for j in numeric:
                    figures[(key, i, j)] = row[j]
            if total_row is not None:
                for j in numeric:
                    sums.append(((key, total_row, j), [(key, i, j) for i in range(len(rows)) if i != total_row]))
            if total_column is not None and total_column in numeric:
                for i in range(len(rows)):
                    sums.append(((key, i, total_column), [(key, i, j) for j in numeric if j != total_column]))
            known = {k: v for k, v in figures.items() if v is not None}
            withheld = [k for k, v in figures.items() if v is None]
            for cell, (low, high) in intervals(known, withheld, sums).items():
                attacked += 1
                assert not (high - low < MINIMUM - 1e-6 and low < MINIMUM), (summary["kind"], cell, low, high)
    assert kinds == every_kind, kinds
    assert attacked > 0


def first(route):
    status, body = call("GET", route + "?limit=1")
    assert status == 200, body
    return (body["items"] if isinstance(body, dict) else body)[0]["id"]


def wait_for_job(job):
    for _ in range(600):
        status, body = call("GET", f"/jobs/{job}")
        if body and body.get("state") in ("succeeded", "failed"):
            assert body["state"] == "succeeded", body
            return
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish")


def test_every_published_measure_of_the_demo_leaves_no_withheld_count_narrow():
    """Every measure the demo's open data lists, attacked through what the public sees of it: the count behind
    each figure (the figure, or the numerator a rate was worked out from) and everything it adds up with."""
    status, catalogue = call("GET", "/public/open-data", token=False)
    assert status == 200, catalogue
    measures = [entry["id"] for entry in (catalogue["measures"] if isinstance(catalogue, dict) and "measures" in catalogue else catalogue)]
    attacked = 0
    for measure in measures:
        status, view = call("GET", f"/public/measures/{measure}", token=False)
        assert status == 200, view
        if view.get("minimum") is None:
            continue  # not a count of people: nothing is withheld
        counts, withheld = {}, []
        for f in view["figures"]:
            key = (f["period"], f.get("areaCode") or "", f.get("breakdown") or "")
            if f["withheld"]:
                withheld.append(key)
            else:
                counts[key] = f["value"] if view["measure"]["unit"] == "count" else f.get("numerator")
        known = {k: v for k, v in counts.items() if v is not None}
        for cell, (low, high) in intervals(known, withheld, measure_sums(list(counts) + withheld)).items():
            attacked += 1
            assert not (high - low < view["minimum"] - 1e-6 and low < view["minimum"]), (measure, cell, low, high)
    assert attacked > 0
