"""The annual progress report for a region with 1,000,000 incidents, 100,000 situation-table discussions and 600,000
observations: `wellplan report annual-progress` (release build, the same request and job as the web) to HTML and to PDF,
wall time and peak RSS; beside it the floor, the sqlite3 CLI running the report's aggregate queries on the same file."""
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import time

import bench_discussions

INCIDENTS = 1_000_000
MEASURES = 24  # by area: 24 × 1,000 areas × 25 years = 600,000 figures
AREAS = 1000
YEARS = range(2001, 2026)
RUNS = 5
CATEGORIES = ["Assault", "Break and Enter", "Robbery", "Theft Over", "Auto Theft", "Mischief", "Fraud", "Drug offence",
              "Impaired driving", "Disturbance", "Harassment", "Weapons"]

# What the report counts, as one would type it into sqlite3: incidents by category for the year and the year before,
# the situation tables' ten aggregates for the year, and each measure's whole-area series.
FLOOR = """
SELECT category, count(*) FROM incidents WHERE occurred_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY 1;
SELECT category, count(*) FROM incidents WHERE occurred_on BETWEEN '2024-01-01' AND '2024-12-31' GROUP BY 1;
""" + bench_discussions.AGGREGATES.replace("{where}", "presented_on BETWEEN '2025-01-01' AND '2025-12-31'") + """
SELECT measure_id, period, value FROM observations WHERE area_code = '' AND breakdown = '' ORDER BY measure_id, period_start;
"""


def uid():
    return bench_discussions.uid()


