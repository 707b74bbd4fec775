"""Pages before and after they read by the set: the plan page, a table's page and two lists, served by two
release binaries in turn on copies of one demo database grown to 100 projects and 300 members."""
import json
import os
import re
import shutil
import subprocess
import urllib.request

PROJECTS = 100
MEMBERS = 300


def api(base, token, method, path, body=None):
    request = urllib.request.Request(base + "/api/v1/" + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def grow(base, token):
    """Adds projects, each with an output, an activity and an action item, and members to one table."""
    plan = api(base, token, "GET", "plans")["items"][-1]["id"]
    table = next(t for t in api(base, token, "GET", "tables?per=200")["items"] if t["kind"] == "situation_table")["id"]
    for i in range(PROJECTS):
        project = api(base, token, "POST", "projects", {"planId": plan, "titleEn": f"Bench project {i}", "status": "active"})["id"]
        api(base, token, "POST", "outputs", {"projectId": project, "level": "output", "statementEn": "Reached",
                                             "computedFrom": "people_reached", "target": 100})
        api(base, token, "POST", "activities", {"projectId": project, "occurredOn": "2025-03-01", "summaryEn": "Visit", "peopleReached": 9})
        api(base, token, "POST", "action-items", {"projectId": project, "kind": "next_step", "descriptionEn": f"Step {i}", "status": "open"})
    for i in range(MEMBERS):
        org = api(base, token, "POST", "organizations", {"nameEn": f"Bench agency {i}", "sector": "health"})["id"]
        person = api(base, token, "POST", "people", {"name": f"Bench member {i}", "organizationId": org})["id"]
        api(base, token, "POST", "memberships", {"tableId": table, "personId": person, "organizationId": org, "role": "member"})
    return plan, table


def measure(binaries, work, port, Server, wrk, sign_in):
    """`binaries`: label → path, the first of which grows the database. Each serves a copy of it in turn."""
    first = next(iter(binaries.values()))
    env = {"DATABASE_URL": "", "WELLPLAN_DATABASE_PATH": "wellplan-demo.sqlite", "WELLPLAN_JOBS": "off"}
    demo = Server([first, "demo", "--port", str(port)], work, port, env)
    demo.stop()
    server = Server([first, "serve", "--port", str(port)], work, port, env)
    token = subprocess.check_output([first, "token", "create", "--email", "admin@wellplan.demo"], cwd=work,
                                    env={**os.environ, **env}, text=True).strip().splitlines()[-1]
    base = f"http://127.0.0.1:{port}"
    plan, table = grow(base, token)
    server.stop()
    pages = {"plan page": f"/plans/{plan}", "a table's page (300 members)": f"/tables/{table}",
             "memberships list": "/memberships", "projects list": "/projects"}
    results = {}
    for label, binary in binaries.items():
        folder = os.path.join(work, label)
        os.makedirs(folder, exist_ok=True)
        for suffix in ("", "-wal", "-shm", ".audit-anchor"):
            if os.path.exists(os.path.join(work, "wellplan-demo.sqlite" + suffix)):
                shutil.copy(os.path.join(work, "wellplan-demo.sqlite" + suffix), os.path.join(folder, "wellplan-demo.sqlite" + suffix))
        server = Server([binary, "serve", "--port", str(port)], folder, port, env)
        cookie = sign_in(base)
        results[label] = {page: wrk(base + path, [cookie]) for page, path in pages.items()}
        server.stop()
    return results


def lines(results, commits):
    labels = sorted(results, key=lambda label: label != "before")
    pages = list(results[labels[0]])
    out = [
        "## Pages before and after the records redesign (reads by the set, fields by key path)",
        "",
        f"The demo region grown through the API to {PROJECTS} more projects (each with an output computed from its activities, an "
        f"activity and an action item) and {MEMBERS} more members at the situation table, served in turn by two release builds "
        f"on copies of the same SQLite file: {commits}. `wrk -t2 -c32 -d10s`, signed in as the coordinator.",
        "",
        "| page | " + " | ".join(f"{label}: req/s, p50" for label in labels) + " | after ÷ before |",
        "|---|" + "---|" * (len(labels) + 1),
    ]
    for page in pages:
        cells = [f"{results[label][page]['rps']:,.0f}, {results[label][page]['p50']:.1f} ms" for label in labels]
        ratio = results["after"][page]["rps"] / results["before"][page]["rps"]
        errors = sum(results[label][page]["errors"] for label in labels)
        out.append(f"| {page} | " + " | ".join(cells) + f" | {ratio:.1f}× |" + (f" ({errors} non-2xx)" if errors else ""))
    out.append("")
    return out
