"""Statistics over 100,000 synthetic situation-table discussions (ten years, forty tables): Wellplan's
released statistics (a plan's and one table's, API and page, release build) beside the same aggregates run by
the sqlite3 CLI. Statistics beyond a table's members are released by calendar year or quarter, and only for
tables that share them; a plan's are protected together with every table's release of the year."""
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import threading
import time
import urllib.request
import uuid

DISCUSSIONS = 100_000
TABLES = 40
RUNS = 15
SHARED = 2  # the tables of the plan measured share their statistics: a municipality's plan
PROVINCE_WAIT = 300  # seconds the plan's statistics over all forty tables are given, once
YEAR = "2025"
SECTORS = ["police", "mental_health_addictions", "health", "education", "child_welfare", "justice_probation",
           "municipal_social_services", "housing_shelters", "community_services", "victim_services"]
FACTORS = ["mental_health.suspected", "antisocial.person_exhibiting", "negative_peers.associating", "alcohol.use_by_person",
           "drugs.use_by_person", "emotional_violence.victim", "basic_needs.unable_own", "housing.transient_homeless",
           "criminal_involvement.assault", "missing_school.truancy", "physical_violence.victim", "self_harm.engaging",
           "parenting.conflict", "poverty.inadequate_finances", "suicide.current_risk", "cognitive.suspected"]
AGES = ["12-15", "16-17", "18-24", "25-29", "30-39", "40-59", "60+", "multiple"]
REASONS = {"risk_lowered": ["risk_lowered.connected", "risk_lowered.informed"], "still_aer": ["still_aer.refused", "still_aer.referred"]}

# The aggregates Wellplan's statistics page runs, as one would type them into sqlite3.
AGGREGATES = """
SELECT substr(presented_on,1,7), count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT status, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT age_band, gender, count(*) FROM situation_discussions WHERE {where} GROUP BY 1, 2;
SELECT discussion_type, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT originating_sector, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT risk_factors, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT conclusion_reason, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT o.sector, count(*) FROM situation_discussions d JOIN organizations o ON o.id = d.lead_organization_id
  WHERE {where} GROUP BY 1;
SELECT assisting_organization_ids, count(*) FROM situation_discussions WHERE {where} GROUP BY 1;
SELECT julianday(first_contact_on) - julianday(accepted_on), count(*) FROM situation_discussions
  WHERE {where} AND first_contact_on IS NOT NULL GROUP BY 1;
"""


def uid():
    return str(uuid.uuid4()).upper()


