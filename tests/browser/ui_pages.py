"""The auditor's pages (/ui/) in headless Chromium; run by tests/integration/ui_browser_test.sh.

Every figure read from a page is compared with the JSON of the same question, fetched from the
API with a bearer token (/v1/...) or printed by the command line (--json), never with another page.
Figures are parsed from their Swedish form ("1 234,50 kr", "−12,00 kr", "12 345") into integers
(öre, counts) so that the comparison is exact.
"""
import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

NBSP = "\u00a0"
MINUS = "\u2212"


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def ore_of(text):
    """'1 234,50 kr' -> 123450; '−0,50 kr' -> -50; '+12,00 kr' -> 1200 (exact, no floats)."""
    t = text.replace(NBSP, "").replace(" ", "").replace("kr", "").replace(MINUS, "-").replace("+", "")
    negative = t.startswith("-")
    t = t.lstrip("-")
    kronor, ore = t.split(",")
    check(len(ore) == 2 and kronor.isdigit() and ore.isdigit(), "not an amount: " + repr(text))
    value = int(kronor) * 100 + int(ore)
    return -value if negative else value


def kronor_json(text):
    """The JSON's "1234.50" / "-0.50" -> öre."""
    negative = text.startswith("-")
    kronor, ore = text.lstrip("-").split(".")
    value = int(kronor) * 100 + int(ore)
    return -value if negative else value


def count_of(text):
    t = text.replace(NBSP, "").replace(" ", "").replace(MINUS, "-")
    check(t.lstrip("-").isdigit(), "not a count: " + repr(text))
    return int(t)


class Ui:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        options = webdriver.ChromeOptions()
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"]:
            options.add_argument(a)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.shots = []

    def api(self, path, token=None):
        request = urllib.request.Request(self.base + path, headers={"Authorization": "Bearer " + (token or self.args.auditor)})
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def cli_json(self, *argv):
        out = subprocess.run([self.args.cli, "--log-level", "warn", "--data", self.args.store, "--json", *argv],
                             check=False, capture_output=True, text=True)
        return json.loads(out.stdout)

    def cli_text(self, *argv):
        return subprocess.run([self.args.cli, "--log-level", "warn", "--data", self.args.store, *argv],
                              check=True, capture_output=True, text=True).stdout

    def go(self, path):
        self.driver.get(self.base + path)
        self.no_console_errors(path)

    def no_console_errors(self, where):
        severe = [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
        check(not severe, f"console errors on {where}: {severe}")

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def wait_for(self, css):
        """The element `css` once the page that a click started has loaded it (10 s at most)."""
        return WebDriverWait(self.driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, css))

    def click_to(self, clicked, css):
        """Clicks `clicked`, which leads to another page, and waits for that page's `css`."""
        self.driver.execute_script("window.__old_page = true")
        clicked.click()
        self.wait_for_new_page()
        return self.wait_for(css)

    def wait_for_new_page(self):
        """Waits until the window holds a new document (the marker set on the old one is gone)."""
        def new_page(driver):
            try:
                return driver.execute_script("return window.__old_page === undefined && document.readyState === 'complete'")
            except WebDriverException:  # the old document went away while asked
                return False
        WebDriverWait(self.driver, 10).until(new_page)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def h1(self):
        return self.find("h1").text

    def shot(self, name):
        os.makedirs(self.args.screenshots, exist_ok=True)
        path = os.path.join(self.args.screenshots, name + ".png")
        self.driver.save_screenshot(path)
        self.shots.append(path)

    def sign_in(self, token):
        self.go("/ui/sign-in")
        self.find("input[name=token]").send_keys(token)
        self.click_to(self.find("#sign-in button"), "#who")
        self.no_console_errors("after sign-in")

    def sign_out(self):
        self.click_to(self.find("header form button"), "#sign-in")
        check(self.driver.current_url.endswith("/ui/sign-in"), "signing out leads to the sign-in page")

    def form_token(self):
        return self.find("header form input[name=form_token]").get_attribute("value")

    def post_from_page(self, path, fields):
        """Submits a form built in the signed-in page (its cookies, same origin) with `fields`, as a
        forged or hand-made POST would; returns the h1 of the answer ("Inte tillåtet" for a 403)."""
        self.driver.execute_script("window.__old_page = true")
        self.driver.execute_script(
            "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
            "for (const [k, v] of arguments[1]) { const i = document.createElement('input');"
            " i.name = k; i.value = v; f.appendChild(i); }"
            "document.body.appendChild(f); f.submit();", path, list(fields.items()))
        self.wait_for_new_page()
        self.driver.get_log("browser")  # a refusal's 403 is logged as a console error; the page is checked
        return self.h1()


