"""The command line on a copy of the demo database: audit verify finds tampering; backup and restore round-trip."""
import html
import os
import sqlite3
import subprocess

BIN = os.environ["WELLPLAN_BIN"]
DEMO = os.environ["WELLPLAN_DEMO_DB"]
DATA = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


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


EXCLUDED = {"_fluent_migrations", "sessions", "sign_in_attempts", "jobs", "pending_imports", "incident_imports",
            "discussion_compartments"}


def counts(db):
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables if t not in EXCLUDED}


def test_backup_restore_round_trip_and_user_creation(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    created = wellplan(db, "user", "create", "--email", "new@wellplan.demo", "--name", "New Person", "--role", "member")
    assert created.returncode == 0, created.stderr
    assert "Password (shown once)" in created.stdout
    first = tmp_path / "a.jsonl"
    backup = wellplan(db, "backup", str(first))
    assert backup.returncode == 0, backup.stderr
    assert "%" in backup.stderr  # the progress bar
    assert not list(tmp_path.glob(".*.partial"))
    fresh = str(tmp_path / "fresh.sqlite")
    assert wellplan(fresh, "migrate").returncode == 0
    restored = wellplan(fresh, "restore", str(first))
    assert restored.returncode == 0, restored.stderr
    # The same rows in every table, the restore's own audit entry aside.
    source, copy = counts(db), counts(fresh)
    assert source["observations"] > 0 and source["report_files"] > 0
    copy["audit_entries"] -= 1
    assert copy == source
    assert "intact" in wellplan(fresh, "audit", "verify", "--backup", str(first)).stdout
    bad = wellplan(fresh, "restore", str(tmp_path / "a.jsonl") + ".missing")
    assert bad.returncode == 1
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(first.read_bytes()[: first.stat().st_size * 2 // 3])
    refused = wellplan(fresh, "restore", str(cut))
    assert refused.returncode == 1 and "nothing restored" in refused.stdout + refused.stderr
    assert counts(fresh)["audit_entries"] == source["audit_entries"] + 1


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
    # The report's HTML escapes apostrophes as entities; the reader sees the text.
    assert "Rapport d'étape" in html.unescape((tmp_path / "report.html").read_text())
    bad = wellplan(db, "report", "annual-progress", "--subject", plan, "--from", "2025-13-01")
    assert bad.returncode == 1 and "--from: must be a date written YYYY-MM-DD" in bad.stderr + bad.stdout
    missing = subprocess.run([BIN, "report", "annual-progress", "--subject", plan, "--format", "pdf", "-o", str(tmp_path / "x.pdf")],
                             capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, WELLPLAN_DATABASE_PATH=db, WELLPLAN_JOBS="off", WELLPLAN_CHROMIUM="/nonexistent"))
    assert missing.returncode == 1 and "apt-get install chromium" in missing.stderr + missing.stdout


def test_import_incidents_through_the_web_check_and_job_all_or_nothing(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    source = os.path.join(DATA, "crime", "toronto_mci_2018.csv")
    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()[:201]
    good = tmp_path / "incidents.csv"
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = ["--occurredAt", "occurrencedate", "--category", "mci_category", "--eventId", "event_uniq_id",
               "--longitude", "long", "--latitude", "lat"]
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
    done = wellplan(db, "import", "incidents", str(good), *columns)
    assert done.returncode == 0, done.stderr
    assert "200 rows: 200 added, 0 already there" in done.stdout
    assert "%" in done.stderr  # the progress bar
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == before + 200
    again = wellplan(db, "import", "incidents", str(good), *columns)
    assert "200 rows: 0 added, 200 already there" in again.stdout, again.stderr

    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:5] + [lines[5].replace("2018-", "2018-13-", 1)] + lines[6:]) + "\n", encoding="utf-8")
    refused = wellplan(db, "import", "incidents", str(bad), *columns)
    assert refused.returncode == 1
    assert "nothing imported: line 6" in refused.stdout + refused.stderr
    missing = wellplan(db, "import", "incidents", str(good), "--category", "mci_category")
    assert "occurredAt: " in missing.stdout + missing.stderr and missing.returncode == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == before + 200


def test_import_observations_names_the_plan_and_the_line(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    with sqlite3.connect(db) as conn:
        plan = conn.execute("SELECT plan_id FROM measures WHERE code = 'feel_safe'").fetchone()[0]
    good = tmp_path / "observations.csv"
    good.write_text("measure,period,value\nfeel_safe,2026,70.1\n", encoding="utf-8")
    ambiguous = wellplan(db, "import", "observations", str(good))
    assert ambiguous.returncode == 1 and "choose one with --plan" in ambiguous.stdout + ambiguous.stderr
    done = wellplan(db, "import", "observations", str(good), "--plan", plan)
    assert done.returncode == 0, done.stderr
    assert "1 figures imported" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("measure,period,value\nfeel_safe,2027,71\nfeel_safe,20x7,72\n", encoding="utf-8")
    refused = wellplan(db, "import", "observations", str(bad), "--plan", plan)
    assert refused.returncode == 1 and "line 3" in refused.stdout + refused.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT o.period, o.value FROM observations o JOIN measures m ON m.id = o.measure_id "
            "WHERE m.code = 'feel_safe' AND o.period >= '2026' ORDER BY o.period").fetchall()
    assert rows == [("2026", 70.1)]


