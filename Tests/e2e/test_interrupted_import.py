"""An incident import killed mid-way: the server goes on answering while its job writes, is then stopped
with SIGKILL, nothing of the import remains, and the restarted server takes the job up again and completes it."""
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request

BIN = os.environ["WELLPLAN_BIN"]
DEMO = os.environ["WELLPLAN_DEMO_DB"]
ROWS = 150_000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query(db, sql):
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()


def serve(db, port, log):
    env = dict(os.environ, WELLPLAN_DATABASE_PATH=db)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([BIN, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("waited in vain for " + what)


def test_a_killed_import_leaves_nothing_and_completes_after_a_restart(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    with sqlite3.connect(DEMO) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    env = dict(os.environ, WELLPLAN_DATABASE_PATH=db, WELLPLAN_JOBS="off")
    env.pop("DATABASE_URL", None)
    token = subprocess.run([BIN, "token", "create", "--email", "coordinator@wellplan.demo"], env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    before = query(db, "SELECT count(*) FROM incidents")[0]

    random.seed(7)
    csv = tmp_path / "incidents.csv"
    with csv.open("w") as out:
        out.write("event,occurred,category,lon,lat\n")
        for i in range(ROWS):
            out.write(f"E{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:15:00,Assault,"
                      f"{-79.6 + random.random() * 0.4:.6f},{43.6 + random.random() * 0.2:.6f}\n")

    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = serve(db, port, log)
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/incidents/import?occurredAt=occurred&category=category&eventId=event"
            "&longitude=lon&latitude=lat", data=csv.read_bytes(), method="POST",
            headers={"Authorization": "Bearer " + token, "Content-Type": "text/csv"})
        with urllib.request.urlopen(request, timeout=300) as response:
            assert response.status == 202
            job = json.loads(response.read())["job"]

        # Mid-way: the job's transaction has written new rows to the write-ahead log, not yet committed.
        log_file = db + "-wal"
        wait_for(lambda: os.path.exists(log_file) and os.path.getsize(log_file) > 4_000_000, 120, "the import to write")
        assert query(db, f"SELECT state FROM jobs WHERE id = '{job}'")[0] == "running"
        # Meanwhile the server goes on answering: the job's connection is not one that requests wait for.
        for _ in range(6):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
                assert health.status == 200
        server.send_signal(signal.SIGKILL)
        server.wait()
    finally:
        if server.poll() is None:
            server.kill()

    state, attempts = query(db, f"SELECT state, attempts FROM jobs WHERE id = '{job}'")
    assert (state, attempts) == ("running", 1), "the import finished before it could be interrupted"
    assert query(db, "SELECT count(*) FROM incidents")[0] == before

    server = serve(db, port, log)
    try:
        wait_for(lambda: query(db, f"SELECT state FROM jobs WHERE id = '{job}'")[0] in ("succeeded", "failed"), 300,
                 "the job to be taken up again")
        state, attempts, error = query(db, f"SELECT state, attempts, error FROM jobs WHERE id = '{job}'")
        assert (state, attempts, error) == ("succeeded", 2, None)
        assert query(db, "SELECT count(*) FROM incidents")[0] == before + ROWS
    finally:
        server.terminate()
        server.wait()
