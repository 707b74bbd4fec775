"""The command line on a copy of the demo database: audit verify finds tampering; backup and restore round-trip."""
import os
import sqlite3
import subprocess

BIN = os.environ["WELLPLAN_BIN"]
DEMO = os.environ["WELLPLAN_DEMO_DB"]


def copy_of_demo(db):
    """The running demo writes ahead to a log: a copy through SQLite's backup takes what the log holds too."""
    with sqlite3.connect(DEMO) as source, sqlite3.connect(db) as copy:
        source.backup(copy)


def wellplan(db, *args, stdin=""):
    env = dict(os.environ, WELLPLAN_DATABASE_PATH=db, WELLPLAN_JOBS="off")
    env.pop("DATABASE_URL", None)
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)


def test_audit_verify_reports_the_first_broken_link(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    ok = wellplan(db, "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert "intact" in ok.stdout
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_entries SET actor_label = 'mallory' WHERE seq = 7")
    broken = wellplan(db, "audit", "verify")
    assert broken.returncode == 1
    assert "broken at entry 7" in broken.stdout + broken.stderr


def test_backup_restore_round_trip_and_user_creation(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    created = wellplan(db, "user", "create", "--email", "new@wellplan.demo", "--name", "New Person", "--role", "member")
    assert created.returncode == 0, created.stderr
    assert "Password (shown once)" in created.stdout
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    backup = wellplan(db, "backup", str(first))
    assert backup.returncode == 0, backup.stderr
    assert "%" in backup.stderr  # the progress bar
    fresh = str(tmp_path / "fresh.sqlite")
    assert wellplan(fresh, "migrate").returncode == 0
    restored = wellplan(fresh, "restore", str(first))
    assert restored.returncode == 0, restored.stderr
    assert wellplan(fresh, "backup", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    bad = wellplan(fresh, "restore", str(tmp_path / "a.jsonl") + ".missing")
    assert bad.returncode == 1


def test_report_writes_every_format_and_says_what_is_wrong(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    md = wellplan(db, "report", "working-group-update", "--to", "2025-12-02", "--format", "md")
    assert md.returncode == 0, md.stderr
    assert "Working group update, October 1, 2025 to December 2, 2025" in md.stdout
    assert "Attended **3** community events from October 9, 2025 to November 13, 2025" in md.stdout
    assert "100%" in md.stderr  # the progress bar
    ambiguous = wellplan(db, "report", "annual-progress")
    assert ambiguous.returncode == 1 and "choose one with --subject" in ambiguous.stderr + ambiguous.stdout
    with sqlite3.connect(db) as conn:
        plan = conn.execute("SELECT id FROM plans WHERE municipality LIKE 'Windsor%'").fetchone()[0]
    for fmt, magic in (("pdf", b"%PDF"), ("csv", b"PK\x03\x04"), ("html", b"<!doctype html>")):
        out = tmp_path / f"report.{fmt}"
        made = wellplan(db, "report", "annual-progress", "--subject", plan, "--from", "2025-01-01", "--to", "2025-12-31",
                        "--format", fmt, "--lang", "fr", "--output", str(out))
        assert made.returncode == 0, made.stderr
        assert out.read_bytes().startswith(magic)
    assert "Rapport d'étape" in (tmp_path / "report.html").read_text()
    bad = wellplan(db, "report", "annual-progress", "--subject", plan, "--from", "2025-13-01")
    assert bad.returncode == 1 and "--from: must be a date written YYYY-MM-DD" in bad.stderr + bad.stdout
    missing = subprocess.run([BIN, "report", "annual-progress", "--subject", plan, "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
                             capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, WELLPLAN_DATABASE_PATH=db, WELLPLAN_JOBS="off", WELLPLAN_CHROMIUM="/nonexistent"))
    assert missing.returncode == 1 and "apt-get install chromium" in missing.stderr + missing.stdout
