"""Several servers on one database, each with an uploads folder of its own, as a municipality runs them behind
a load balancer: an import uploaded to one server is run by another's worker with exactly its rows, and a
code-list edit made on one server is in force on the other within a second. On SQLite and on PostgreSQL."""
import json
import time
import urllib.request

# `store` is test_durability's fixture: a database of the test's own, on SQLite and on PostgreSQL.
from test_durability import IMPORT, Server, api, incident_file, job_state, store, token, wait_for  # noqa: F401


def two_servers(store, jobs_on_first="on"):
    """Two servers on the store's database, each with an uploads folder of its own; the second always runs jobs."""
    first = Server(store, "first", WELLPLAN_UPLOADS=str(store.folder / "first-uploads"), WELLPLAN_JOBS=jobs_on_first)
    second = Server(store, "second", WELLPLAN_UPLOADS=str(store.folder / "second-uploads"))
    return first.start(), second.start()


def files_in(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_an_import_uploaded_to_one_server_is_run_by_the_other(store):
    first, second = two_servers(store, jobs_on_first="off")
    try:
        rows = 3000
        csv = incident_file(store.folder, rows)
        # The SQLite store is a copy of the demo, which holds incidents of its own.
        before = int(store.one("SELECT COUNT(*) FROM incidents"))
        status, body = api(first, "POST", IMPORT, token(store), csv.read_bytes(), "text/csv")
        assert status == 202, body
        job = body["job"]
        wait_for(lambda: job_state(store, job)[0] == "succeeded", 300, "the second server to run the import")

        claimed_by = store.one(f"SELECT claimed_by FROM jobs WHERE id = '{job}'")
        assert str(second.process.pid) in claimed_by.split("/")[0], claimed_by
        assert int(store.one("SELECT COUNT(*) FROM incidents")) == before + rows
        # The upload went from the first server's folder into the database, and the second's copy is gone.
        assert files_in(store.folder / "first-uploads") == []
        assert files_in(store.folder / "second-uploads") == []
    finally:
        first.stop()
        second.stop()


def test_a_code_list_edit_on_one_server_is_in_force_on_the_other_within_a_second(store):
    first, second = two_servers(store)
    try:
        admin = token(store, "admin")
        code = "e2e_flag_from_the_second_server"

        def offered_by_first():
            request = urllib.request.Request(first.base + "/api/v1/code-lists/study_flags",
                                             headers={"Authorization": "Bearer " + admin})
            with urllib.request.urlopen(request, timeout=10) as res:
                entries = json.loads(res.read())["list"]["entries"]
                return code in [entry["code"] for entry in entries]

        assert not offered_by_first()
        edit = {"code": code, "en": "From the second server", "fr": "Du deuxième serveur", "provisional": True}
        status, _ = api(second, "POST", "/code-lists/study_flags/entries", admin, edit)
        assert status == 201
        made = time.monotonic()
        wait_for(offered_by_first, 5, "the first server to offer the edited list")
        # The watch reads the lists again four times a second; a second leaves room for a busy machine.
        assert time.monotonic() - made < 1.0
    finally:
        first.stop()
        second.stop()
