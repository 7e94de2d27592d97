#!/usr/bin/env python3
"""The dashboard in headless Chromium, driven by Selenium as an operator would use it.

Against a running `pesa serve --demo` whose data `DashboardBrowserTests` prepared over the JSON API:
log in through the form; send an STK push from the payments form and watch its page turn `succeeded`; reverse
part of it and send a payout, each through its confirmation page; upload a batch CSV with a bad row and see the
row's error in the preview, then a good one, confirm it, and approve it as a second org_admin; the reports
page's chart; pay an open invoice from the billing page; a `user` refused the settings and a new batch, and
another organization's payment a 404; logout, after which the old session cookie opens nothing.

Settings come from the environment: PESA_BASE_URL; PESA_ADMIN, PESA_CHECKER and PESA_USER, each
`email password` (two org_admins and a `user` of the demo organization); PESA_OTHER_PAYMENT (a payment id of
another organization); PESA_INVOICE_PAYER, `email password` of that organization's org_admin, who pays its open
invoice (the step is left out without it); PESA_SCREENSHOTS (the folder the PNG of every page visited goes to,
at desktop and phone width). `--check` only says whether Selenium, Chromium and chromedriver are there.

Exits 0 when every step passed, else 1 with the step, what failed and what the page showed.
"""

import os
import re
import shutil
import signal
import sys
import tempfile
import time

CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
DESKTOP = (1280, 900)
PHONE = (375, 812)
WAIT_SECONDS = 30
DEADLINE_SECONDS = 150


def tools():
    """(chromium, chromedriver) paths, or a message saying what is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, "the Python package selenium is not installed"
    browser = next((path for path in map(shutil.which, CHROMIUM_NAMES) if path), None)
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        return None, "chromium or chromedriver is not on the PATH"
    return (browser, driver), None


if len(sys.argv) > 1 and sys.argv[1] == "--check":
    found, missing = tools()
    print(missing or "ready")
    sys.exit(0 if found else 1)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class StepFailed(Exception):
    pass


class Dashboard:
    def __init__(self, driver, base, screenshots):
        self.driver = driver
        self.base = base.rstrip("/")
        self.screenshots = screenshots
        self.step = "start"
        self.shots = 0

    # Waiting and reading

    def wait(self, condition, what, seconds=WAIT_SECONDS):
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(condition)
        except TimeoutException:
            raise StepFailed(f"waited {seconds} s for {what}") from None

    def expect_heading(self, pattern):
        self.wait(lambda d: re.search(pattern, self.text("main h1")), f"a heading matching {pattern!r}")

    def text(self, selector):
        """The text of what `selector` finds; empty while a page replaces the one read (the pages of a pending
        payment or a batch still sending refresh themselves)."""
        try:
            return " ".join(element.text for element in self.driver.find_elements(By.CSS_SELECTOR, selector))
        except WebDriverException as error:
            if gone(error):
                return ""
            raise

    def expect_text(self, selector, fragment):
        self.wait(lambda d: fragment in self.text(selector), f"{fragment!r} in {selector}")

    def field(self, label):
        """The value shown next to `label` in a page's list of fields (dl.card)."""
        try:
            for term in self.driver.find_elements(By.CSS_SELECTOR, "dl.card dt"):
                if term.text.strip() == label:
                    return term.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        except WebDriverException as error:
            if not gone(error):
                raise
        return None

    # Acting

    def open(self, path):
        self.driver.get(self.base + path)

    def submit(self, button_text, form_action=None):
        """Clicks the submit button labelled `button_text` (of the form posting to `form_action`) and waits for
        the next page."""
        scope = f"//form[contains(@action, '{form_action}')]" if form_action else "//form"
        xpath = f"{scope}//button[@type='submit'][contains(normalize-space(.), '{button_text}')]"
        button = self.wait(ec.element_to_be_clickable((By.XPATH, xpath)), f"the button {button_text!r}")
        page = self.driver.find_element(By.TAG_NAME, "html")
        button.click()
        self.wait(lambda d: replaced(page), f"the page after {button_text!r}")
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the page to load")

    def fill(self, values):
        for name, value in values.items():
            element = self.wait(ec.presence_of_element_located((By.NAME, name)), f"the field {name}")
            element.clear()
            element.send_keys(value)

    def screenshot(self, name):
        """The page as it is, at desktop and at phone width, whole (not only the first screen)."""
        self.shots += 1
        for label, (width, height), mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
            self.viewport(width, height, mobile)
            full = int(self.driver.execute_script("return document.documentElement.scrollHeight"))
            self.viewport(width, min(max(height, full), 8000), mobile)
            path = os.path.join(self.screenshots, f"{self.shots:02d}-{name}-{label}.png")
            if not self.driver.save_screenshot(path):
                raise StepFailed(f"no screenshot written to {path}")
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def viewport(self, width, height, mobile):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    # The steps' parts

    def log_in(self, email, password):
        self.open("/ui/login")
        self.expect_heading("^Log in$")
        self.fill({"email": email, "password": password})
        self.submit("Log in", "/ui/login")
        self.expect_text("header .who", email)
        if urlpath(self.driver.current_url) == "/ui/login":
            raise StepFailed(f"still on the login form: {self.text('main')}")

    def log_out(self):
        self.submit("Log out", "/ui/logout")
        self.expect_heading("^Log in$")