def build(binary, work):
    """A fresh database migrated by Wellplan, filled with synthetic discussions."""
    path = os.path.join(work, "statistics.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path, "WELLPLAN_JOBS": "off"}
    subprocess.check_call([binary, "migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = random.Random(2026)
    db = sqlite3.connect(path)
    plan = uid()
    db.execute("INSERT INTO plans (id, title_en, municipality, term_start, term_end, status) VALUES (?,?,?,?,?,?)",
               (plan, "Province (synthetic)", "Synthetic", "2016-01-01", "2029-12-31", "draft"))
    tables = insert_discussions(db, plan, rng)
    db.commit()
    db.close()
    subprocess.run([binary, "user", "create", "--email", "coordinator@wellplan.demo", "--name", "Casey", "--role", "coordinator"],
                   env=env, input="demo-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@wellplan.demo"], env=env,
                                    text=True, stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    return path, plan, tables, token, env


def insert_discussions(db, plan, rng):
    """Sixty agencies, the situation tables and their discussions, into a migrated database; returns the tables."""
    orgs = [(uid(), f"Agency {i}", SECTORS[i % len(SECTORS)]) for i in range(60)]
    db.executemany("INSERT INTO organizations (id, name_en, sector) VALUES (?,?,?)", orgs)
    tables = [uid() for _ in range(TABLES)]
    db.executemany("INSERT INTO partner_tables (id, name_en, kind, plan_id, statistics_shared) VALUES (?,?,?,?,?)",
                   [(t, f"Situation table {i + 1}", "situation_table", plan, "public" if i < SHARED else None)
                    for i, t in enumerate(tables)])
    rows = []
    numbers = {t: 0 for t in tables}
    for _ in range(DISCUSSIONS):
        table = rng.choice(tables)
        numbers[table] += 1
        year, month, day = rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28)
        presented = f"{year}-{month:02d}-{day:02d}"
        status = rng.choices(["concluded", "rejected", "returned", "active"], [88, 4, 1, 7])[0]
        lead = assisting = accepted = contact = planned = concluded = outcome = reason = None
        factors = None
        if status not in ("rejected", "returned"):
            factors = ",".join(sorted(set(rng.choices(FACTORS, k=rng.randint(2, 5)))))
            accepted = presented
            lead = rng.choice(orgs)[0]
            assisting = ",".join({rng.choice(orgs)[0] for _ in range(rng.randint(1, 3))} - {lead})
            planned = presented
            contact = f"{year}-{month:02d}-{min(28, day + rng.choice([0, 1, 1, 2, 2, 3, 5])):02d}"
            if status == "concluded":
                outcome = rng.choices(["risk_lowered", "still_aer"], [72, 28])[0]
                reason = rng.choice(REASONS[outcome])
                concluded = contact
        rows.append((uid(), table, numbers[table], presented, rng.choices(["person", "family", "dwelling"], [65, 32, 3])[0],
                     rng.choice(AGES), rng.choice(["female", "male", "multiple"]), rng.choice(SECTORS), factors, status,
                     accepted, lead, assisting, planned, contact, concluded, outcome, reason))
    db.executemany("""INSERT INTO situation_discussions (id, table_id, number, presented_on, discussion_type, age_band, gender,
        originating_sector, risk_factors, status, accepted_on, lead_organization_id, assisting_organization_ids,
        first_contact_planned_on, first_contact_on, concluded_on, conclusion_outcome, conclusion_reason)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
    return tables


def timed(fn, runs=RUNS):
    fn()  # warm the caches once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def measure(binary, work, port, server_class, sign_in):
    path, plan, tables, token, env = build(binary, work)
    server = server_class([binary, "serve", "--port", str(port)], work, port, {**env, "WELLPLAN_JOBS": "off"})
    base = f"http://127.0.0.1:{port}"
    query = f"?period={YEAR}"

    def get(url, header, timeout=None):
        req = urllib.request.Request(url, headers=dict([header.split(": ", 1)]))
        with urllib.request.urlopen(req, timeout=timeout) as r:
            assert r.status == 200
            return r.read()

    def answered(url, header, give_up):
        """Asks again half a second after each 503 (a release still being worked out) until an answer or `give_up` s."""
        start = time.perf_counter()
        while time.perf_counter() - start < give_up:
            try:
                return get(url, header)
            except urllib.error.HTTPError as error:
                assert error.code == 503, error.code
                time.sleep(0.5)
        return None

    api_url = f"{base}/api/v1/plans/{plan}/situation-statistics{query}"
    one_url = f"{base}/api/v1/public/situation-tables/{tables[0]}/statistics{query}"
    start = time.perf_counter()
    body = answered(api_url, f"Authorization: Bearer {token}", 3600).decode()  # the first keeps the year's quarters
    first = time.perf_counter() - start
    assert '"sections"' in body, body[:300]
    api = timed(lambda: get(api_url, f"Authorization: Bearer {token}"))
    cookie = sign_in(base)
    page = timed(lambda: get(f"{base}/plans/{plan}/situation-statistics{query}", cookie))
    one = timed(lambda: get(one_url, "Accept: application/json"))
    # The same answers worked out every time (the release itself is worked out once and kept: it never changes).
    server.stop()
    server = server_class([binary, "serve", "--port", str(port)], work, port,
                          {**env, "WELLPLAN_JOBS": "off", "WELLPLAN_PAGE_CACHE": "off"})
    answered(api_url, f"Authorization: Bearer {token}", 3600)
    api_fresh = timed(lambda: get(api_url, f"Authorization: Bearer {token}"))
    one_fresh = timed(lambda: get(one_url, "Accept: application/json"))
    rss = server.rss_mib
    # The province: every table shares; the plan's statistics are asked for once, and given PROVINCE_WAIT.
    shared_ids = ", ".join(f"'{t}'" for t in tables[:SHARED])
    db = sqlite3.connect(path, timeout=60)
    with db:
        db.execute("UPDATE partner_tables SET statistics_shared = 'public'")
    db.close()
    meanwhile = None
    start = time.perf_counter()
    quarters_kept = []

    def watch_quarters():
        """When every table's quarters since its first discussion have been kept as released."""
        with sqlite3.connect(path, timeout=60) as watcher:
            while time.perf_counter() - start < PROVINCE_WAIT:
                if watcher.execute("SELECT count(*) FROM released_quarters").fetchone()[0] >= TABLES * 40:
                    quarters_kept.append(time.perf_counter() - start)
                    return
                time.sleep(0.2)
    watcher = threading.Thread(target=watch_quarters, daemon=True)
    watcher.start()
    try:
        get(api_url, f"Authorization: Bearer {token}")
        province, told = time.perf_counter() - start, None
    except urllib.error.HTTPError as error:
        assert error.code == 503, error.code
        told = time.perf_counter() - start
        # Meanwhile the server answers others: the two tables' release, kept, as above.
        db = sqlite3.connect(path, timeout=60)
        with db:
            db.execute("UPDATE partner_tables SET statistics_shared = NULL")
            db.execute(f"UPDATE partner_tables SET statistics_shared = 'public' WHERE id IN ({shared_ids})")
        db.close()
        meanwhile = timed(lambda: get(api_url, f"Authorization: Bearer {token}"))
        with sqlite3.connect(path, timeout=60) as db:
            db.execute("UPDATE partner_tables SET statistics_shared = 'public'")
        answer = answered(api_url, f"Authorization: Bearer {token}", PROVINCE_WAIT)
        province = time.perf_counter() - start if answer is not None else None
    province_rss = server.rss_mib
    os.killpg(server.proc.pid, signal.SIGKILL)  # a request still working would hold a graceful stop
    server.proc.wait(timeout=30)
    shared = ", ".join(f"'{t}'" for t in tables[:SHARED])
    everything = AGGREGATES.replace("{where}", f"table_id IN ({shared}) AND presented_on BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31'")
    cli = timed(lambda: subprocess.run(["sqlite3", path], input=everything, text=True, check=True, capture_output=True))
    one_table = AGGREGATES.replace("{where}", f"table_id = '{tables[0]}' AND presented_on BETWEEN '{YEAR}-01-01' AND '{YEAR}-12-31'")
    cli_one = timed(lambda: subprocess.run(["sqlite3", path], input=one_table, text=True, check=True, capture_output=True))
    version = subprocess.check_output(["sqlite3", "--version"], text=True).split()[0]
    return {"first": first, "api": api, "page": page, "cli": cli, "one": one, "cli_one": cli_one, "rss": rss,
            "api_fresh": api_fresh, "one_fresh": one_fresh,
            "province": province, "told": told, "quarters_kept": quarters_kept[0] if quarters_kept else None,
            "province_rss": province_rss, "meanwhile": meanwhile, "sqlite_version": version, "size_mib": os.path.getsize(path) / 2**20}


def lines(stats):
    per_table = DISCUSSIONS // TABLES // 10
    province = (f"answered in {stats['province']:.0f} s" if stats["province"] is not None
                else f"no figures within {PROVINCE_WAIT} s")
    if stats["told"] is not None:
        province += (f"; the first answer, after {stats['told']:.1f} s, was a 503 saying the statistics are being worked "
                     "out and when to ask again, and while they were, the two tables' statistics above were answered in "
                     f"{stats['meanwhile'][0] * 1000:.0f} ms (median of {len(stats['meanwhile'][1])}): a release is worked out "
                     "once, on a thread of its own, whoever asks")
    if stats["quarters_kept"] is not None:
        province += (f". Every table's quarters since its first discussion ({TABLES} tables, ten years) were kept as "
                     f"released {stats['quarters_kept']:.1f} s after the request, all in one pass; the rest is the "
                     "disclosure policy's linear programs over the 40 tables' releases tied to the plan's")
    province += (f"; server RSS at the end of the wait: {stats['province_rss']:,.0f} MiB (3,148 MiB in the run before "
                 "the policy stopped keeping the program of each neighbourhood cut at its limit, which it never asks again "
                 "unchanged; the same releases either way, compared figure by figure for two and three tables)")
    return [
        f"## Situation-table statistics over {DISCUSSIONS:,} discussions",
        "",
        f"Synthetic: {DISCUSSIONS:,} discussions at {TABLES} situation tables over ten years (2016–2025), in one SQLite "
        f"file of {stats['size_mib']:.0f} MiB, about {per_table:,} discussions a table a year. Beyond a table's members, "
        "statistics are released by calendar year or quarter, for the tables that share them, each release protected "
        f"together with all before it. Measured: a plan whose {SHARED} tables share theirs, for {YEAR}. Median of {RUNS} "
        "sequential requests after one warm-up, measured at the client on the same machine.",
        "",
        "| what | median | runs (ms) |",
        "|---|---|---|",
        f"| Wellplan, `GET /api/v1/plans/{{id}}/situation-statistics?period={YEAR}` (JSON, {SHARED} tables, through the "
        f"disclosure policy) | {stats['api'][0] * 1000:.1f} ms | {', '.join(f'{t * 1000:.1f}' for t in stats['api'][1])} |",
        f"| Wellplan, the same statistics as the HTML page (signed in) | {stats['page'][0] * 1000:.1f} ms | "
        f"{', '.join(f'{t * 1000:.1f}' for t in stats['page'][1])} |",
        f"| `sqlite3` {stats['sqlite_version']} CLI, the same ten GROUP BY queries for those tables and year | "
        f"{stats['cli'][0] * 1000:.1f} ms | {', '.join(f'{t * 1000:.1f}' for t in stats['cli'][1])} |",
        f"| Wellplan, one table's public statistics (`/api/v1/public/situation-tables/{{id}}/statistics?period={YEAR}`) "
        f"| {stats['one'][0] * 1000:.1f} ms | {', '.join(f'{t * 1000:.1f}' for t in stats['one'][1])} |",
        f"| `sqlite3` CLI, the same queries for that table and year | {stats['cli_one'][0] * 1000:.1f} ms | "
        f"{', '.join(f'{t * 1000:.1f}' for t in stats['cli_one'][1])} |",
        f"| Wellplan, the plan's statistics worked out every time (`WELLPLAN_PAGE_CACHE=off`) | "
        f"{stats['api_fresh'][0] * 1000:.1f} ms | {', '.join(f'{t * 1000:.1f}' for t in stats['api_fresh'][1])} |",
        f"| Wellplan, one table's public statistics worked out every time | "
        f"{stats['one_fresh'][0] * 1000:.1f} ms | {', '.join(f'{t * 1000:.1f}' for t in stats['one_fresh'][1])} |",
        "",
        f"Wellplan ÷ sqlite3 CLI: {stats['api'][0] / stats['cli'][0]:.2f}× for the plan, "
        f"{stats['one'][0] / stats['cli_one'][0]:.2f}× for one table's year; worked out every time, "
        f"{stats['api_fresh'][0] / stats['cli'][0]:.2f}× and {stats['one_fresh'][0] / stats['cli_one'][0]:.2f}× (the "
        "CLI's figures include starting the process). Kept answers are the page cache's (see the load section): "
        "answered again while nothing in the database changes. Worked out every time, an answer reads the quarters "
        "as released (one query) and finds their release worked out; the CLI counts afresh. The first request for the plan keeps the year's quarters as released and works the release out: "
        f"{stats['first']:.1f} s, nearly all of it the disclosure policy's linear programs (every release of the "
        "year, each table's quarters, the plan's, each table's year and the plan's, is protected with all before it "
        "settled and re-checks those it is linked to, for the public and then for partners, who see both); later "
        "requests find it worked out (`ReleaseMemo`). One table's public year is worked out with the plan's other "
        "tables, so it reads their quarters too. The province, all "
        f"{TABLES} tables sharing, asked once: {province}. The CLI only counts. "
        f"Server RSS after these requests: {stats['rss']:.0f} MiB.",
        "",
    ]
