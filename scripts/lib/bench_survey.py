"""Importing a 100,000-response synthetic survey export: Wellplan's survey import (release build, through the
API, into a consultation) beside `sqlite-utils insert` of the same CSV into a fresh SQLite file."""
import csv
import json
import os
import random
import shutil
import subprocess
import time
import sqlite3
import statistics
import urllib.request
import uuid

RESPONSES = 100_000
LIKERT = ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"]
WORDS = ("safety lighting park police youth drugs housing neighbours school bus street night children community support "
         "services parents shelter outreach food").split()


def write_survey(path):
    """A Google Forms-style export: a timestamp, five agreement questions and three free-text ones."""
    rng = random.Random(2026)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Timestamp"] + [f"Q{i}: agreement statement {i}" for i in range(1, 6)]
                   + [f"Q{i}: open question {i}" for i in range(6, 9)])
        for n in range(RESPONSES):
            w.writerow([f"10/{1 + n % 28}/2026 {n % 24:02d}:{n % 60:02d}:{(n * 7) % 60:02d}"]
                       + [rng.choice(LIKERT) for _ in range(5)]
                       + [" ".join(rng.choices(WORDS, k=rng.randint(3, 15))) for _ in range(3)])


def measure(binary, work, port, server_class):
    survey = os.path.join(work, "survey.csv")
    write_survey(survey)
    path = os.path.join(work, "survey-import.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path, "WELLPLAN_JOBS": "off"}
    subprocess.check_call([binary, "migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([binary, "user", "create", "--email", "coordinator@example.org", "--name", "Casey", "--role", "coordinator"],
                   env=env, input="bench-coordinator-password\n", text=True, check=True, capture_output=True)
    token = subprocess.check_output([binary, "token", "create", "--email", "coordinator@example.org"], env=env, text=True,
                                    stderr=subprocess.DEVNULL).strip().splitlines()[-1]
    server = server_class([binary, "serve", "--port", str(port)], work, port, env)
    base = f"http://127.0.0.1:{port}/api/v1"

    def call(method, path, body, content_type):
        req = urllib.request.Request(base + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read())

    plan = call("POST", "/plans", json.dumps({"titleEn": "Bench plan", "municipality": "Bench", "termStart": "2026-01-01",
                                              "termEnd": "2029-12-31", "status": "draft"}).encode(), "application/json")["id"]
    consultation = call("POST", "/consultations", json.dumps({"planId": plan, "titleEn": "Bench survey"}).encode(), "application/json")["id"]
    method = call("POST", "/consultation-methods", json.dumps({"consultationId": consultation, "method": "survey",
                                                               "audienceGroups": ["general_public", "youth"]}).encode(),
                  "application/json")["id"]
    data = open(survey, "rb").read()
    start = time.perf_counter()
    result = call("POST", f"/consultations/{consultation}/responses?methodId={method}", data, "text/csv")
    wellplan = time.perf_counter() - start
    assert result["imported"] == RESPONSES, result
    start = time.perf_counter()
    again = call("POST", f"/consultations/{consultation}/responses", data, "text/csv")
    reimport = time.perf_counter() - start
    assert again["imported"] == 0 and again["alreadyImported"] == RESPONSES, again
    themes = measure_themes(call, path, consultation)
    rss = server.rss_mib
    server.stop()

    sqlite_utils = shutil.which("sqlite-utils", path=os.path.dirname(os.path.realpath(__file__)) + "/../../.venv/bin")
    target = os.path.join(work, "sqlite-utils.sqlite")
    start = time.perf_counter()
    subprocess.check_call([sqlite_utils, "insert", target, "responses", survey, "--csv"], stdout=subprocess.DEVNULL)
    utils = time.perf_counter() - start
    version = subprocess.check_output([sqlite_utils, "--version"], text=True).strip()
    return {"wellplan": wellplan, "reimport": reimport, "rss": rss, "sqlite_utils": utils, "version": version,
            "size_mib": len(data) / 2**20, "answers": RESPONSES * 8, "themes": themes}


PARENTS = ["Strengths", "Issues", "Needs"]
RUNS = 7


def measure_themes(call, path, consultation):
    """Theme frequencies over the imported survey: 3 × 10 codes, every open answer coded once or twice by one
    coder and a tenth of them again by a second (written straight into the database, as months of coding would
    leave it), 12 themes. Wellplan's endpoint beside the same count as one SQL query in the sqlite3 shell."""
    codebook = "path\n" + "".join(f"{p}\n" + "".join(f"{p} > {p} {i}\n" for i in range(10)) for p in PARENTS)
    call("POST", f"/consultations/{consultation}/codebook", codebook.encode(), "text/csv")
    codes = {c["path"]: c["id"] for c in call("GET", f"/consultations/{consultation}/codebook", None, "application/json")}
    theme_codes = {}
    for p in PARENTS:
        theme_codes[p] = [codes[p]]
        for i in range(0, 9, 3):
            theme_codes[f"{p} {i}"] = [codes[f"{p} > {p} {i}"], codes[f"{p} > {p} {i + 1}"]]
    theme_ids = {}
    for name, ids in theme_codes.items():
        theme_ids[name] = call("POST", "/themes", json.dumps({"consultationId": consultation, "section": "issues", "nameEn": name,
                                                              "codeIds": ids}).encode(), "application/json")["id"]
    leaves = [codes[f"{p} > {p} {i}"] for p in PARENTS for i in range(10)]
    db = sqlite3.connect(path, timeout=60)
    answers = db.execute(
        "SELECT a.id, a.response_id, r.method_id FROM consultation_answers a JOIN consultation_questions q ON q.id = a.question_id "
        "JOIN consultation_responses r ON r.id = a.response_id WHERE q.code LIKE 'Q_: open%'").fetchall()
    rng = random.Random(7)
    coders = [str(uuid.uuid4()).upper() for _ in range(2)]
    rows = []
    for n, (answer, response, method) in enumerate(answers):
        for code in rng.sample(leaves, rng.randint(1, 2)):
            rows.append((str(uuid.uuid4()).upper(), answer, code, coders[0], 0, 5, "words", response, method))
            if n % 10 == 0:
                rows.append((str(uuid.uuid4()).upper(), answer, code, coders[1], 0, 5, "words", response, method))
    with db:  # each coding with its answer's response and method, as Wellplan's own coding keeps them
        db.executemany("INSERT INTO codings (id, answer_id, code_id, coder_id, start, length, excerpt, response_id, method_id) "
                       "VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.close()

    def timed(path):
        start = time.perf_counter()
        answer = call("GET", path, None, "application/json")
        return answer, time.perf_counter() - start
    # Worked out every time: each address asked once (the page cache keys on it), then the same one kept.
    url = f"/consultations/{consultation}/theme-frequencies"
    times = [timed(f"{url}?run={n}")[1] for n in range(RUNS)]
    frequencies, _ = timed(url)
    kept = [timed(url)[1] for _ in range(RUNS)]
    # The analyst's version: each theme's codes and the codes beneath them, spelled out, in one query.
    path_of = {c: p for p, c in codes.items()}
    expanded = [(theme_ids[name], c) for name, ids in theme_codes.items() for code in ids
                for p, c in codes.items() if p == path_of[code] or p.startswith(path_of[code] + " > ")]
    values = ",".join(f"('{t}','{c}')" for t, c in expanded)
    sql = (f"WITH theme_codes(theme, code) AS (VALUES {values}) "
           "SELECT tc.theme, r.method_id, COUNT(DISTINCT r.id), COUNT(*) FROM codings c "
           "JOIN consultation_answers a ON a.id = c.answer_id JOIN consultation_responses r ON r.id = a.response_id "
           f"JOIN theme_codes tc ON tc.code = c.code_id WHERE r.consultation_id = '{consultation.upper()}' "
           "GROUP BY tc.theme, r.method_id;")
    shell = []
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.check_output(["sqlite3", path, sql], text=True)
        shell.append(time.perf_counter() - start)
    by_theme = {line.split("|")[0]: (int(line.split("|")[2]), int(line.split("|")[3])) for line in out.strip().splitlines()}
    for f in frequencies:  # the two agree, theme by theme, before either is timed into the table
        assert by_theme[f["themeId"].upper()] == (f["responses"], f["excerpts"]), (f, by_theme.get(f["themeId"].upper()))
    return {"codings": len(rows), "themes": len(theme_codes), "wellplan": statistics.median(times),
            "kept": statistics.median(kept), "sqlite3": statistics.median(shell),
            "runs": RUNS}