def test_sign_in(ui):
    ui.driver.get(ui.base + "/ui/runs")
    check(ui.driver.current_url.endswith("/ui/sign-in"), "a page without a session leads to the sign-in page")
    ui.shot("ui-sign-in")
    ui.find("input[name=token]").send_keys("auditor-not-a-token")
    ui.click_to(ui.find("#sign-in button"), ".error")
    check(ui.finds(".error"), "a wrong token is refused on the page")
    ui.driver.get_log("browser")  # the refusal's 401 is logged as a console error; it is expected
    check(not ui.finds("#who"), "a wrong token signs nobody in")
    ui.sign_in(ui.args.auditor)
    check("anna.auditor" in ui.find("#who").text and "auditor" in ui.find("#who").text, "the header names who signed in")
    cookies = ui.driver.get_cookies()
    session = [c for c in cookies if c["name"] == "capledger_session"]
    check(len(session) == 1 and session[0]["httpOnly"] and session[0].get("sameSite") == "Strict"
          and "expiry" not in session[0], f"the session cookie is HttpOnly, SameSite=Strict, for this browser session: {session}")
    check(all(ui.args.auditor not in c["value"] for c in cookies), "the browser keeps no token")
    ui.shot("ui-start")


def test_runs_statement_trace(ui):
    ui.go("/ui/runs")
    check(not ui.finds("#payout-button") and not ui.finds("#payout-form"), "an auditor sees no payout button")
    runs = ui.api("/v1/runs")["runs"]
    rows = ui.finds("main table tbody tr")
    check(len(rows) == len(runs), f"one row per run: {len(rows)} vs {len(runs)}")
    by_month = {r["run"]: r for r in runs}
    for row in rows:
        cells = row.find_elements(By.TAG_NAME, "td")
        run = by_month[cells[0].text]
        check(count_of(cells[4].text) == run["entry_count"], f"entries of run {run['run']}")
        check(ore_of(cells[5].text) == kronor_json(run["total"]), f"total of run {run['run']}")
    ui.shot("ui-runs")
    latest = rows[0].find_element(By.CSS_SELECTOR, "td a")
    month = latest.text
    ui.click_to(latest, "#statement-total")
    ui.no_console_errors("statement")
    statement = ui.api(f"/v1/statement?run={month}")
    check(ore_of(ui.find("#statement-total").text) == kronor_json(statement["total"]), "the statement's total")
    for clinic in statement["clinics"]:
        for entry in clinic["current"] + clinic["corrections"]:
            link = ui.find(f"a[href^='/ui/entries/{entry['id']}/trace']")
            check(ore_of(link.text) == kronor_json(entry["amount"]), f"the amount of {entry['id']} on the statement")
    ui.shot("ui-statement")
    first = statement["clinics"][0]["current"][0]
    ui.click_to(ui.find(f"a[href^='/ui/entries/{first['id']}/trace']"), "#verdict")
    ui.no_console_errors("trace")
    check_trace_page(ui, first["id"])
    ui.shot("ui-trace")
    return first


def check_trace_page(ui, entry_id):
    trace = ui.cli_json("trace", entry_id)
    check(ore_of(ui.find("#booked").text) == kronor_json(trace["entry"]["amount"]), "the trace's booked amount")
    check(count_of(ui.find("#listed").text) == trace["clinic_month"]["listed"], "the trace's listed N")
    check(ui.find("#verdict").text == ("REPRODUCES" if trace["reproduces"] else "DOES NOT REPRODUCE"), "the verdict")
    bands = ui.finds("#bands tbody tr")
    check(len(bands) == len(trace["clinic_month"]["band_counts"]), "one row per band")
    for row, expected in zip(bands, trace["clinic_month"]["band_counts"]):
        check(count_of(row.find_elements(By.TAG_NAME, "td")[2].text) == expected, "a band's count")
    for component, amount in trace["clinic_month"]["amounts"].items():
        cell = ui.find(f"tr[data-component='{component}'] td.num")
        check(ore_of(cell.text) == kronor_json(amount), f"the clinic-month's {component}")
    return trace


def test_explain(ui, entry):
    """From the trace page: the first counted resident to their explanation, against /v1/explain."""
    link = ui.find("#residents ~ .table-wrap tbody tr td a")
    resident = link.text
    ui.click_to(link, "#counted")
    explain = ui.api(f"/v1/explain?resident={resident}&month={entry['month']}&known_at=seq:{entry['known_at_seq']}")
    check(explain["counted"] and ui.find("#counted").text.startswith("ja"), "a counted resident is shown counted")
    check(explain["clinic"] in ui.find("#counted").text, "at the clinic the JSON names")
    rows = ui.finds("main table tbody tr")
    check(len(rows) == len(explain["events"]), "one row per fact the JSON lists")
    for row, event in zip(rows, explain["events"]):
        check(row.find_element(By.TAG_NAME, "td").text == f"seq {event['seq']}", "the facts in the JSON's order")
    ui.shot("ui-explain")
    ui.driver.back()
    ui.wait_for("#verdict")


