"""An admin manages accounts in a real browser: a new member's account made, linked to their person, given a token
that is then revoked; both pages pass axe."""
import os
import re
import uuid

from selenium.webdriver.support.ui import Select

from conftest import BASE, sign_in, submit
from test_browser import assert_accessible


def shot(driver, name):
    folder = os.environ.get("WELLPLAN_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        driver.save_screenshot(os.path.join(folder, name + ".png"))


def test_an_admin_makes_links_and_revokes_from_the_pages(driver):
    sign_in(driver, "admin@wellplan.demo", "demo-admin-password")
    assert_accessible(driver, BASE + "/accounts")
    email = f"member.{uuid.uuid4().hex[:8]}@wellplan.demo"
    driver.find_element("id", "email").send_keys(email)
    driver.find_element("id", "name").send_keys("New Member")
    Select(driver.find_element("id", "role")).select_by_value("member")
    person = Select(driver.find_element("id", "personId"))
    person.select_by_index(1)
    linked_to = person.first_selected_option.text
    submit(driver, "form[action='/accounts'] button[type=submit]")
    shot(driver, "account-submitted")
    # No password typed: one is made and shown once, on the new account's page.
    notice = driver.find_element("css selector", "[role=status]").text
    assert re.search(r"shown only now: \S{12,}", notice), notice
    # Shown in answer to the form (the password is never kept to be shown later), so the address is the form's.
    account = driver.find_element("css selector", "form[action$='/tokens']").get_attribute("action").removesuffix("/tokens")
    assert Select(driver.find_element("id", "personId")).first_selected_option.text == linked_to
    shot(driver, "account-created")
    assert_accessible(driver, account)

    driver.find_element("id", "label").send_keys("reporting script")
    submit(driver, "form[action$='/tokens'] button[type=submit]")
    token = re.search(r"shown only now: (wp_\S+)", driver.find_element("css selector", "[role=status]").text).group(1)
    assert "reporting script" in driver.find_element("css selector", "table").text
    shot(driver, "account-token")
    driver.get(account)
    assert token not in driver.page_source
    submit(driver, "form[action$='/revoke'] button[type=submit]")
    assert "reporting script" not in driver.page_source

    driver.get(BASE + "/accounts")
    row = next(r for r in driver.find_elements("css selector", "tbody tr") if email in r.text)
    assert linked_to in row.text and "Active" in row.text
    shot(driver, "accounts")

    # The same e-mail again: refused, by field, with what was typed given back.
    driver.find_element("id", "email").send_keys(email)
    driver.find_element("id", "name").send_keys("Someone Else")
    submit(driver, "form[action='/accounts'] button[type=submit]")
    assert "Email: is already used by another account" in driver.find_element("css selector", "[role=alert]").text
    assert driver.find_element("id", "name").get_attribute("value") == "Someone Else"
    shot(driver, "account-refused")