def gone(error):
    """Whether `error` says an element belongs to a page that was replaced meanwhile (Chromium says it in two
    ways: a stale reference, or a node that no longer belongs to the document)."""
    return isinstance(error, StaleElementReferenceException) or "does not belong to the document" in str(error)


def replaced(element):
    """Whether the page `element` belongs to has been replaced."""
    try:
        element.is_enabled()
        return False
    except WebDriverException as error:
        if gone(error):
            return True
        raise


def urlpath(url):
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0]


def credentials(name):
    value = os.environ.get(name, "")
    email, _, password = value.partition(" ")
    if not email or not password:
        raise StepFailed(f"{name} must be `email password`")
    return email, password


def run(ui):
    admin = credentials("PESA_ADMIN")
    checker = credentials("PESA_CHECKER")
    user = credentials("PESA_USER")
    other_payment = os.environ.get("PESA_OTHER_PAYMENT", "")
    payer = credentials("PESA_INVOICE_PAYER") if os.environ.get("PESA_INVOICE_PAYER") else None
    driver = ui.driver

    ui.step = "1. log in through the form"
    ui.open("/ui/login")
    ui.expect_heading("^Log in$")
    ui.screenshot("login")
    ui.log_in(*admin)
    ui.expect_heading("^Overview$")
    ui.screenshot("overview")

    ui.step = "2. an STK push from the payments form turns succeeded"
    ui.open("/ui/payments/new")
    ui.expect_heading("^Send an STK push$")
    ui.expect_text("main .env", "SANDBOX")
    ui.fill({"phone": "254708374149", "amount": "25", "account_reference": "BROWSER-1",
             "description": "Browser order"})
    ui.screenshot("stk-push-form")
    ui.submit("Send the push", "/ui/payments/new")
    ui.expect_heading(r"^Payment pay_")
    payment_path = urlpath(driver.current_url)
    wait_for_status(ui, payment_path, "succeeded")
    if ui.field("Amount") is None or "25" not in ui.field("Amount"):
        raise StepFailed(f"the payment's amount shows {ui.field('Amount')!r}")
    ui.screenshot("payment-succeeded")

    ui.step = "2b. M-Pesa asked for the payment's status from its page"
    ui.submit("Ask M-Pesa for the status", "/ui/payments/status")
    ui.expect_heading(r"^Transaction status qry_")
    wait_for_status(ui, urlpath(driver.current_url), "completed")
    ui.screenshot("status-query")

    ui.step = "2c. part of the payment reversed from its page"
    ui.open(payment_path)
    ui.expect_heading(r"^Payment pay_")
    ui.fill({"amount": "10", "remarks": "Browser refund"})
    ask_to_confirm(ui, "Reverse", "/reverse", "^Confirm the reversal$", "Reverse KES 10.00 of payment pay_")
    ui.screenshot("reversal-confirmation")
    ui.submit("Edit", "/reverse")
    ui.expect_heading(r"^Payment pay_")
    if driver.find_element(By.NAME, "amount").get_attribute("value") != "10":
        raise StepFailed("Edit did not bring back the reversal form as typed")
    ui.fill({"amount": "12"})
    ask_to_confirm(ui, "Reverse", "/reverse", "^Confirm the reversal$", "Reverse KES 12.00 of payment pay_")
    confirm_sends(ui, "/reverse", "reversal")
    wait_for_status(ui, urlpath(driver.current_url), "succeeded")
    ui.screenshot("reversal-succeeded")

    ui.step = "2d. a balance check from the overview, and the payouts list"
    ui.open("/ui/")
    ui.submit("Check balance now", "/ui/balance-checks")
    ui.expect_heading(r"^Balance check qry_")
    wait_for_status(ui, urlpath(driver.current_url), "completed")
    ui.screenshot("balance-check")
    ui.open("/ui/payouts")
    ui.expect_heading("^Payouts$")

    ui.step = "2e. a payout asked to be confirmed, then sent"
    ui.open("/ui/payouts/new")
    ui.expect_heading("^Send a payout$")
    ui.fill({"phone": "254708374149", "amount": "40", "remarks": "Browser payout"})
    ask_to_confirm(
        ui, "Send the payout", "/ui/payouts/new", "^Confirm the payout$",
        "Send KES 40.00 to 254708374149 from short code")
    ui.screenshot("payout-confirmation")
    confirm_sends(ui, "/ui/payouts/new", "b2c")
    ui.screenshot("payout-sent")

    ui.step = "3a. a batch CSV with a bad row: the row's error in the preview"
    folder = tempfile.mkdtemp(prefix="pesa-browser-csv-")
    bad = os.path.join(folder, "bad.csv")
    good = os.path.join(folder, "good.csv")
    run_tag = time.strftime("%H%M%S")  # another run against the same server uploads another CSV
    with open(bad, "w") as out:
        out.write(f"phone,amount,reference,name\n0708374149,100,SAL-{run_tag}-1,Achieng\n07x,50,SAL-2,Baraka\n")
    with open(good, "w") as out:
        out.write(f"phone,amount,reference,name\n0708374149,100,SAL-{run_tag}-1,Achieng\n"
                  f"0708374150,50,SAL-{run_tag}-2,Baraka\n")
    ui.open("/ui/batches/new")
    ui.expect_heading("^New payout batch$")
    ui.wait(ec.presence_of_element_located((By.ID, "file")), "the file input").send_keys(bad)
    ui.screenshot("batch-upload-form")
    ui.submit("Check the rows", "/ui/batches/new")
    ui.expect_heading("^Check the batch$")
    ui.expect_text("#rows-error", "1 of 2 rows have errors")
    ui.expect_text("tr.bad", "row 2: phone is not a Kenyan number")
    if driver.find_elements(By.XPATH, "//button[contains(., 'Create the batch')]"):
        raise StepFailed("a CSV with a bad row can be confirmed")
    ui.screenshot("batch-preview-bad-row")

    ui.step = "3b. a good CSV previewed and confirmed"
    ui.wait(ec.presence_of_element_located((By.ID, "file")), "the file input again").send_keys(good)
    ui.submit("Check the rows", "/ui/batches/new")
    ui.expect_heading("^Check the batch$")
    ui.expect_text("main", "2 rows, KES 150.00 in all")
    if driver.find_elements(By.CSS_SELECTOR, "tr.bad"):
        raise StepFailed(f"the good CSV shows a bad row: {ui.text('tr.bad')}")
    ui.screenshot("batch-preview-good")
    ui.submit("Create the batch", "/ui/batches/new")
    ui.expect_heading(r"^Batch bat_")
    ui.expect_text("main .notice", "Batch created.")
    ui.expect_text("main", "You created this batch: another org_admin must approve it.")
    if driver.find_elements(By.XPATH, "//button[contains(., 'Approve')]"):
        raise StepFailed("the batch's creator is offered the approve button")
    batch_path = urlpath(driver.current_url)
    ui.screenshot("batch-created")

    ui.step = "3c. a second org_admin approves the batch"
    ui.log_out()
    ui.log_in(*checker)
    ui.open(batch_path)
    ui.expect_heading(r"^Batch bat_")
    if ui.field("Status") != "awaiting_approval" or ui.field("Approval") != "pending":
        raise StepFailed(f"the batch shows status {ui.field('Status')!r}, approval {ui.field('Approval')!r}")
    if "You created this batch" in ui.text("main"):
        raise StepFailed("the second org_admin is told they created the batch")
    ui.screenshot("batch-awaiting-approval")
    ui.submit("Approve: send the rows", "/approve")
    ui.expect_text("main .notice", "Approved: the batch's rows go out now.")
    if ui.field("Status") == "awaiting_approval":
        raise StepFailed("the batch still awaits approval")
    ui.screenshot("batch-approved")

    ui.step = "4. the reports page's chart"
    ui.open("/ui/reports")
    ui.expect_heading("^Reports$")
    chart = ui.wait(ec.presence_of_element_located((By.CSS_SELECTOR, "main figure svg[role='img']")),
                    "an inline SVG chart")
    title = chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent").strip()
    if not title:
        raise StepFailed("the chart has no title")
    if chart.size["width"] < 100 or chart.size["height"] < 50:
        raise StepFailed(f"the chart {title!r} is drawn {chart.size}")
    ui.screenshot("reports")

    ui.step = "6. an open invoice paid from the billing page"
    ui.log_out()
    if payer:
        ui.log_in(*payer)
        pay_invoice(ui)
    else:
        print("step 6 left out: no PESA_INVOICE_PAYER (the server is not a month ahead, so no invoice is open)")

    ui.step = "5. a user is refused a page of its role; another organization's payment is a 404"
    if payer:
        ui.log_out()
    ui.log_in(*user)
    ui.open("/ui/settings")
    ui.expect_heading("^Forbidden$")
    ui.screenshot("user-settings-forbidden")
    ui.open("/ui/batches/new")
    ui.expect_heading("^Forbidden$")
    if not other_payment.startswith("pay_"):
        raise StepFailed(f"PESA_OTHER_PAYMENT is {other_payment!r}")
    ui.open(f"/ui/payments/{other_payment}")
    ui.expect_heading("^Not found$")
    if other_payment in ui.text("main"):
        raise StepFailed("the 404 page shows the other organization's payment id")
    ui.screenshot("other-organization-payment")

    ui.step = "7. logout: the login page, and the old session cookie opens nothing"
    ui.open("/ui/")
    ui.expect_heading("^Overview$")
    cookie = driver.get_cookie("pesa_session")
    if not cookie:
        raise StepFailed("no pesa_session cookie while logged in")
    ui.log_out()
    ui.screenshot("logged-out")
    if driver.get_cookie("pesa_session"):
        raise StepFailed("the session cookie is still there after logout")
    driver.add_cookie({"name": "pesa_session", "value": cookie["value"], "path": "/ui", "httpOnly": True})
    ui.open("/ui/payments")
    ui.expect_heading("^Log in$")
    if urlpath(driver.current_url) != "/ui/login":
        raise StepFailed(f"the old session cookie opened {driver.current_url}")
    print(f"passed: {ui.shots} pages, screenshots in {ui.screenshots}")