def test_event(ui):
    link = ui.find("a[href^='/ui/events/']")
    seq = int(link.get_attribute("href").rsplit("/", 1)[1].split("?")[0])
    ui.click_to(link, "#event-json")
    ui.no_console_errors("event")
    line = ui.cli_text("log", "--from-seq", str(seq), "--limit", "1").rstrip("\n")
    check(ui.find("#event-json").text == line, f"the log record of seq {seq} is what `log` prints")
    ui.shot("ui-event")


def test_dispute(ui):
    entries = ui.api("/v1/entries")["entries"]
    runs = {r["run"]: r for r in ui.api("/v1/runs")["runs"]}
    adjustments = [e for e in entries if e["kind"] == "adjustment" and e["month"] in runs]
    check(adjustments, "the walk booked adjustments")
    a = adjustments[0]  # the first correction of its clinic-month: the regular run's K to its own K
    before = runs[a["month"]]["known_at_seq"]
    ui.go("/ui/dispute")
    ui.find("#dispute-form input[name=clinic]").send_keys(a["clinic"])
    ui.find("#dispute-form input[name=month]").send_keys(a["month"])
    ui.find("#dispute-form input[name=known_at]").send_keys(str(before))
    ui.find("#dispute-form input[name=vs]").send_keys(str(a["known_at_seq"]))
    ui.click_to(ui.find("#dispute-form button"), "svg rect.bar")
    ui.no_console_errors("dispute")
    dispute = ui.api(f"/v1/dispute?clinic={a['clinic']}&month={a['month']}&known_at=seq:{before}&vs=seq:{a['known_at_seq']}")
    difference = kronor_json(dispute["after"]["total"]) - kronor_json(dispute["before"]["total"])
    check(kronor_json(dispute["difference"][a["component"]]) == kronor_json(a["amount"]),
          "the dispute's difference in the corrected component is the adjustment booked for it")
    titles = [t.get_attribute("textContent") for t in ui.finds("svg rect.bar title")]
    values = [ore_of(t.rsplit(": ", 1)[1]) for t in titles]
    start, steps, end = values[0], values[1:-1], values[-1]
    check(start == kronor_json(dispute["before"]["total"]), "the waterfall starts at the first total")
    check(end == kronor_json(dispute["after"]["total"]), "the waterfall ends at the second total")
    check(sum(steps) == difference, f"the waterfall's parts sum to the difference: {sum(steps)} vs {difference}")
    parts = sum(sum(kronor_json(v) for v in c["parts"].values()) for c in dispute["causes"])
    check(parts == difference, "the causes' parts in the JSON sum to the difference")
    ui.shot("ui-dispute")


def test_clinic(ui, clinic):
    ui.go(f"/ui/clinic?clinic={clinic}")
    entries = ui.api(f"/v1/entries?clinic={clinic}")["entries"]
    expected = {}
    for e in entries:  # what was booked for each month, summed independently of the page
        expected[e["month"]] = expected.get(e["month"], 0) + kronor_json(e["amount"])
    rows = ui.finds("#booked tbody tr")
    check(len(rows) == len(expected), "one row per booked month")
    for row in rows:
        month = row.get_attribute("data-month")
        total = ore_of(row.find_elements(By.TAG_NAME, "td")[-1].text)
        check(total == expected[month], f"booked for {clinic} {month}: {total} vs {expected[month]}")
    check(ui.finds("svg[role=img]"), "the clinic's chart")
    ui.shot("ui-clinic")


def test_period_and_verify(ui):
    runs = ui.api("/v1/runs")["runs"]
    through = runs[-1]["run"]
    year = through[:4]
    ui.go(f"/ui/period?year={year}&through={through}")
    period = ui.api(f"/v1/period?year={year}&through={through}")
    check(ore_of(ui.find("#outcome").text) == kronor_json(period["outcome"]["total"]), "the period's outcome")
    check(ore_of(ui.find("#forecast").text) == kronor_json(period["forecast"]["total"]), "the period's forecast")
    ui.shot("ui-period")
    ui.go("/ui/verify")
    verify = ui.api("/v1/verify")
    check(verify["ok"] and "verdict ok" in ui.find("#verdict").get_attribute("class"), "verify: intact")
    check(f"seq {verify['head_seq']}" in ui.find("main dl").text, "verify: the head seq")
    ui.shot("ui-verify")


