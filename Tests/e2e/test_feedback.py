"""A feedback form as people meet it: the QR code on the poster is the one a standard encoder makes
(python-qrcode, same version and mask), the public form is answered by keyboard, and axe passes on
every feedback page."""
import re
import urllib.request

import qrcode
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE, gone, sign_in
from test_browser import assert_accessible


def feedback_form(driver):
    sign_in(driver, "coordinator@wellplan.demo", "demo-coordinator-password")
    driver.get(BASE + "/feedback-forms")
    return driver.find_element(By.PARTIAL_LINK_TEXT, "workshop feedback").get_attribute("href")


def test_the_poster_qr_code_is_the_standard_one(driver):
    form = feedback_form(driver)
    driver.get(form + "/poster")
    link = driver.find_element(By.CSS_SELECTOR, ".poster code").text
    svg = urllib.request.urlopen(BASE + "/f/" + form.rsplit("/", 1)[1] + "/qr.svg").read().decode()
    version = int(re.search(r'data-version="(\d+)"', svg).group(1))
    mask = int(re.search(r'data-mask="(\d+)"', svg).group(1))
    assert re.search(r"<title[^>]*>([^<]+)</title>", svg).group(1) == link
    size = version * 4 + 17
    ours = [[False] * size for _ in range(size)]
    for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", svg):
        ours[int(y) - 4][int(x) - 4] = True
    reference = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask)
    reference.add_data(link.encode(), optimize=0)
    reference.make(fit=False)
    assert [list(map(bool, row)) for row in reference.modules] == ours


def test_answer_the_public_form_by_keyboard_and_every_page_passes_axe(driver):
    form = feedback_form(driver)
    form_id = form.rsplit("/", 1)[1]
    for page in (form, form + "/poster", form + "/paper", form + "/results", BASE + "/feedback-questions"):
        assert_accessible(driver, page)
    driver.delete_all_cookies()
    assert_accessible(driver, BASE + "/f/" + form_id)
    first = driver.find_element(By.CSS_SELECTOR, "fieldset.likert input[type=radio]")
    first.send_keys(Keys.SPACE)  # the first choice, then the arrow keys move along the scale
    first.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    chosen = driver.find_element(By.CSS_SELECTOR, "fieldset.likert input[type=radio]:checked")
    assert chosen.get_attribute("value") == "5"
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(gone(page))
    assert "Thank you" in driver.find_element(By.TAG_NAME, "main").text
    assert_accessible(driver, BASE + "/f/" + form_id + "?lang=fr")
