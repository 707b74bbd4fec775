"""Coding a consultation by keyboard alone: select words in an answer with Shift and the arrow keys, pick
a code, press Enter; the excerpt is kept as those words, by that coder. Then finishing the answer, blind:
another coder's codings appear only once both have finished it. Then the public page."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BASE, follow, gone, sign_in


def test_code_an_excerpt_with_the_keyboard(driver):
    sign_in(driver, "member@wellplan.demo", "demo-member-password")
    driver.get(BASE + "/consultations")
    consultation = driver.find_element(By.PARTIAL_LINK_TEXT, "Leamington and Essex").get_attribute("href")
    driver.get(consultation + "/coding?page=5")
    # The first answer the member has not finished: a finished one is shown without its coding form (blind coding).
    section = next(s for s in driver.find_elements(By.CSS_SELECTOR, "section.answer") if s.find_elements(By.CSS_SELECTOR, "textarea"))
    area = section.find_element(By.CSS_SELECTOR, "textarea")
    words = area.get_attribute("value").split(" ")[0:2]
    expected = " ".join(words)
    area.click()
    keys = ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.HOME).key_up(Keys.CONTROL).key_down(Keys.SHIFT)
    for _ in expected:
        keys = keys.send_keys(Keys.ARROW_RIGHT)
    keys.key_up(Keys.SHIFT).perform()
    area.send_keys("typing changes nothing")
    assert area.get_attribute("value").startswith(expected) and "typing" not in area.get_attribute("value")
    excerpt = section.find_element(By.CSS_SELECTOR, "[data-excerpt]")
    assert excerpt.get_attribute("value") == expected
    # Tab from the excerpt box to the code list, choose by typing, Tab to the button and press Enter.
    excerpt.send_keys(Keys.TAB)
    code = driver.switch_to.active_element
    assert code.get_attribute("name") == "codeId"
    code.send_keys("— Lighting")
    assert code.get_attribute("value") != ""
    code.send_keys(Keys.TAB)
    button = driver.switch_to.active_element
    assert button.text == "Code"
    page = driver.find_element(By.TAG_NAME, "html")
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(gone(page))
    answer_id = driver.current_url.split("#answer-")[1]
    rows = driver.find_element(By.ID, "answer-" + answer_id).find_elements(By.CSS_SELECTOR, "tbody tr")
    assert any("Issues > Lighting" in r.text and expected in r.text and "Morgan Member" in r.text for r in rows)


def test_the_public_hears_what_was_done(driver):
    driver.delete_all_cookies()
    driver.get(BASE + "/public")
    follow(driver, "Leamington and Essex safety plan consultation")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "You said, we did" in text and "What we did" in text and "Dark streets" not in text


def test_finish_an_answer_then_see_the_other_coders_codings(driver):
    """Blind coding: the member sees only their own codings of an answer until they finish it; the coordinator
    has finished every answer, so theirs appear then, and the member's own stay as they are."""
    sign_in(driver, "member@wellplan.demo", "demo-member-password")
    driver.get(BASE + "/consultations")
    consultation = driver.find_element(By.PARTIAL_LINK_TEXT, "Leamington and Essex").get_attribute("href")
    driver.get(consultation + "/coding?page=10")
    finish = driver.find_element(By.XPATH, "//section[contains(@class,'answer')]//button[normalize-space()='Finished with this answer']")
    section = finish.find_element(By.XPATH, "./ancestor::section")
    answer = section.get_attribute("id")
    before = section.text
    assert "Casey Coordinator" not in before
    page = driver.find_element(By.TAG_NAME, "html")
    finish.click()
    WebDriverWait(driver, 10).until(gone(page))
    after = driver.find_element(By.ID, answer)
    assert "You have finished this answer" in after.text
    assert not after.find_elements(By.CSS_SELECTOR, "textarea")
    if after.find_elements(By.CSS_SELECTOR, "tbody tr"):
        assert "Casey Coordinator" in after.text
