"""Reports in the browser: the list and its form, a report built by its job with a progress bar, a draft's
editor, publishing, the public page of published plans and reports, each report as a standalone document and
as PDF; axe on every page, the reports themselves included."""
import urllib.request

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import BASE, sign_in, submit
from test_browser import assert_accessible
from test_places import api


def test_the_december_update_reads_like_seed_000(driver):
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    assert_accessible(driver, BASE + "/reports?lang=en")
    update = next(r for r in api("GET", "/reports") if r["kind"] == "working-group-update" and r["state"] == "draft")
    assert_accessible(driver, BASE + f"/reports/{update['id']}")
    assert_accessible(driver, BASE + f"/reports/{update['id']}/view")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "Attended 3 community events from October 9, 2025 to November 13, 2025" in text
    assert "82 neighbourhood safety plans distributed" in text
    assert "Addictions and Mental Health webinar” scheduled for December 16, 2025" in text
    # Each figure leads to the records behind it.
    link = driver.find_element(By.CSS_SELECTOR, "strong.figure a")
    assert link.get_attribute("href").split("/")[3] in ("events", "projects", "outputs")
    assert_accessible(driver, BASE + f"/reports/{update['id']}/view?lang=fr")
    assert "Participation à 3 événements" in driver.find_element(By.TAG_NAME, "main").text


def test_a_coordinator_builds_edits_and_publishes_a_report(driver):
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    driver.get(BASE + "/reports?lang=en")
    Select(driver.find_element(By.ID, "kind")).select_by_value("annual-progress")
    plan = next(p for p in api("GET", "/plans")["items"] if p["municipality"].startswith("Windsor"))["id"]
    Select(driver.find_element(By.ID, "subjectId")).select_by_value(plan)
    driver.find_element(By.ID, "from").send_keys("01012025")
    driver.find_element(By.ID, "to").send_keys("12312025")
    submit(driver, "form[action='/reports'] button[type=submit]")
    # The job's page shows its progress and, once done, the report it built.
    assert driver.find_element(By.TAG_NAME, "progress")
    def finished(d):
        links = [a.get_attribute("href") for a in d.find_elements(By.LINK_TEXT, "Open the result")]
        if not links:
            d.refresh()
        return links[0] if links else None
    # The page refreshes itself while the job runs, so a link read mid-refresh may go stale: read it again.
    driver.get(WebDriverWait(driver, 60, ignored_exceptions=[StaleElementReferenceException]).until(finished))
    assert "Draft" in driver.find_element(By.CSS_SELECTOR, ".badge").text
    first = driver.find_element(By.CSS_SELECTOR, "textarea[id^=narrativeEn]")
    first.send_keys("A year of partnership.")
    submit(driver, "form[action$='/edits'] button[type=submit]")
    submit(driver, "form[action$='/publish'] button[type=submit]")
    assert "Published" in driver.find_element(By.CSS_SELECTOR, ".badge").text
    public = driver.find_element(By.LINK_TEXT, "Its public page").get_attribute("href")
    driver.delete_all_cookies()
    assert_accessible(driver, public)
    assert "A year of partnership." in driver.find_element(By.TAG_NAME, "main").text
    # The report's own style sheet applies under its content security policy.
    assert driver.find_element(By.CSS_SELECTOR, "main h2").value_of_css_property("border-bottom-style") == "solid"
    assert_accessible(driver, BASE + "/public/reports?lang=en")
    listing = driver.find_element(By.TAG_NAME, "main").text
    assert "Windsor-Essex Community Safety and Well-Being Plan" in listing and "Annual progress report" in listing
    assert_accessible(driver, BASE + "/public/reports?lang=fr")
    with urllib.request.urlopen(public + "/pdf") as response:
        assert response.read(4) == b"%PDF"
