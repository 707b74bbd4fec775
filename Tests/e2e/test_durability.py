"""Nothing lost when the server or a command is killed, on SQLite and on PostgreSQL: an import, a backup, a
restore and a report build stopped with SIGKILL leave the database as it was, and the restarted server finishes
the job with exactly the right rows; a backup killed mid-way is refused by restore. And a long import does not
stop the server: sign-ins, pages and writes answer while its job writes."""
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest

BIN = os.environ["WELLPLAN_BIN"]
DEMO = os.environ["WELLPLAN_DEMO_DB"]
PG_URL = os.environ.get("WELLPLAN_TEST_PG_URL")
PASSWORD = "a long enough test password"
STORES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("waited in vain for " + what)


class Store:
    """One database for one test: a copy of the demo on SQLite, or a schema of its own on PostgreSQL with the
    demo's three accounts; the environment every server and command of the test runs with."""

    def __init__(self, kind, folder):
        self.kind, self.folder = kind, folder
        self.env = dict(os.environ, WELLPLAN_UPLOADS=str(folder / "uploads"))
        self.env.pop("DATABASE_URL", None)
        if kind == "sqlite":
            self.path = str(folder / "copy.sqlite")
            with sqlite3.connect(DEMO) as source, sqlite3.connect(self.path) as copy:
                source.backup(copy)
            self.env["WELLPLAN_DATABASE_PATH"] = self.path
            self.passwords = {"admin": "demo-admin-password", "coordinator": "demo-coordinator-password"}
        else:
            self.schema = "e2e_" + uuid.uuid4().hex[:12]
            self.env.update(DATABASE_URL=PG_URL, WELLPLAN_DATABASE_SCHEMA=self.schema)
            assert self.cli("migrate").returncode == 0
            for role in ("admin", "coordinator"):
                made = self.cli("user", "create", "--email", f"{role}@wellplan.demo", "--name", role, "--role", role, stdin=PASSWORD)
                assert made.returncode == 0, made.stderr
            self.passwords = {"admin": PASSWORD, "coordinator": PASSWORD}

    @staticmethod
    def empty(kind, folder):
        """A database with nothing in it but its tables, beside the test's own."""
        folder.mkdir()
        made = Store.__new__(Store)
        made.kind, made.folder = kind, folder
        made.env = dict(os.environ, WELLPLAN_UPLOADS=str(folder / "uploads"))
        made.env.pop("DATABASE_URL", None)
        if kind == "sqlite":
            made.path = str(folder / "empty.sqlite")
            made.env["WELLPLAN_DATABASE_PATH"] = made.path
        else:
            made.schema = "e2e_" + uuid.uuid4().hex[:12]
            made.env.update(DATABASE_URL=PG_URL, WELLPLAN_DATABASE_SCHEMA=made.schema)
        assert made.cli("migrate").returncode == 0
        return made

    def drop(self):
        if self.kind == "postgresql":
            subprocess.run(["psql", PG_URL, "-qc", f"DROP SCHEMA {self.schema} CASCADE"], capture_output=True)

    def cli(self, *args, stdin=""):
        return subprocess.run([BIN, *args], capture_output=True, text=True, env=dict(self.env, WELLPLAN_JOBS="off"), input=stdin,
                              timeout=600, cwd=self.folder)

    def sql(self, statement):
        """One statement's rows, as text."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.path, timeout=30) as conn:
                return [tuple(str(v) for v in row) for row in conn.execute(statement).fetchall()]
        out = subprocess.run(["psql", PG_URL, "-AtX", "-F", "\t", "-c", f"SET search_path TO {self.schema}", "-c", statement],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line and line != "SET"]

    def one(self, statement):
        return self.sql(statement)[0][0]

    def counts(self):
        """Rows in every table a backup holds."""
        excluded = {"_fluent_migrations", "sessions", "sign_in_attempts", "jobs", "pending_imports", "incident_imports",
                    "discussion_compartments"}
        if self.kind == "sqlite":
            tables = [r[0] for r in self.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        else:
            tables = [r[0] for r in self.sql(
                f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{self.schema}'")]
        return {t: int(self.one(f'SELECT COUNT(*) FROM "{t}"')) for t in tables if t not in excluded}

    def add_incidents(self, n):
        """n incidents written straight into the database, for a backup, restore or report with weight to it."""
        if self.kind == "sqlite":
            self.sql(f"""WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n})
                INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, longitude, latitude, import_id)
                SELECT printf('%08X-0000-4000-8000-%012X', n, n), 'k' || n, 'E' || n, 'theft', '2025-03-01T12:00:00Z', '2025-03-01',
                -79.4, 43.7, '00000000-0000-4000-8000-000000000000' FROM s""")
        else:
            self.sql(f"""INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, longitude, latitude, import_id)
                SELECT (lpad(to_hex(n), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'k' || n, 'E' || n, 'theft',
                '2025-03-01T12:00:00Z', '2025-03-01', -79.4, 43.7, '00000000-0000-4000-8000-000000000000'
                FROM generate_series(1, {n}) n""")


class Server:
    """A server on the store's database; `name` and `env` tell several servers on one database apart."""

    def __init__(self, store, name="server", **env):
        self.store, self.port, self.name = store, free_port(), name
        self.env = dict(store.env, **env)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (store.folder / f"{name}.log").open("a")
        self.process = None

    def start(self):
        self.process = subprocess.Popen([BIN, "serve", "--port", str(self.port)], env=self.env, cwd=self.store.folder,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not start")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()
        text = (self.store.folder / f"{self.name}.log").read_text()
        assert "answered 500" not in text, text[-3000:]


class Browser:
    """Cookies kept, the form token read from the last page."""

    def __init__(self, base):
        self.base, self.csrf, self.jar = base, "", http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as res:
            body = res.read().decode()
            token = re.search(r'name="_csrf" value="([^"]+)"', body)
            if token:
                self.csrf = token.group(1)
            return res.status, body

    def post(self, path, fields):
        data = urllib.parse.urlencode([("_csrf", self.csrf)] + fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data, method="POST"), timeout=60) as res:
                return res.status
        except urllib.error.HTTPError as e:
            return e.code

    def sign_in(self, email, password):
        self.get("/signin")
        return self.post("/signin", [("email", email), ("password", password), ("next", "/")])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

    def http_error_303(self, req, fp, code, msg, headers):
        return fp

    http_error_302 = http_error_303


def api(server, method, path, token, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(server.base + "/api/v1" + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=300) as res:
        return res.status, json.loads(res.read() or b"null")


def token(store, role="coordinator"):
    made = store.cli("token", "create", "--email", f"{role}@wellplan.demo")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def incident_file(folder, rows, seed=7):
    random.seed(seed)
    path = folder / "incidents.csv"
    with path.open("w") as out:
        out.write("event,occurred,category,lon,lat\n")
        for i in range(rows):
            out.write(f"E{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:15:00,Assault,"
                      f"{-79.6 + random.random() * 0.4:.6f},{43.6 + random.random() * 0.2:.6f}\n")
    return path


IMPORT = "/incidents/import?occurredAt=occurred&category=category&eventId=event&longitude=lon&latitude=lat"


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    made = Store(request.param, tmp_path)
    yield made
    made.drop()


def job_state(store, job):
    return store.sql(f"SELECT state, attempts, error, progress FROM jobs WHERE id = '{job}'")[0]


def test_sign_ins_pages_and_writes_answer_while_a_200000_row_import_writes(store):
    """The server goes on serving while the import's job writes: signing in, reading pages, saving a record and
    following the job, whose progress moves; nothing waits for the whole file, nothing answers 500."""
    rows = 200_000
    csv = incident_file(store.folder, rows)
    server = Server(store).start()
    try:
        coordinator = token(store)
        status, body = api(server, "POST", IMPORT, coordinator, csv.read_bytes(), "text/csv")
        assert status == 202
        job = body["job"]
        rounds, progress, slowest = 0, [], 0.0
        while True:
            _, view = api(server, "GET", f"/jobs/{job}", coordinator)
            if view["state"] not in ("queued", "running"):
                break
            started = time.monotonic()
            browser = Browser(server.base)
            assert browser.sign_in("coordinator@wellplan.demo", store.passwords["coordinator"]) == 303
            assert browser.get("/plans")[0] == 200
            assert browser.get(f"/jobs/{job}")[0] == 200
            assert browser.post("/organizations", [("nameEn", f"Agency {rounds}"), ("sector", "police")]) == 303
            status, _ = api(server, "POST", "/organizations", coordinator, {"nameEn": f"API agency {rounds}", "sector": "health"})
            assert status == 201
            slowest = max(slowest, time.monotonic() - started)
            progress.append(view["progress"])
            rounds += 1
        assert view["state"] == "succeeded", view
        assert view["result"].startswith(f"{rows} rows: {rows} added"), view
        assert rounds >= 3, "the import ended before the server could be used meanwhile"
        assert any(0 < p < 1 for p in progress), progress
        print(f"{store.kind}: {rounds} rounds of sign-in, two pages and two writes during the import; slowest {slowest:.2f} s")
        assert int(store.one("SELECT COUNT(*) FROM incidents")) == rows
    finally:
        server.stop()


def test_a_killed_import_leaves_nothing_and_completes_after_a_restart(store):
    rows = 150_000
    before = int(store.one("SELECT COUNT(*) FROM incidents"))
    csv = incident_file(store.folder, rows)
    server = Server(store).start()
    try:
        status, body = api(server, "POST", IMPORT, token(store), csv.read_bytes(), "text/csv")
        assert status == 202
        job = body["job"]
        # Mid-way: the job's rows are staged, not yet moved.
        wait_for(lambda: float(job_state(store, job)[3]) > 0.2, 300, "the import to write")
        server.kill()
    finally:
        if server.process.poll() is None:
            server.kill()
    state, attempts, _, _ = job_state(store, job)
    assert (state, attempts) == ("running", "1"), "the import finished before it could be interrupted"
    assert int(store.one("SELECT COUNT(*) FROM incidents")) == before
    server = Server(store).start()
    try:
        wait_for(lambda: job_state(store, job)[0] in ("succeeded", "failed"), 600, "the job to be taken up again")
        state, attempts, error, _ = job_state(store, job)
        assert (state, attempts) == ("succeeded", "2"), error
        assert int(store.one("SELECT COUNT(*) FROM incidents")) == before + rows
        assert int(store.one("SELECT COUNT(DISTINCT row_key) FROM incidents")) == before + rows
    finally:
        server.stop()


def test_backups_taken_while_an_import_writes_each_restore_exactly(store):
    """Each backup holds the database at one moment: the import's rows all or none, never some twice."""
    rows = 100_000
    before = int(store.one("SELECT COUNT(*) FROM incidents"))
    csv = incident_file(store.folder, rows, seed=3)
    server = Server(store).start()
    backups = []
    try:
        status, body = api(server, "POST", IMPORT, token(store), csv.read_bytes(), "text/csv")
        assert status == 202
        job = body["job"]
        while job_state(store, job)[0] in ("queued", "running") or len(backups) < 2:
            backup = store.folder / f"during-{len(backups)}.jsonl"
            made = store.cli("backup", str(backup))
            assert made.returncode == 0, made.stderr
            backups.append(backup)
        assert job_state(store, job)[0] == "succeeded"
        after = store.folder / "after.jsonl"
        assert store.cli("backup", str(after)).returncode == 0
        backups.append(after)
    finally:
        server.stop()
    seen = set()
    # At most eight of them, the last (taken after the import) among them.
    chosen = sorted(set(backups[::max(1, len(backups) // 8)] + backups[-1:]))
    for i, backup in enumerate(chosen):
        target = Store.empty(store.kind, store.folder / f"restored-{i}")
        try:
            done = target.cli("restore", str(backup))
            assert done.returncode == 0, done.stderr
            incidents = int(target.one("SELECT COUNT(*) FROM incidents"))
            assert incidents in (before, before + rows), incidents
            assert int(target.one("SELECT COUNT(DISTINCT row_key) FROM incidents")) == incidents
            seen.add(incidents)
        finally:
            target.drop()
    assert before + rows in seen


def test_a_killed_backup_is_refused_and_the_restarted_server_writes_it_whole(store):
    store.add_incidents(250_000)
    expected = store.counts()
    server = Server(store).start()
    try:
        browser = Browser(server.base)
        assert browser.sign_in("admin@wellplan.demo", store.passwords["admin"]) == 303
        browser.get("/")
        assert browser.post("/backups", []) == 303
        job = store.one("SELECT id FROM jobs WHERE kind = 'backup'")
        folder = store.folder / "backups"
        partial = lambda: [p for p in folder.glob(".*.partial") if p.stat().st_size > 2_000_000] if folder.exists() else []
        wait_for(lambda: partial(), 300, "the backup to be half written")
        cut = partial()[0]
        server.kill()
        kept = store.folder / "cut.jsonl"
        cut.rename(kept)
        assert not list(folder.glob("*.jsonl")), "a backup stopped part way left a file under its final name"
        refused = store.cli("restore", str(kept))
        assert refused.returncode == 1 and "the backup did not finish" in refused.stdout + refused.stderr
        # Nothing changed but the log: each attempt of the backup records itself before it copies anything.
        assert store.counts() == dict(expected, audit_entries=expected["audit_entries"] + 1)

        server.start()
        wait_for(lambda: job_state(store, job)[0] in ("succeeded", "failed"), 600, "the backup to be taken up again")
        state, attempts, error, _ = job_state(store, job)
        assert (state, attempts) == ("succeeded", "2"), error
        [whole] = list(folder.glob("*.jsonl"))
    finally:
        server.stop()
    # The whole file restores into an empty database row for row.
    target = Store.empty(store.kind, store.folder / "restored")
    try:
        done = target.cli("restore", str(whole))
        assert done.returncode == 0, done.stderr
        counts = target.counts()
        counts["audit_entries"] -= 3  # the two attempts' entries and the restore's own
        assert counts == expected
    finally:
        target.drop()


def test_a_killed_restore_changes_nothing(store):
    store.add_incidents(200_000)
    at_backup = store.counts()
    backup = store.folder / "whole.jsonl"
    assert store.cli("backup", str(backup)).returncode == 0
    # The database moves on after the backup, so a restore that took, even in part, would show.
    store.sql("DELETE FROM incident_areas")
    store.sql("DELETE FROM incidents WHERE row_key LIKE 'k1%'")
    before = store.counts()
    assert before != at_backup
    command = subprocess.Popen([BIN, "restore", str(backup)], env=dict(store.env, WELLPLAN_JOBS="off"), cwd=store.folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen, shown = "", []
    while True:
        chunk = command.stderr.read(64)
        if not chunk:
            break
        seen += chunk
        shown = [int(p) for p in re.findall(r"(\d+)%", seen)]
        if shown and 30 <= shown[-1] < 100:
            break
    command.send_signal(signal.SIGKILL)
    command.wait()
    assert shown and shown[-1] < 100, "the restore finished before it could be interrupted: " + seen[-200:]
    assert store.counts() == before
    done = store.cli("restore", str(backup))
    assert done.returncode == 0, done.stderr
    after = store.counts()
    after["audit_entries"] -= 2  # the backup's entry (it records itself before its snapshot) and the restore's own
    assert after == at_backup


def test_a_killed_report_build_completes_after_a_restart(store):
    store.add_incidents(300_000)
    coordinator = token(store)
    server = Server(store).start()
    try:
        status, plan = api(server, "POST", "/plans", coordinator, {
            "titleEn": "Plan for the kill test", "municipality": "Testville", "termStart": "2024-01-01", "termEnd": "2027-12-31",
            "status": "draft"})
        assert status == 201
        request = {"kind": "annual-progress", "subjectId": plan["id"], "from": "2025-01-01", "to": "2025-12-31"}
        for attempt in range(10):
            status, body = api(server, "POST", "/reports", coordinator, request)
            assert status == 202
            job, report = body["job"], body["report"]["id"]
            wait_for(lambda: job_state(store, job)[0] != "queued", 120, "the build to start")
            server.kill()
            if job_state(store, job)[0] == "running":
                break
            server.start()
        else:
            raise AssertionError("every build finished before it could be interrupted")
        server.start()
        wait_for(lambda: job_state(store, job)[0] in ("succeeded", "failed"), 600, "the build to be taken up again")
        state, attempts, error, _ = job_state(store, job)
        assert (state, attempts) == ("succeeded", "2"), error
        assert store.one(f"SELECT state FROM reports WHERE id = '{report}'") == "draft"
    finally:
        server.stop()