def build(binary, work):
    path = os.path.join(work, "region.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path, "WELLPLAN_JOBS": "off"}
    subprocess.check_call([binary, "migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = random.Random(2027)
    db = sqlite3.connect(path)
    plan = uid()
    db.execute("INSERT INTO plans (id, title_en, municipality, term_start, term_end, adopted_on, status) VALUES (?,?,?,?,?,?,?)",
               (plan, "Region (synthetic)", "Synthetic", "2023-01-01", "2026-12-31", "2022-12-01", "adopted"))
    priorities = [uid() for _ in range(3)]
    db.executemany("INSERT INTO priorities (id, plan_id, number, title_en) VALUES (?,?,?,?)",
                   [(p, plan, i + 1, f"Priority {i + 1}") for i, p in enumerate(priorities)])
    recommendations = [uid() for _ in range(6)]
    db.executemany("INSERT INTO recommendations (id, plan_id, priority_id, number, statement_en) VALUES (?,?,?,?,?)",
                   [(r, plan, priorities[i % 3], str(i + 1), f"Recommendation {i + 1}") for i, r in enumerate(recommendations)])
    group = uid()
    db.execute("INSERT INTO partner_tables (id, name_en, kind, plan_id) VALUES (?,?,?,?)", (group, "Working group", "working_group", plan))
    projects = [uid() for _ in range(12)]
    db.executemany("INSERT INTO projects (id, plan_id, recommendation_id, lead_table_id, title_en, status) VALUES (?,?,?,?,?,?)",
                   [(p, plan, recommendations[i % 6], group, f"Project {i + 1}", "active") for i, p in enumerate(projects)])
    db.executemany("INSERT INTO activities (id, project_id, occurred_on, summary_en, people_reached) VALUES (?,?,?,?,?)",
                   [(uid(), projects[i % 12], f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", f"Activity {i}", rng.randint(5, 200))
                    for i in range(2000)])
    db.executemany("INSERT INTO outputs (id, project_id, level, statement_en, computed_from, target) VALUES (?,?,?,?,?,?)",
                   [(uid(), p, "output", "People reached", "people_reached", 20000) for p in projects])
    bench_discussions.insert_discussions(db, plan, rng)
    rows = []
    for i in range(INCIDENTS):
        day = f"{rng.randint(2016, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append((uid(), f"k{i}", f"e{i}", rng.choice(CATEGORIES), day + "T12:00:00.000Z", day, plan))
        if len(rows) == 100_000:
            db.executemany("INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, import_id) VALUES (?,?,?,?,?,?,?)", rows)
            rows = []
    measures = [uid() for _ in range(MEASURES)]
    db.executemany("""INSERT INTO measures (id, plan_id, code, name_en, measure_type, polarity, unit, frequency, counts_people,
                      priority_ids, published) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                   [(m, plan, f"m{i}", f"Measure {i}", "population_indicator", "lower_is_better", "count", "year", 1,
                     priorities[i % 3], 1) for i, m in enumerate(measures)])
    now = "2026-11-22T00:00:00.000Z"
    for m in measures:
        rows = [(uid(), m, str(y), f"{y}-01-01", f"A{a:04d}", "", rng.randint(0, 400), now) for a in range(AREAS) for y in YEARS]
        rows += [(uid(), m, str(y), f"{y}-01-01", "", "", rng.randint(5_000, 90_000), now) for y in YEARS]
        db.executemany("""INSERT INTO observations (id, measure_id, period, period_start, area_code, breakdown, value, updated_at)
                          VALUES (?,?,?,?,?,?,?,?)""", rows)
    db.commit()
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("incidents", "situation_discussions", "observations")}
    db.close()
    return path, plan, env, counts


def run(binary, env, args):
    """One build through the command line: wall time, and the peak RSS of the process (and, for PDF, of Chromium,
    whichever is larger) from the kernel's accounting of the finished children."""
    start = time.perf_counter()
    subprocess.run([binary, "report", *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure(binary, work):
    path, plan, env, counts = build(binary, work)
    base = ["annual-progress", "--subject", plan, "--from", "2025-01-01", "--to", "2025-12-31"]
    out = {"counts": counts, "size_mib": os.path.getsize(path) / 2**20}
    for fmt in ("html", "pdf"):
        target = os.path.join(work, f"report.{fmt}")
        walls, peaks = [], []
        for _ in range(RUNS):
            # Each run in a child of its own, so the peak measured is that run's.
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                wall, peak = run(binary, env, base + ["--format", fmt, "--output", target])
                os.write(w, f"{wall} {peak}".encode())
                os._exit(0)
            os.close(w)
            os.waitpid(pid, 0)
            wall, peak = map(float, os.read(r, 100).decode().split())
            os.close(r)
            walls.append(wall)
            peaks.append(peak)
        out[fmt] = {"median": statistics.median(walls), "runs": walls, "peak": max(peaks), "bytes": os.path.getsize(target)}
    html = open(os.path.join(work, "report.html")).read()
    assert "incidents in the period" in html and "situations discussed" in html, html[:500]
    floor = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(["sqlite3", path], input=FLOOR, text=True, check=True, capture_output=True)
        floor.append(time.perf_counter() - start)
    out["floor"] = {"median": statistics.median(floor), "runs": floor}
    return out


def lines(r):
    c = r["counts"]
    return [
        "## Reports: the annual progress report of a large region",
        "",
        f"Synthetic region in one SQLite file of {r['size_mib']:.0f} MiB: {c['incidents']:,} incidents (2016–2025, "
        f"{len(CATEGORIES)} categories), {c['situation_discussions']:,} situation-table discussions at {bench_discussions.TABLES} tables, "
        f"{c['observations']:,} observations ({MEASURES} measures by {AREAS:,} areas and for the whole region, 25 years), 12 projects with "
        "2,000 activities. `wellplan report annual-progress --from 2025-01-01 --to 2025-12-31` (release build): the same request and "
        "job as the web, reading the data, writing the report in both languages, keeping the draft, and rendering one format. "
        f"Median of {RUNS} runs; peak RSS is the largest of the runs.",
        "",
        "| what | median | runs (s) | peak RSS | output |",
        "|---|---|---|---|---|",
        f"| Wellplan, HTML | {r['html']['median']:.2f} s | {', '.join(f'{t:.2f}' for t in r['html']['runs'])} | "
        f"{r['html']['peak']:.0f} MiB | {r['html']['bytes'] / 1024:.0f} KiB |",
        f"| Wellplan, PDF (the same HTML printed by headless Chromium) | {r['pdf']['median']:.2f} s | "
        f"{', '.join(f'{t:.2f}' for t in r['pdf']['runs'])} | {r['pdf']['peak']:.0f} MiB (the larger of Wellplan and Chromium) | "
        f"{r['pdf']['bytes'] / 1024:.0f} KiB |",
        f"| `sqlite3` CLI, the report's aggregate queries on the same file (the floor: counts only, no report) | "
        f"{r['floor']['median']:.2f} s | {', '.join(f'{t:.2f}' for t in r['floor']['runs'])} | | |",
        "",
        f"HTML ÷ the sqlite3 floor: {r['html']['median'] / r['floor']['median']:.1f}×; PDF ÷ HTML: "
        f"{r['pdf']['median'] / r['html']['median']:.1f}× (Chromium's start and layout).",
        "",
    ]
