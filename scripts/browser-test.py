#!/usr/bin/env python3
"""Drives the reviewers' console in headless Chromium (Debian's chromium + chromium-driver).

Usage: browser-test.py BASE_URL [PASSWORD_SUFFIX]
Accounts first, second, super and legal must exist with password "<user>-browser" (the default
suffix), and one flagged item must wait on the first-level queue. The script logs in as the
first-level reviewer and confirms the item with an amount, as the second-level reviewer and
confirms it again, as the supervisor opens a case from it (fabricated services: a major
decision) and submits it; the legal reviewer finds it in the inbox and approves it (the legal
review gate); the supervisor publishes it and the page must show it published, opens a second case from a
flight inspection (飞行检查) with its inspection record, and finds both cases and the findings on the dashboard's charts. Exits 0 on success, 1 with the reason otherwise.
"""
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = sys.argv[1].rstrip("/")
SUFFIX = sys.argv[2] if len(sys.argv) > 2 else "-browser"


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # CI runs as root, where Chromium's sandbox cannot start.
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def step(message):
    print(f"[browser] {message}", flush=True)


def submit(driver, element):
    """Clicks a button or link and waits until the next page has replaced this one (PRG)."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(replaced(page))


def replaced(page):
    """Like expected_conditions.staleness_of, but a node chromedriver no longer finds in the
    document mid-navigation ("Node with given id does not belong to the document", seen on a busy
    machine) is gone too, not a failure."""
    def check(_):
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True
    return check


def click(driver, element_id):
    submit(driver, driver.find_element(By.ID, element_id))


def text(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).text.strip()


def state_code(driver, css):
    """The state code behind a state shown in Chinese (the page's data-state attribute)."""
    return driver.find_element(By.CSS_SELECTOR, css).get_attribute("data-state")


def expect(condition, message, driver):
    if not condition:
        raise AssertionError(f"{message} (at {driver.current_url}: {driver.find_element(By.TAG_NAME, 'body').text[:400]})")


def login(driver, user):
    driver.get(f"{BASE}/console/login")
    driver.find_element(By.ID, "user").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(user + SUFFIX)
    click(driver, "login")
    expect(not driver.find_elements(By.ID, "error"), f"{user} could not log in", driver)
    step(f"{user} logged in, at {driver.current_url}")


def logout(driver):
    click(driver, "logout")
    expect(driver.current_url.endswith("/console/login"), "logout did not return to the login form", driver)


def decide(driver, user, amount, expected_state):
    login(driver, user)
    links = driver.find_elements(By.CSS_SELECTOR, "#queue a.item")
    expect(links, f"{user}'s queue is empty", driver)
    submit(driver, links[0])
    click(driver, "claim")
    driver.find_element(By.ID, "decision-confirmed").click()
    driver.find_element(By.ID, "amount").send_keys(amount)
    click(driver, "decide")
    state = state_code(driver, "#state")
    expect(state == expected_state, f"after {user}'s decision the item is {state}, expected {expected_state}", driver)
    step(f"{user} confirmed the item: {state}")
    logout(driver)


def open_and_submit(driver):
    login(driver, "super")
    boxes = driver.find_elements(By.CSS_SELECTOR, "#open-case input[type=checkbox]")
    expect(boxes, "no confirmed item is offered for a case", driver)
    boxes[0].click()
    # 虚构医药服务项目 (article 40, fraud): a major decision, so it must pass the legal-review gate.
    Select(driver.find_element(By.ID, "kind")).select_by_value("fabricatedServices")
    click(driver, "open")
    case_url = driver.current_url
    expect("/console/cases/CASE-" in case_url, "opening the case did not lead to its page", driver)
    click(driver, "submit")
    state = state_code(driver, "#case-state")
    step(f"case {case_url.rsplit('/', 1)[-1]} submitted: {state}")
    expect(not driver.find_elements(By.ID, "publish"), "publication is offered before the legal review", driver)
    logout(driver)
    return case_url, state


def legal_approval(driver, case_url):
    login(driver, "legal")
    links = driver.find_elements(By.CSS_SELECTOR, "#legal a.case")
    expect(any(link.get_attribute("href") == case_url for link in links), "the case is not in the legal-review inbox", driver)
    driver.get(case_url)
    driver.find_element(By.ID, "approve").click()
    driver.find_element(By.ID, "opinion").send_keys("事实清楚，证据确凿，同意。")
    click(driver, "review")
    step(f"legal reviewer: {text(driver, '#case-state')}")
    logout(driver)


def publish(driver, case_url):
    login(driver, "super")
    driver.get(case_url)
    click(driver, "publish")
    state = state_code(driver, "#case-state")
    expect(state == "published" and driver.find_elements(By.ID, "published"), f"the case shows {state}, not published", driver)
    step("supervisor published the case; the page shows it published")


def inspection_case(driver):
    """Still signed in as the supervisor: a case from a flight inspection (飞行检查) on its inspection record."""
    driver.get(f"{BASE}/console/cases")
    Select(driver.find_element(By.ID, "source-kind")).select_by_value("flightInspection")
    driver.find_element(By.ID, "source-reference").send_keys("湘医保飞检〔2026〕7号")
    Select(driver.find_element(By.ID, "source-medins")).select_by_value("H43010000001")
    driver.find_element(By.ID, "source-amount").send_keys("5000")
    driver.find_element(By.ID, "evidence-title").send_keys("飞行检查现场检查笔录")
    driver.find_element(By.ID, "evidence-sha256").send_keys("c3" * 32)
    Select(driver.find_element(By.ID, "source-behaviour")).select_by_value("fabricatedServices")
    click(driver, "open-sourced")
    expect("/console/cases/CASE-" in driver.current_url, "opening a case from the inspection did not lead to its page", driver)
    expect(text(driver, "#case-source") == "飞行检查", "the case does not show its source", driver)
    step(f"supervisor opened {driver.current_url.rsplit('/', 1)[-1]} from a flight inspection")


def dashboard(driver):
    click(driver, "dashboard-link")
    for chart in ("findings-chart", "waiting-chart", "cases-chart"):
        expect(driver.find_elements(By.ID, chart), f"the dashboard has no {chart}", driver)
    bars = driver.find_elements(By.CSS_SELECTOR, "#cases-chart rect.bar")
    expect(len(bars) >= 2, f"the cases chart shows {len(bars)} bars, expected the published and the proposed case", driver)
    expect(driver.find_elements(By.CSS_SELECTOR, "#findings-chart rect.bar"), "the findings chart is empty", driver)
    step(f"dashboard: {len(bars)} case states drawn")
    logout(driver)


def main():
    driver = browser()
    try:
        decide(driver, "first", "12", "second_pending")
        decide(driver, "second", "12", "decided")
        case_url, state = open_and_submit(driver)
        expect(state == "awaitingLegalReview", f"a fraud case submitted is {state}, not awaiting legal review", driver)
        legal_approval(driver, case_url)
        publish(driver, case_url)
        inspection_case(driver)
        dashboard(driver)
        return 0
    except (AssertionError, WebDriverException) as problem:
        print(f"[browser] FAILED: {problem}", file=sys.stderr, flush=True)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