def test_annual_balance_rulebooks(ui, clinic):
    ui.go("/ui/annual?year=2023")
    annual = ui.api("/v1/annual-report?year=2023")
    for c in annual["clinics"] + [annual["total"]]:
        cells = ui.find(f"tr[data-clinic='{c['clinic']}']").find_elements(By.TAG_NAME, "td")
        check(ore_of(cells[2].text) == kronor_json(c["fixed"]), f"the annual report's fixed for {c['clinic']}")
        check(ore_of(cells[3].text) == kronor_json(c["variable"]), f"the annual report's variable for {c['clinic']}")
        check(ore_of(cells[4].text) == kronor_json(c["total"]), f"the annual report's total for {c['clinic']}")
        # The mean listed count has two decimals, like an amount without "kr".
        check(ore_of(cells[1].text) == kronor_json(c["mean_listed"]), f"the mean listed count of {c['clinic']}")
    ui.shot("ui-annual")
    ui.go(f"/ui/balance?account=payable:{clinic}")
    balance = ui.api(f"/v1/balance?account=payable:{clinic}")
    check(ore_of(ui.find("#balance").text) == kronor_json(balance["balance"]), "the payable account's balance")
    ui.go("/ui/rulebooks")
    rulebooks = ui.api("/v1/rulebooks")["rulebooks"]
    check(len(ui.finds("main table tbody tr")) == len(rulebooks), "one row per rulebook known")
    for rb in rulebooks:
        check(rb["id"] in ui.find("main table").text, f"the rulebook {rb['id']} is listed")


def test_forged_posts(ui, month):
    runs_before = len(ui.api("/v1/runs")["runs"])
    ui.go("/ui/runs")
    token = ui.form_token()
    refused = "Inte tillåtet"  # the h1 of a 403
    check(ui.post_from_page("/ui/payout", {"month": month, "confirm": "yes"}) == refused,
          "a POST without the form token is refused")
    ui.go("/ui/runs")
    check(ui.post_from_page("/ui/payout", {"month": month, "confirm": "yes", "form_token": token}) == refused,
          "an auditor's payout is refused even with the form token")
    # A page of another origin (a file) posting to the server: the browser sends no session cookie.
    evil = os.path.join(ui.args.scratch, "evil.html")
    with open(evil, "w") as f:
        f.write(f'<form id="f" method="post" action="{ui.base}/ui/payout"><input name="month" value="{month}">'
                f'<input name="confirm" value="yes"><button>go</button></form>')
    ui.driver.get("file://" + evil)
    ui.click_to(ui.driver.find_element(By.CSS_SELECTOR, "#f button"), "h1")
    check(ui.driver.title.startswith("Inte tillåtet"), "a cross-site POST is refused: " + ui.driver.title)
    ui.driver.get_log("browser")  # the refused page's 403 is logged as a console error; it is expected
    check(len(ui.api("/v1/runs")["runs"]) == runs_before, "no forged POST booked a run")


def test_operator_payout(ui, month):
    ui.sign_in(ui.args.operator)
    ui.go("/ui/runs")
    token = ui.form_token()
    check(ui.post_from_page("/ui/payout", {"month": month, "confirm": "yes"}) == "Inte tillåtet",
          "an operator's POST without the form token is refused")
    ui.go("/ui/runs")
    ui.find("#payout-form input[name=month]").send_keys(month)
    ui.click_to(ui.find("#payout-button"), "#payout-confirm")  # the payout asks for a confirmation
    ui.shot("ui-payout-confirm")
    ui.click_to(ui.find("#payout-confirm button"), "#payout-outcome")
    ui.no_console_errors("payout")
    run = [r for r in ui.api("/v1/runs")["runs"] if r["run"] == month]
    check(len(run) == 1, f"the page booked the run for {month}")
    check(f"seq {run[0]['known_at_seq']}" in ui.find("main dl").text, "the page shows the run's K")
    ui.shot("ui-payout")
    check(ui.post_from_page("/ui/payout", {"month": month, "confirm": "yes", "form_token": token}) == f"Utbetalningen för {month}",
          "a second confirmed payout shows the run already booked")
    check("redan utbetald" in ui.find("#payout-outcome").text, "as booked before")
    check(len([r for r in ui.api("/v1/runs")["runs"] if r["run"] == month]) == 1, "and books nothing twice")