def ask_to_confirm(ui, button, form_action, heading, question):
    """Posts a money form by its `button`: the page asks to confirm, the sandbox marked, saying `question`."""
    ui.submit(button, form_action)
    ui.expect_heading(heading)
    ui.expect_text("main .env", "SANDBOX")
    ui.expect_text("main", question)


def confirm_sends(ui, form_action, payment_type):
    """Confirms on a confirmation page: the page of the payment of `payment_type` sent."""
    ui.submit("Confirm", form_action)
    ui.expect_heading(r"^Payment pay_")
    if ui.field("Type") != payment_type:
        raise StepFailed(f"the page after the Confirm shows a payment of type {ui.field('Type')!r}")


def wait_for_status(ui, path, wanted):
    """Opens `path` again until its field Status reads `wanted`; pending (or a page being replaced) meanwhile."""
    deadline = time.monotonic() + 60
    while ui.field("Status") != wanted:
        if time.monotonic() > deadline:
            raise StepFailed(f"the status of {path} stayed {ui.field('Status')!r}")
        if ui.field("Status") not in ("pending", None):
            raise StepFailed(f"the status of {path} is {ui.field('Status')!r}, not {wanted}")
        time.sleep(0.5)
        ui.open(path)


def pay_invoice(ui):
    """Pays the one open invoice with its row's Pay form, then sees it paid once the sandbox calls back."""
    ui.open("/ui/billing")
    ui.expect_heading("^Billing$")
    rows = ui.driver.find_elements(By.XPATH, "//tr[.//form[contains(@action, '/pay')]]")
    if len(rows) != 1:
        raise StepFailed(f"{len(rows)} invoices can be paid, not 1: {ui.text('main')}")
    number = rows[0].find_element(By.CSS_SELECTOR, "td").text.strip()
    rows[0].find_element(By.NAME, "phone").send_keys("0708374149")
    ui.screenshot("billing-open-invoice")
    ui.submit("Pay", "/pay")
    ui.expect_heading("^Billing$")
    ui.expect_text("main .notice", "The payment request was sent")
    deadline = time.monotonic() + 60
    while invoice_status(ui, number) != "paid":
        if time.monotonic() > deadline:
            raise StepFailed(f"the invoice {number} stayed {invoice_status(ui, number)!r}")
        time.sleep(0.5)
        ui.open("/ui/billing")
    ui.screenshot("billing-invoice-paid")


