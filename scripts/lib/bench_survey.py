"""Importing a 100,000-response synthetic survey export: Wellplan's survey import (release build, through the
API, into a consultation) beside `sqlite-utils insert` of the same CSV into a fresh SQLite file."""
import csv
import json
import os
import random
import shutil
import subprocess
import time
import urllib.request

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
    data = open(survey, "rb").read()
    start = time.perf_counter()
    result = call("POST", f"/consultations/{consultation}/responses", data, "text/csv")
    wellplan = time.perf_counter() - start
    assert result["imported"] == RESPONSES, result
    start = time.perf_counter()
    again = call("POST", f"/consultations/{consultation}/responses", data, "text/csv")
    reimport = time.perf_counter() - start
    assert again["imported"] == 0 and again["alreadyImported"] == RESPONSES, again
    rss = server.rss_mib
    server.stop()

    sqlite_utils = shutil.which("sqlite-utils", path=os.path.dirname(os.path.realpath(__file__)) + "/../../.venv/bin")
    target = os.path.join(work, "sqlite-utils.sqlite")
    start = time.perf_counter()
    subprocess.check_call([sqlite_utils, "insert", target, "responses", survey, "--csv"], stdout=subprocess.DEVNULL)
    utils = time.perf_counter() - start
    version = subprocess.check_output([sqlite_utils, "--version"], text=True).strip()
    return {"wellplan": wellplan, "reimport": reimport, "rss": rss, "sqlite_utils": utils, "version": version,
            "size_mib": len(data) / 2**20, "answers": RESPONSES * 8}
