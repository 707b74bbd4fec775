"""Backup and restore of a region with a million incidents (release build): wall time and peak memory of
`wellplan backup` and `wellplan restore`, beside what SQLite and PostgreSQL give for the same data (`sqlite3 .backup`,
`.dump` read back by `sqlite3`; `pg_dump` read back by `psql`)."""
import os
import subprocess
import time

INCIDENTS = 1_000_000


def run(args, env, cwd, stdin=None, stdout=None):
    """Seconds and peak RSS (MiB) of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=cwd, stdin=stdin, stdout=stdout or subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


SQLITE_FILL = f"""WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {INCIDENTS})
    INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, longitude, latitude, import_id)
    SELECT printf('%08X-0000-4000-8000-%012X', n, n), 'k' || n, 'E' || n, 'theft', '2025-03-01T12:00:00.000Z', '2025-03-01',
    -79.4 + (n % 1000) / 5000.0, 43.7, '00000000-0000-4000-8000-000000000000' FROM s"""

POSTGRES_FILL = f"""INSERT INTO incidents (id, row_key, event_id, category, occurred_at, occurred_on, longitude, latitude, import_id)
    SELECT (lpad(to_hex(n), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'k' || n, 'E' || n, 'theft',
    '2025-03-01T12:00:00.000Z', '2025-03-01', -79.4 + (n % 1000) / 5000.0, 43.7, '00000000-0000-4000-8000-000000000000'
    FROM generate_series(1, {INCIDENTS}) n"""


def migrate(binary, env, cwd):
    subprocess.check_call([binary, "migrate"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(binary, work, postgres):
    folder = os.path.join(work, "backup")
    os.makedirs(folder, exist_ok=True)
    results = {}
    # SQLite
    path = os.path.join(folder, "region.sqlite")
    env = {**os.environ, "DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": path, "WELLPLAN_JOBS": "off"}

    def sqlite_sql(statement):
        subprocess.run(["sqlite3", path], input=statement + ";\n", text=True, check=True)

    migrate(binary, env, folder)
    sqlite_sql(SQLITE_FILL)
    file = os.path.join(folder, "region.jsonl")
    backup = run([binary, "backup", file], env, folder)
    empty = {**env, "WELLPLAN_DATABASE_PATH": os.path.join(folder, "restored.sqlite")}
    migrate(binary, empty, folder)
    restore = run([binary, "restore", file], empty, folder)
    floor = run(["sqlite3", path, f".backup {os.path.join(folder, 'copy.sqlite')}"], env, folder)
    dump_file = os.path.join(folder, "dump.sql")
    with open(dump_file, "w") as out:
        dump = run(["sqlite3", path, ".dump"], env, folder, stdout=out)
    with open(dump_file) as source:
        reload = run(["sqlite3", os.path.join(folder, "reloaded.sqlite")], env, folder, stdin=source)
    results["SQLite"] = {"backup": backup, "restore": restore, "size": os.path.getsize(file) / 2**20,
                         "native": [("`sqlite3 .backup` (a page copy)", floor), ("`sqlite3 .dump`", dump), ("`sqlite3` reading that dump", reload)]}
    # PostgreSQL, in a schema of its own
    schema = "bench_backup"
    pg = {**os.environ, "DATABASE_URL": postgres, "WELLPLAN_DATABASE_SCHEMA": schema, "WELLPLAN_JOBS": "off"}
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_restored CASCADE"],
                   check=True, capture_output=True)

    def postgres_sql(statement):
        subprocess.run(["psql", postgres, "-qc", f"SET search_path TO {schema}; {statement}"], check=True, capture_output=True)

    migrate(binary, pg, folder)
    postgres_sql(POSTGRES_FILL)
    file = os.path.join(folder, "region-pg.jsonl")
    backup = run([binary, "backup", file], pg, folder)
    restored = {**pg, "WELLPLAN_DATABASE_SCHEMA": schema + "_restored"}
    migrate(binary, restored, folder)
    restore = run([binary, "restore", file], restored, folder)
    dump_file = os.path.join(folder, "pg.sql")
    dump = run(["pg_dump", postgres, "-n", schema, "-f", dump_file], pg, folder)
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True, capture_output=True)
    reload = run(["psql", postgres, "-q", "-f", dump_file], pg, folder)
    results["PostgreSQL"] = {"backup": backup, "restore": restore, "size": os.path.getsize(file) / 2**20,
                             "native": [("`pg_dump` of the schema", dump), ("`psql` reading that dump", reload)]}
    subprocess.run(["psql", postgres, "-qc", f"DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_restored CASCADE"],
                   capture_output=True)
    return results


def lines(results):
    out = [
        f"## Backup and restore of a region with {INCIDENTS:,} incidents",
        "",
        f"The database after `migrate`, with {INCIDENTS:,} incidents written straight into it; release build, one run each. "
        "`wellplan backup` reads every table from one snapshot, a page at a time, and writes JSON lines with an end line "
        "(counts, SHA-256, the audit head); `wellplan restore` reads the file through once to check it, then again to write it in "
        "one transaction. Peak memory is the process's maximum resident set.",
        "",
        "| database | what | time | peak memory |",
        "|---|---|---|---|",
    ]
    for database, r in results.items():
        out.append(f"| {database} | `wellplan backup` ({r['size']:.0f} MiB file) | {r['backup'][0]:.1f} s | {r['backup'][1]:.0f} MiB |")
        out.append(f"| {database} | `wellplan restore` into an empty database | {r['restore'][0]:.1f} s | {r['restore'][1]:.0f} MiB |")
        for label, (seconds, rss) in r["native"]:
            out.append(f"| {database} | {label} | {seconds:.1f} s | {rss:.0f} MiB |")
    out += [
        "",
        "Memory stays flat: the file is written and read a page or a megabyte at a time (before, restore read the whole file "
        "into memory: a 214 MB backup took 600 MB). The native tools copy one kind of database; the backup is the same "
        "for both, so a region moves from SQLite to PostgreSQL and back.",
        "",
    ]
    return out