def test_english_and_hostile(ui, month):
    ui.go("/ui/runs?lang=en")
    check(ui.find("html").get_attribute("lang") == "en" and ui.h1() == "Runs", "English through ?lang=en")
    check("SEK" in ui.find("main table").text, "English amounts")
    ui.go(f"/ui/report?month={month}")
    name = "<script>document.title='pwned'</script><img src=x id=pwned>"
    check(name in ui.find("tr[data-clinic='VC-1999-01']").text, "a clinic's name with markup is shown as text")
    check(not ui.finds("#pwned") and "pwned" not in ui.driver.title, "no markup from a name became an element")
    check(len(ui.finds("script")) == 1, "the only script is sort.js")
    ui.shot("ui-report")
    head = ui.api("/v1/verify")["head_seq"]  # the hostile clinic was the last event ingested
    found = False
    for s in range(head, max(0, head - 200), -1):
        line = ui.cli_text("log", "--from-seq", str(s), "--limit", "1")
        if '"VC-1999-01"' in line and '"ClinicRegistered"' in line:
            ui.go(f"/ui/events/{s}")
            check('<b id="pwned">x</b>"\'&' in ui.find("main dl").text, "an event id with markup is shown as text")
            check(not ui.finds("#pwned"), "no markup from an event id became an element")
            found = True
            break
    check(found, "the hostile clinic's event is in the log")
    for path, words in [("/ui/report?month=2023-13", "month"), ("/ui/report?month=%3Cscript%3E", "month"),
                        ("/ui/report?month=2023-05&known_at=yesterday", "known_at"), ("/ui/statement?run=1999-01", ""),
                        ("/ui/entries/%3Cb%3E/trace", ""), ("/ui/events/0", "seq"), ("/ui/trace?page=0", "")]:
        ui.driver.get(ui.base + path)
        ui.driver.get_log("browser")  # the error status is logged; the page is what is checked
        check(ui.finds(".error") or ui.h1() in ("Finns inte", "Not found"), f"{path} shows an error page")
        check(words in ui.find("main").text and not ui.finds("main script"), f"{path}: the error names {words!r}")


def test_long_trace(ui):
    entries = ui.api("/v1/entries?run=2023-01")["entries"]
    sizes = {e["id"]: len(ui.api(f"/v1/entries/{e['id']}/trace")["residents"]) for e in entries if e["component"] == "capitation"}
    biggest = max(sizes, key=sizes.get)
    n = sizes[biggest]
    check(n > 10000, f"the largest clinic has more than 10,000 residents ({n})")
    ui.go(f"/ui/entries/{biggest}/trace")
    html = ui.driver.page_source
    rows = ui.finds("#residents ~ .table-wrap tbody tr")
    check(len(rows) == 500, f"the first page holds 500 residents, not {len(rows)}")
    check(len(html) < 400_000, f"the page is not sent whole ({len(html)} bytes)")
    first_row = rows[0].text
    ui.click_to(ui.find("a[rel=next]"), "#residents")
    second = ui.finds("#residents ~ .table-wrap tbody tr")
    check(len(second) == 500 and second[0].text != first_row, "the second page holds the next 500 residents")
    check(second[0].find_element(By.TAG_NAME, "td").text == ui.api(f"/v1/entries/{biggest}/trace")["residents"][500]["resident"],
          "the second page starts at the 501st resident")
    ui.click_to(ui.find("nav.pages a:last-child"), "#residents")
    last = ui.finds("#residents ~ .table-wrap tbody tr")
    check(len(last) == n - 500 * ((n - 1) // 500), f"the last page holds the rest ({len(last)})")
    trace = ui.api(f"/v1/entries/{biggest}/trace")
    check(last[-1].find_element(By.TAG_NAME, "td").text == trace["residents"][-1]["resident"], "the last resident")
    ui.shot("ui-trace-long")


def main():
    p = argparse.ArgumentParser()
    for name in ["base", "auditor", "operator", "cli", "store", "scratch", "screenshots"]:
        p.add_argument("--" + name, required=True)
    args = p.parse_args()
    ui = Ui(args)
    try:
        test_sign_in(ui)
        first = test_runs_statement_trace(ui)
        test_explain(ui, first)
        test_event(ui)
        test_dispute(ui)
        test_clinic(ui, first["clinic"])
        test_period_and_verify(ui)
        test_annual_balance_rulebooks(ui, first["clinic"])
        test_long_trace(ui)
        test_forged_posts(ui, "2023-06")
        test_english_and_hostile(ui, "2023-06")
        test_operator_payout(ui, "2023-06")
    finally:
        ui.driver.quit()
    print(f"ui_pages: ok, {len(ui.shots)} screenshots in {args.screenshots}")


if __name__ == "__main__":
    main()
