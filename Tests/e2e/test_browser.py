"""A person at the keyboard: sign in, create and edit a project through the forms, switch language,
and axe-core on every kind of page with no violations."""
import re

from axe_selenium_python import Axe
from selenium.webdriver.support.ui import Select

from conftest import BASE, follow, sign_in, submit


def first_link(driver, prefix):
    return next(a.get_attribute("href") for a in driver.find_elements("css selector", "main a")
                if re.search(prefix + r"[0-9A-F-]{36}$", a.get_attribute("href") or ""))


def assert_accessible(driver, url):
    driver.get(url)
    axe = Axe(driver)
    axe.inject()
    violations = axe.run()["violations"]
    assert violations == [], f"{url}: " + "; ".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations)


def test_sign_in_shows_who_is_signed_in(driver):
    sign_in(driver, "coordinator@wellplan.demo", "wrong password")
    assert "Email or password is not right." in driver.page_source
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    assert "Casey Coordinator" in driver.find_element("css selector", "header").text


def test_create_and_edit_a_project_through_the_forms(driver):
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    driver.get(BASE + "/projects/new")
    submit(driver, "form[novalidate] button[type=submit]")
    assert "Please correct the following" in driver.page_source
    assert driver.find_element("id", "titleEn").get_attribute("aria-invalid") == "true"
    Select(driver.find_element("id", "planId")).select_by_index(1)
    driver.find_element("id", "titleEn").send_keys("Youth drop-in evenings")
    Select(driver.find_element("id", "status")).select_by_value("planned")
    submit(driver, "form[novalidate] button[type=submit]")
    assert driver.find_element("tag name", "h1").text == "Youth drop-in evenings"
    follow(driver, "Edit")
    Select(driver.find_element("id", "status")).select_by_value("active")
    title = driver.find_element("id", "titleEn")
    title.clear()
    title.send_keys("Youth drop-in evenings (weekly)")
    submit(driver, "form[novalidate] button[type=submit]")
    assert driver.find_element("tag name", "h1").text == "Youth drop-in evenings (weekly)"
    timeline = driver.find_element("xpath", "//table[caption[contains(., 'Every status change')]]").text
    assert "Planned" in timeline and "Active" in timeline


def test_the_demo_measure_saved_untouched_stays_unpublished(driver):
    """Edit → Save with nothing changed, in a real browser: the unpublished measure stays out of open data, the
    published one stays in, and nothing else about them moves."""
    import urllib.error
    from test_places import api

    measures = {m["code"]: m for m in api("GET", "/measures?per=200")["items"]}
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    for code in ("opioid_ed_visits", "feel_safe"):
        before = measures[code]
        driver.get(BASE + f"/measures/{before['id']}/edit")
        submit(driver, "form[novalidate] button[type=submit]")
        assert api("GET", f"/measures/{before['id']}") == before
    try:
        api("GET", f"/public/measures/{measures['opioid_ed_visits']['id']}")
        raise AssertionError("an unpublished measure appeared in open data")
    except urllib.error.HTTPError as e:
        assert e.code == 404


def test_language_switch_changes_every_string_and_the_page_language(driver):
    driver.delete_all_cookies()
    driver.get(BASE + "/public")
    assert driver.find_element("tag name", "html").get_attribute("lang") == "en"
    follow(driver, "Français")
    assert driver.find_element("tag name", "html").get_attribute("lang") == "fr"
    assert driver.find_element("tag name", "h1").text == "Plans publiés"
    driver.get(BASE + "/signin")  # the choice is remembered
    assert driver.find_element("tag name", "h1").text == "Connexion"
    follow(driver, "English")
    assert driver.find_element("tag name", "h1").text == "Sign in"


def test_every_page_kind_passes_axe(driver):
    driver.delete_all_cookies()
    driver.get(BASE + "/public")
    public_plan = first_link(driver, "/public/plans/")
    for url in (BASE + "/", BASE + "/public", public_plan, BASE + "/signin", BASE + "/no-such-page"):
        assert_accessible(driver, url)
    sign_in(driver, "admin@wellplan.demo", "demo-admin-password")
    driver.get(BASE + "/plans")
    plan = first_link(driver, "/plans/")
    driver.get(BASE + "/projects")
    project = first_link(driver, "/projects/")
    driver.get(BASE + "/tables")
    table = first_link(driver, "/tables/")
    driver.get(BASE + "/events")
    event = first_link(driver, "/events/")
    driver.get(BASE + "/consultations")
    consultation = first_link(driver, "/consultations/")
    driver.get(BASE + "/safety-plans")
    safety_plan = first_link(driver, "/safety-plans/")
    pages = [BASE + "/", plan, plan + "/compliance", plan + "/versions", plan + "/versions/compare?from=1&to=1",
             project, project + "/edit", table, BASE + "/organizations", BASE + "/people", BASE + "/plans",
             BASE + "/projects/new", BASE + "/audit", public_plan, BASE + "/events", event, event + "/edit", BASE + "/events/new",
             consultation, consultation + "/responses/import", consultation + "/codebook", consultation + "/coding",
             consultation + "/agreement", consultation + "/summary", consultation.replace("/consultations/", "/public/consultations/"),
             BASE + "/safety-plans", safety_plan, safety_plan + "/versions", BASE + "/safety-plan-distributions/new",
             BASE + "/layers", BASE + "/cpted-audits/new", BASE + "/cpted-recommendations/new"]
    for url in pages:
        assert_accessible(driver, url)
    driver.get(BASE + "/projects/new")
    submit(driver, "form[novalidate] button[type=submit]")
    axe = Axe(driver)
    axe.inject()
    assert axe.run()["violations"] == []
    # a job's progress page, through the backup button's job
    driver.get(BASE + "/audit")
    assert_accessible(driver, BASE + "/audit?lang=fr")