def test_purge_shreds_the_compartments_that_are_due(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    with sqlite3.connect(db) as conn:
        due = conn.execute("SELECT discussion_id FROM discussion_compartments WHERE wrapped_key IS NOT NULL LIMIT 1").fetchone()[0]
        conn.execute("UPDATE discussion_compartments SET shred_on = '2020-01-01' WHERE discussion_id = ?", (due,))
        kept = conn.execute("SELECT COUNT(*) FROM discussion_compartments WHERE wrapped_key IS NOT NULL").fetchone()[0] - 1
    done = wellplan(db, "purge")
    assert done.returncode == 0, done.stderr
    assert "Compartments shredded: 1." in done.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT wrapped_key, shredded_at IS NOT NULL FROM discussion_compartments WHERE discussion_id = ?", (due,)).fetchone() == (None, 1)
        assert conn.execute("SELECT COUNT(*) FROM discussion_compartments WHERE wrapped_key IS NOT NULL").fetchone()[0] == kept
    assert "Compartments shredded: 0." in wellplan(db, "purge").stdout


def test_discussions_export_then_import_gives_back_the_same_file(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    first, second = tmp_path / "rtd.csv", tmp_path / "again.csv"
    assert wellplan(db, "export", "discussions", "--output", str(first)).returncode == 0
    taken = wellplan(db, "import", "discussions", str(first))
    assert taken.returncode == 1 and "line 2: discussion_id: discussion 1 already exists" in taken.stdout + taken.stderr
    with sqlite3.connect(db) as conn:
        n = conn.execute("SELECT COUNT(*) FROM situation_discussions").fetchone()[0]
        conn.execute("DELETE FROM situation_discussions")
    done = wellplan(db, "import", "discussions", str(first))
    assert done.returncode == 0, done.stderr
    assert f"{n} discussions" in done.stdout
    assert wellplan(db, "export", "discussions", "--output", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    wrong = wellplan(db, "export", "discussions", "--table", "not-a-table")
    assert wrong.returncode == 1 and "--table not-a-table is none of these" in wrong.stdout + wrong.stderr


def test_import_responses_and_areas_as_their_pages_do(tmp_path):
    db = str(tmp_path / "copy.sqlite")
    copy_of_demo(db)
    survey = os.path.join(DATA, "surveys", "google_forms_autistica_turing", "Form_Responses_1.csv")
    ambiguous = wellplan(db, "import", "responses", survey)
    assert ambiguous.returncode == 1 and "choose one with --consultation" in ambiguous.stdout + ambiguous.stderr
    with sqlite3.connect(db) as conn:
        consultation = conn.execute("SELECT id FROM consultations ORDER BY title_en LIMIT 1").fetchone()[0]
    first = wellplan(db, "import", "responses", survey, "--consultation", consultation)
    assert first.returncode == 0, first.stderr
    assert "42 responses, 0 already there" in first.stdout
    again = wellplan(db, "import", "responses", survey, "--consultation", consultation)
    assert "0 responses, 42 already there" in again.stdout, again.stderr
    bad = wellplan(db, "import", "responses", survey, "--consultation", consultation, "--methodId", "phone")
    assert bad.returncode == 1 and "--methodId phone is not an id" in bad.stdout + bad.stderr

    boundaries = os.path.join(DATA, "boundaries", "toronto_140_Neighbourhood_Crime_Rates_Boundary_File_clean.json")
    none = wellplan(db, "import", "areas", boundaries, "--idProperty", "Hood_ID")
    assert none.returncode == 1 and "nothing to choose with --layer" in none.stdout + none.stderr
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO layers (id, name_en, layer_kind) VALUES ('6F1D3C52-0D7A-4C36-9E53-3D6C1C2B9A10', 'Toronto neighbourhoods', 'neighbourhoods')")
    wrong = wellplan(db, "import", "areas", boundaries, "--idProperty", "NoSuchProperty")
    assert wrong.returncode == 1 and "nothing imported: " in wrong.stdout + wrong.stderr
    areas = wellplan(db, "import", "areas", boundaries, "--idProperty", "Hood_ID", "--nameProperty", "Neighbourh")
    assert areas.returncode == 0, areas.stderr
    assert "140 areas" in areas.stdout
    twice = wellplan(db, "import", "areas", boundaries, "--idProperty", "Hood_ID")
    assert twice.returncode == 1 and "nothing imported: " in twice.stdout + twice.stderr and "conflict(" not in twice.stdout + twice.stderr