def invoice_status(ui, number):
    """The Status cell of the invoice numbered `number` on the billing page."""
    for row in ui.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        cells = row.find_elements(By.CSS_SELECTOR, "td")
        if len(cells) >= 4 and cells[0].text.strip() == number:
            return cells[3].text.strip()
    return None


def main():
    found, missing = tools()
    if not found:
        print(f"FAILED: {missing}")
        return 1
    browser, driver_path = found
    base = os.environ.get("PESA_BASE_URL", "http://127.0.0.1:8080")
    screenshots = os.environ.get("PESA_SCREENSHOTS") or tempfile.mkdtemp(prefix="pesa-browser-screenshots-")
    os.makedirs(screenshots, exist_ok=True)
    options = Options()
    options.binary_location = browser
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-extensions", "--no-first-run", "--hide-scrollbars",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"]:
        options.add_argument(argument)
    started = time.monotonic()
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    ui = Dashboard(driver, base, screenshots)

    def too_long(signum, frame):
        raise StepFailed(f"the whole run took over {DEADLINE_SECONDS} s")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(DEADLINE_SECONDS)
    try:
        run(ui)
        print(f"took {time.monotonic() - started:.1f} s")
        return 0
    except (StepFailed, WebDriverException) as error:
        print(f"FAILED at step {ui.step!r}: {error}")
        try:
            print(f"page: {driver.current_url} ({driver.title})")
            print("shows: " + driver.find_element(By.TAG_NAME, "body").text[:1500])
            driver.save_screenshot(os.path.join(screenshots, "failure.png"))
            print(f"screenshot of the failure: {os.path.join(screenshots, 'failure.png')}")
        except WebDriverException:
            pass
        return 1
    finally:
        signal.alarm(0)
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
