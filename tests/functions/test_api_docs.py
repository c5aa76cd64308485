"""GET /docs in a real headless Chromium: the page loads from the service alone, lists every
operation of /openapi.json, and "Try it out" on /health gets a 200.

Uses Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`);
skipped, saying so, where they are not installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def test_docs_page_and_assets_come_from_the_service_under_a_strict_policy(http) -> None:
    page = http.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "http" not in page.text.replace('charset="utf-8"', "")  # no absolute, outside URL
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "init.js"):
        response = http.get(f"/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.content) > 100, asset
    assert "validatorUrl: null" in http.get("/docs/assets/init.js").text
    missing = http.get("/docs/assets/index.html")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_swagger_ui_lists_every_operation_and_tries_health(browser, live_server) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.wait import WebDriverWait

    assert isinstance(browser, WebDriver)
    document = httpx.get(live_server.url + "/openapi.json").json()
    expected = sorted(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    )

    browser.get(live_server.url + "/docs")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) == len(expected))
    listed = sorted(
        (
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text,
            block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute(
                "data-path"
            ),
        )
        for block in browser.find_elements(By.CSS_SELECTOR, ".opblock")
    )
    assert listed == expected

    health = next(
        block
        for block in browser.find_elements(By.CSS_SELECTOR, ".opblock")
        if block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute(
            "data-path"
        )
        == "/health"
    )
    def click(selector: str) -> None:
        # The operation expands with an animation: wait for each button to be there and enabled.
        button = wait.until(lambda _: health.find_elements(By.CSS_SELECTOR, selector))[0]
        wait.until(lambda _: button.is_displayed() and button.is_enabled())
        button.click()

    click(".opblock-summary")
    click(".try-out__btn")
    click(".execute")
    status = wait.until(
        lambda d: health.find_element(
            By.CSS_SELECTOR, ".live-responses-table .response .response-col_status"
        )
    )
    assert status.text.strip() == "200"

    # Everything the page loaded came from the service; nothing broke the policy.
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded and all(url.startswith(live_server.url) for url in loaded), loaded
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
