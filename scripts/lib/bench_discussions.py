"""Statistics over 100,000 synthetic situation-table discussions (ten years, forty tables): Wellplan's
plan-level statistics (API and page, release build) beside the same aggregates run by the sqlite3 CLI."""
import os
import random
import sqlite3
import statistics
import subprocess
import time
import urllib.request
import uuid

DISCUSSIONS = 100_000
TABLES = 40
RUNS = 15
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
    return path, plan, tables[0], token, env


def insert_discussions(db, plan, rng):
    """Sixty agencies, the situation tables and their discussions, into a migrated database; returns the tables."""
    orgs = [(uid(), f"Agency {i}", SECTORS[i % len(SECTORS)]) for i in range(60)]
    db.executemany("INSERT INTO organizations (id, name_en, sector) VALUES (?,?,?)", orgs)
    tables = [uid() for _ in range(TABLES)]
    db.executemany("INSERT INTO partner_tables (id, name_en, kind, plan_id) VALUES (?,?,?,?)",
                   [(t, f"Situation table {i + 1}", "situation_table", plan) for i, t in enumerate(tables)])
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
    path, plan, table, token, env = build(binary, work)
    server = server_class([binary, "serve", "--port", str(port)], work, port, {**env, "WELLPLAN_JOBS": "off"})
    base = f"http://127.0.0.1:{port}"
    query = "?from=2016-01-01&to=2025-12-31"

    def get(url, header):
        req = urllib.request.Request(url, headers=dict([header.split(": ", 1)]))
        with urllib.request.urlopen(req) as r:
            assert r.status == 200
            return r.read()

    api_url = f"{base}/api/v1/plans/{plan}/situation-statistics{query}"
    body = get(api_url, f"Authorization: Bearer {token}").decode()
    assert f'"discussions":{DISCUSSIONS}' in body, body[:300]
    api = timed(lambda: get(api_url, f"Authorization: Bearer {token}"))
    cookie = sign_in(base)
    page = timed(lambda: get(f"{base}/plans/{plan}/situation-statistics{query}", cookie))
    one = timed(lambda: get(f"{base}/api/v1/public/situation-tables/{table}/statistics?year=2025", "Accept: application/json"))
    rss = server.rss_mib
    server.stop()
    everything = AGGREGATES.replace("{where}", "presented_on BETWEEN '2016-01-01' AND '2025-12-31'")
    cli = timed(lambda: subprocess.run(["sqlite3", path], input=everything, text=True, check=True, capture_output=True))
    one_table = AGGREGATES.replace("{where}", f"table_id = '{table}' AND presented_on BETWEEN '2025-01-01' AND '2025-12-31'")
    cli_one = timed(lambda: subprocess.run(["sqlite3", path], input=one_table, text=True, check=True, capture_output=True))
    version = subprocess.check_output(["sqlite3", "--version"], text=True).split()[0]
    return {"api": api, "page": page, "cli": cli, "one": one, "cli_one": cli_one, "rss": rss, "sqlite_version": version,
            "size_mib": os.path.getsize(path) / 2**20}
