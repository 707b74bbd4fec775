import os

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("WELLPLAN_URL", "http://127.0.0.1:8765")


@pytest.fixture(scope="session")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-CA"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_window_size(1280, 1000)
    yield browser
    browser.quit()


def sign_in(driver, email, password):
    driver.delete_all_cookies()
    driver.get(BASE + "/signin")
    driver.find_element("id", "email").send_keys(email)
    driver.find_element("id", "password").send_keys(password)
    submit(driver, "form.narrow button[type=submit]")


def gone(element):
    """True once the element has left the document. Chromium sometimes answers a question about a node of
    the page being replaced with an inspector error rather than "stale"; either means the old page is gone."""
    def check(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def submit(driver, selector):
    """Clicks a submit button and waits for the next page, so the test never reads the old one."""
    page = driver.find_element("tag name", "html")
    driver.find_element("css selector", selector).click()
    WebDriverWait(driver, 10).until(gone(page))


def follow(driver, link_text):
    page = driver.find_element("tag name", "html")
    driver.find_element("link text", link_text).click()
    WebDriverWait(driver, 10).until(gone(page))
