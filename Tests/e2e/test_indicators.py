"""Indicators in the browser: the public dashboard, a measure's page with its chart reachable by keyboard, the
open data catalogue, the scorecard, a figure typed in and a file imported; axe on every page."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import BASE, sign_in, submit
from test_browser import assert_accessible
from test_places import api


def windsor():
    return next(p for p in api("GET", "/plans")["items"] if p["municipality"].startswith("Windsor"))["id"]


def measure(code):
    return next(m for m in api("GET", "/measures?limit=200")["items"] if m["code"] == code)["id"]


def test_the_public_dashboard_measure_pages_and_open_data(driver):
    driver.delete_all_cookies()
    plan = windsor()
    assert_accessible(driver, BASE + f"/public/plans/{plan}/dashboard")
    assert "Residents who feel safe walking alone after dark" in driver.find_element(By.TAG_NAME, "main").text
    assert_accessible(driver, BASE + f"/public/plans/{plan}/dashboard?lang=fr")
    connected = measure("situation_connected")
    assert_accessible(driver, BASE + f"/public/measures/{connected}?lang=en")
    cells = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "table tbody tr")]
    assert any("Another gender" in c or "another_gender" in c for c in cells)
    assert all("withheld" in c for c in cells if "another_gender" in c.lower() or "Another gender" in c)
    # The chart's points are reached with the keyboard and say what they show.
    points = driver.find_elements(By.CSS_SELECTOR, "svg.chart circle[tabindex='0']")
    assert len(points) == 3
    points[0].send_keys(Keys.NULL)
    driver.execute_script("arguments[0].focus()", points[0])
    assert driver.switch_to.active_element.get_attribute("aria-label").startswith("Actual, 2023: 38")
    assert_accessible(driver, BASE + "/public/open-data")
    assert "People connected to services by the situation table" in driver.find_element(By.TAG_NAME, "table").text


def test_a_coordinator_reads_the_scorecard_enters_a_figure_and_imports_a_file(driver, tmp_path):
    plan = windsor()
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    assert_accessible(driver, BASE + f"/plans/{plan}/scorecard?lang=en")
    assert "Opioid-related emergency department visits per 100,000" in driver.find_element(By.TAG_NAME, "table").text
    safe = measure("feel_safe")
    assert_accessible(driver, BASE + f"/measures/{safe}/series")
    driver.find_element(By.ID, "period").send_keys("2026")
    driver.find_element(By.ID, "value").send_keys("68.2")
    submit(driver, "#enter-figure button[type=submit]")
    assert "68.2%" in driver.find_element(By.TAG_NAME, "table").text

    csv = tmp_path / "survey.csv"
    csv.write_text("measure,period,value\nfeel_safe,2027,69.9\n")
    assert_accessible(driver, BASE + f"/plans/{plan}/observations/import")
    driver.find_element(By.ID, "file").send_keys(str(csv))
    Select(driver.find_element(By.ID, "layout")).select_by_value("long")
    submit(driver, "form[enctype] button[type=submit]")
    assert "/jobs/" in driver.current_url
    for _ in range(30):
        driver.get(driver.current_url)
        if "1 figures imported" in driver.page_source:
            break
        time.sleep(0.5)
    assert "1 figures imported" in driver.page_source
    driver.get(BASE + f"/measures/{safe}/series")
    assert "69.9%" in driver.find_element(By.TAG_NAME, "table").text
