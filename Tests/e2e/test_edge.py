"""The HTTP edge and the accounts against a real server, as an attacker would meet them: bodies it will not take,
forms built to be slow to parse, e-mails probed for accounts, and an audit log rewritten behind its back."""

import hashlib
import http.client
import sqlite3
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from test_durability import Browser, Server, Store

MIB = 1024 * 1024


@pytest.fixture
def server(tmp_path):
    store = Store("sqlite", tmp_path)
    running = Server(store).start()
    yield running
    running.stop()


def peak_memory(server):
    """The server process's peak resident memory so far, in bytes (VmHWM)."""
    with open(f"/proc/{server.process.pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def send(server, path, size, chunked, cookie=""):
    """A multipart body of `size` bytes, announced by its length or sent in chunks without one; the status,
    or None when the server closed the connection before reading it all (as it may, having refused it)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    boundary = "edge"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()
    piece = b"x" * MIB

    def body():
        yield head
        for _ in range(size // MIB):
            yield piece
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie}
    try:
        if chunked:
            conn.request("POST", path, body=body(), headers=headers, encode_chunked=True)
        else:
            headers["Content-Length"] = str(len(head) + size // MIB * MIB + len(f"\r\n--{boundary}--\r\n"))
            conn.request("POST", path, body=body(), headers=headers)
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return None
    finally:
        conn.close()


def test_anonymous_40_mib_posts_do_not_raise_peak_memory_by_10_mb(server):
    browser = Browser(server.base)
    browser.get("/signin")
    browser.get("/public")
    cookie = form_cookie(browser)
    before = peak_memory(server)
    statuses = []

    def attack(path, chunked):
        statuses.append(send(server, path, 40 * MIB, chunked, cookie))

    threads = [threading.Thread(target=attack, args=(path, chunked))
               for path in ("/signin", "/incidents/import", "/plans/00000000-0000-4000-8000-000000000000/observations/import")
               for chunked in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    grown = peak_memory(server) - before
    assert all(status in (None, 403, 413) for status in statuses), statuses
    assert grown < 10 * MIB, f"peak memory grew by {grown / MIB:.1f} MiB"
    assert browser.get("/healthz")[0] == 200


def timed(call, times=5):
    """The fastest of a few runs, in seconds: the machine's noise only ever adds."""
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def raw_post(server, path, body, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def form_cookie(browser):
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def test_40000_repeated_keys_answer_in_under_50_ms_signed_in_or_not(server):
    anonymous = Browser(server.base)
    anonymous.get("/signin")
    signed_in = Browser(server.base)
    assert signed_in.sign_in("coordinator@wellplan.demo", server.store.passwords["coordinator"]) == 303
    signed_in.get("/organizations/new")
    for browser, path in ((anonymous, "/signin"), (signed_in, "/organizations")):
        body = (f"_csrf={browser.csrf}&" + "a=1&" * 40_000).encode()
        cookie = form_cookie(browser)
        assert raw_post(server, path, body, cookie) == 413
        assert timed(lambda: raw_post(server, path, body, cookie)) < 0.05, path
    # A long query string is refused unread too.
    long_query = "/public?" + "a=1&" * 15_000
    assert timed(lambda: urllib_status(server, long_query)) < 0.05
    assert urllib_status(server, long_query) == 414


def urllib_status(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def test_an_unknown_email_takes_as_long_as_a_wrong_password(server):
    def attempt(email):
        return lambda: Browser(server.base).sign_in(email, "not the password at all")

    known = [timed(attempt("admin@wellplan.demo"), times=1) for _ in range(3)]
    unknown = [timed(attempt(f"nobody{i}@wellplan.demo"), times=1) for i in range(3)]
    # Both check a bcrypt hash; before, the unknown e-mail answered some thirty times sooner.
    assert statistics.median(unknown) > 0.6 * statistics.median(known), (known, unknown)


def copy(source, target):
    with sqlite3.connect(source) as a, sqlite3.connect(target) as b:
        a.backup(b)


def audit_hash(entry):
    fields = [str(entry["seq"]), entry["at"], entry["actor_id"] or "", entry["actor_label"], entry["action"], entry["subject"],
              entry["record_id"] or "", entry["before"] or "", entry["after"] or "", entry["prev_hash"]]
    canonical = "|".join(f"{len(f.encode())}:{f}" for f in fields)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_audit_verify_finds_a_log_cut_short_or_chained_anew(tmp_path):
    store = Store("sqlite", tmp_path)
    # A command that writes leaves the log's head anchored beside the database as it ends.
    assert store.cli("user", "create", "--email", "new@wellplan.demo", "--name", "New", "--role", "member",
                     stdin="a long enough password").returncode == 0
    verified = store.cli("audit", "verify")
    assert verified.returncode == 0, verified.stderr
    pristine = tmp_path / "pristine.sqlite"
    copy(store.path, pristine)

    with sqlite3.connect(store.path) as db:
        db.execute("DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)")
    cut = store.cli("audit", "verify")
    assert cut.returncode != 0 and "cut short or chained anew" in cut.stderr + cut.stdout

    copy(pristine, store.path)
    assert store.cli("audit", "verify").returncode == 0
    with sqlite3.connect(store.path) as db:
        db.row_factory = sqlite3.Row
        entries = [dict(row) for row in db.execute("SELECT * FROM audit_entries ORDER BY seq")]
        entries[2]["after"] = '{"forged":true}'
        previous = "0" * 64
        for entry in entries:
            entry["prev_hash"] = previous
            entry["hash"] = previous = audit_hash(entry)
            db.execute("UPDATE audit_entries SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                       (entry["after"], entry["prev_hash"], entry["hash"], entry["seq"]))
    rechained = store.cli("audit", "verify")
    assert rechained.returncode != 0 and "cut short or chained anew" in rechained.stderr + rechained.stdout


def test_accounts_are_managed_from_the_command_line(tmp_path):
    store = Store("sqlite", tmp_path)
    person = store.one("SELECT id FROM people LIMIT 1")
    made = store.cli("user", "create", "--email", "sam@wellplan.demo", "--name", "Sam", "--role", "member", stdin="")
    assert made.returncode == 0 and "Password (shown once)" in made.stdout, made.stderr
    linked = store.cli("user", "link", "--email", "sam@wellplan.demo", "--person", person)
    assert linked.returncode == 0 and person.lower() in linked.stdout.lower(), linked.stdout + linked.stderr
    token = store.cli("token", "create", "--email", "sam@wellplan.demo", "--label", "script", "--days", "7").stdout.strip()
    running = Server(store).start()
    try:
        request = urllib.request.Request(running.base + "/api/v1/projects", headers={"Authorization": "Bearer " + token})
        assert urllib.request.urlopen(request, timeout=30).status == 200
        listed = store.cli("token", "list", "--email", "sam@wellplan.demo").stdout
        token_id = listed.split("\t")[0]
        assert "script" in listed and token not in listed
        assert store.cli("token", "revoke", "--email", "sam@wellplan.demo", "--id", token_id).returncode == 0
        try:
            urllib.request.urlopen(request, timeout=30)
            raise AssertionError("a revoked token still signs in")
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
        assert store.cli("user", "disable", "--email", "sam@wellplan.demo").returncode == 0
        assert "sam@wellplan.demo\tmember\tdisabled" in store.cli("user", "list").stdout
        last = store.cli("user", "disable", "--email", "admin@wellplan.demo")
        assert last.returncode != 0 and "last active admin" in last.stderr + last.stdout
    finally:
        running.stop()
