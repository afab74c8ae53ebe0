#!/usr/bin/python3
"""The public follow-up site of `capledger publish` in a real browser (headless Chromium).

Usage: /usr/bin/python3 public_site.py SITE_DIR ARTEFACT_DIR
  SITE_DIR      what `capledger publish --out` wrote
  ARTEFACT_DIR  where the screenshots go (public-index.png, public-clinic.png); if the
                environment has CAPLEDGER_SCREENSHOT_DIR, they are copied there as well.

Run by tests/integration/public_browser_test.sh with Debian's python3 (python3-selenium) and
chromium-driver. Every expected figure comes from open-data/ersattning.json, never from a page.
Exit 0: passed; an AssertionError (exit 1) names what differed.
"""
import json
import os
import shutil
import sys
from urllib.parse import unquote, urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

SITE = os.path.abspath(sys.argv[1])
ARTEFACTS = os.path.abspath(sys.argv[2])

# The heading of the listed-residents column of the index: src/present/html_public.cc,
# PublicIndexHtml ("Listade (senaste månaden)"; the site is published in Swedish).
LISTED_HEADING = "Listade (senaste månaden)"


def parse_sv_count(text):
    """A count as src/present/format_lang.cc writes it in Swedish: digits grouped by three with
    U+00A0 (a plain space is accepted too), U+2212 as the minus sign, "<5" for a suppressed count
    of 1 to 4 (ledger::Publishable). Returns the interval (lo, hi) the text allows."""
    t = text.strip()
    if t == "<5":
        return (1, 4)
    t = t.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    assert t.lstrip("-").isdigit(), f"not a Swedish count: {text!r}"
    return (int(t), int(t))


def load_json():
    """open-data/ersattning.json (src/present/open_data.cc, OpenDataJson): {"year", "through",
    "known_at_seq", "band_min_ages", "rows": [{"clinic", "name", "month", "listed", ...}]}, one
    row per clinic and month."""
    data = json.load(open(os.path.join(SITE, "open-data", "ersattning.json"), encoding="utf-8"))
    # The index's "Listade (senaste månaden)" is OpenDataClinic::listed_last: the row's `listed`
    # in the last reported month (src/ledger/open_data.cc, Summarize), 0 for a clinic without a
    # row that month. The world is walked and paid through `through`, so that month is reported.
    last = max(r["month"] for r in data["rows"])
    assert last == data["through"], (last, data["through"])
    clinics = {r["clinic"] for r in data["rows"]}
    listed = {c: 0 for c in clinics}
    for r in data["rows"]:
        if r["month"] == last:
            assert isinstance(r["listed"], int), r  # `listed` is never suppressed (open_data.h)
            listed[r["clinic"]] = r["listed"]
    return data, listed


def file_url(path):
    return "file://" + os.path.abspath(path)


def url_to_path(url):
    parsed = urlparse(url)
    assert parsed.scheme == "file", url
    return unquote(parsed.path)


def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    return driver


def severe_entries(driver):
    """The console's SEVERE entries since the last call (get_log drains the buffer)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def check_common(driver, page):
    """What every page must have: no SEVERE console entry, an h1, its stylesheet applied and
    sort.js run (both loaded over relative file:// URLs), and every relative href/src resolving to
    a file of the site."""
    severe = severe_entries(driver)
    assert not severe, (page, severe)
    h1 = driver.find_elements(By.TAG_NAME, "h1")
    assert h1 and h1[0].text.strip(), (page, "no h1 with text")
    # style.css: header.site { background: #0d2f4f } (src/present/html_assets.cc).
    bg = driver.execute_script(
        "var h = document.querySelector('header.site'); return h && getComputedStyle(h).backgroundColor;")
    assert bg == "rgb(13, 47, 79)", (page, "style.css not applied", bg)
    # sort.js moves each sortable table's header text into a <button> (html_assets.cc, kSortJs).
    unbuttoned = driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('table.sortable thead th'),"
        " function (th) { return !th.querySelector('button'); }).length;")
    assert unbuttoned == 0, (page, "sort.js did not run", unbuttoned)
    # The attributes as written (getAttribute, not the resolved property), also inside SVG.
    refs = driver.execute_script(
        "var out = [];"
        "document.querySelectorAll('[href],[src],[*|href]').forEach(function (e) {"
        "  ['href', 'src', 'xlink:href'].forEach(function (a) {"
        "    var v = e.getAttribute(a); if (v !== null) out.push([e.tagName, a, v]); }); });"
        "return out;")
    assert refs, (page, "no links at all")
    page_dir = os.path.dirname(url_to_path(driver.current_url))
    for tag, attr, value in refs:
        assert "://" not in value and not value.startswith("/") and not value.startswith("data:"), \
            (page, tag, attr, value, "not relative")
        target = value.split("#", 1)[0].split("?", 1)[0]
        if not target:
            continue  # a fragment of the page itself
        resolved = os.path.normpath(os.path.join(page_dir, unquote(target)))
        assert resolved.startswith(SITE + os.sep), (page, value, "leaves the site")
        assert os.path.isfile(resolved), (page, tag, attr, value, "resolves to no file", resolved)
    return len(refs)


def index_rows(driver, column):
    """(clinic id, listed-cell text, data-value) per row of the clinics table, in page order. The
    clinic's id is the row's <span class="muted mono id"> (html_public.cc, IndexRow)."""
    return driver.execute_script(
        "var column = arguments[0];"
        "return Array.prototype.map.call(document.querySelectorAll('#clinics tbody tr'), function (tr) {"
        "  var c = tr.cells[column];"
        "  return [tr.querySelector('span.id').textContent, c.textContent, c.getAttribute('data-value')];"
        "});", column)


def aria_sorts(driver):
    return driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#clinics thead th'),"
        " function (th) { return th.getAttribute('aria-sort'); });")


def save_screenshot(driver, name):
    path = os.path.join(ARTEFACTS, name)
    assert driver.save_screenshot(path), path
    extra = os.environ.get("CAPLEDGER_SCREENSHOT_DIR")
    if extra:
        os.makedirs(extra, exist_ok=True)
        shutil.copyfile(path, os.path.join(extra, name))
    return path


def check_index(driver, listed):
    driver.get(file_url(os.path.join(SITE, "index.html")))
    n_refs = check_common(driver, "index.html")
    headers = driver.find_elements(By.CSS_SELECTOR, "table.sortable#clinics thead th")
    names = [h.text.strip() for h in headers]
    assert LISTED_HEADING in names, names
    column = names.index(LISTED_HEADING)
    header = headers[column]
    assert "num" in (header.get_attribute("class") or "").split(), "the listed column is numeric"
    assert aria_sorts(driver) == [None] * len(headers), ("sorted before any click", aria_sorts(driver))

    # Every clinic row against the JSON: same clinics, and each listed count is the JSON's.
    before = index_rows(driver, column)
    assert sorted(r[0] for r in before) == sorted(listed), ([r[0] for r in before], sorted(listed))
    for clinic, text, value in before:
        lo, hi = parse_sv_count(text)
        assert lo <= listed[clinic] <= hi, (clinic, "index shows", text, "ersattning.json has", listed[clinic])
        assert value == str(listed[clinic]), (clinic, "data-value", value, "json", listed[clinic])

    # Paid in total: the sum of the clinic's rows' totals in the JSON, in öre ("1234.50" -> 123450),
    # against the cell's data-value (öre) and its text.
    paid = {}
    for r in DATA["rows"]:
        kronor, ore = r["total"].lstrip("-").split(".")
        paid[r["clinic"]] = paid.get(r["clinic"], 0) + (-1 if r["total"].startswith("-") else 1) * (int(kronor) * 100 + int(ore))
    total_column = names.index("Ersättning totalt")
    for clinic, text, value in index_rows(driver, total_column):
        assert value == str(paid[clinic]), (clinic, "paid in total", value, "json sums to", paid[clinic])
        digits = text.replace("\u00a0", "").replace(" ", "").replace("kr", "").replace(",", "")
        assert digits == str(paid[clinic]), (clinic, "paid in total shown as", text, "json sums to", paid[clinic])

    # sort.js (html_assets.cc): the first click sorts ascending (the header has no aria-sort yet),
    # numerically by data-value; Array.prototype.sort is stable, so ties keep their page order.
    # The next click on the same header sorts descending (-order, stable again: ties keep the
    # ascending order). The header gets aria-sort, every other header loses it.
    # Expected orders: the page's first order, sorted by the JSON's counts.
    order = [r[0] for r in before]
    want_asc = sorted(order, key=lambda c: listed[c])
    want_desc = sorted(want_asc, key=lambda c: -listed[c])
    for click, direction, want in ((1, "ascending", want_asc), (2, "descending", want_desc)):
        header.find_element(By.TAG_NAME, "button").click()
        rows = index_rows(driver, column)
        got = [r[0] for r in rows]
        assert got == want, (f"click {click}: rows not {direction}", got, want)
        shown = [parse_sv_count(r[1]) for r in rows]
        for a, b in zip(shown, shown[1:]):
            ok = a[0] <= b[1] if direction == "ascending" else a[1] >= b[0]
            assert ok, (f"click {click}: shown counts not {direction}", [r[1] for r in rows])
        want_aria = [None] * len(headers)
        want_aria[column] = direction
        assert aria_sorts(driver) == want_aria, (click, aria_sorts(driver), want_aria)
    assert not severe_entries(driver), "console errors while sorting"
    save_screenshot(driver, "public-index.png")  # sorted descending: the header shows its arrow
    print(f"  index: {len(before)} clinics match ersattning.json; sorted ascending then descending; "
          f"{n_refs} links resolve")

    links = driver.find_elements(By.CSS_SELECTOR, "#clinics tbody td:first-child a")
    urls = [a.get_attribute("href") for a in links]  # the property: resolved against the page
    assert len(urls) == len(listed), (urls, sorted(listed))
    # Follow the first link by a click, as a reader would; the others by their URLs.
    links[0].click()
    assert driver.current_url == urls[0], (driver.current_url, urls[0])
    return urls


def check_clinics(driver, urls, listed):
    shot = None
    for url in urls:
        if driver.current_url != url:
            driver.get(url)
        path = url_to_path(url)
        page = os.path.relpath(path, SITE)
        clinic = os.path.splitext(os.path.basename(path))[0]  # clinics/<id>.html (PublicClinicPath)
        assert clinic in listed, (page, "names no clinic of ersattning.json")
        n_refs = check_common(driver, page)
        charts = driver.find_elements(By.CSS_SELECTOR, 'svg[role="img"]')
        assert charts, (page, 'no svg with role="img"')
        for svg in charts:
            size = svg.size
            assert size["width"] > 100 and size["height"] > 50, (page, "a chart renders too small", size)
        # The page's "Listade invånare (senaste månaden)" fact against the JSON as well.
        facts = dict(zip([e.text for e in driver.find_elements(By.CSS_SELECTOR, "dl.facts dt")],
                         [e.text for e in driver.find_elements(By.CSS_SELECTOR, "dl.facts dd")]))
        assert facts.get("Id") == clinic, (page, facts)
        lo, hi = parse_sv_count(facts["Listade invånare (senaste månaden)"])
        assert lo <= listed[clinic] <= hi, (page, facts, listed[clinic])
        if shot is None:
            shot = save_screenshot(driver, "public-clinic.png")
        print(f"  {page}: h1, {len(charts)} charts, {n_refs} links resolve, no console error")
    return shot


DATA = None


def main():
    global DATA
    DATA, listed = load_json()
    driver = start_browser()
    try:
        urls = check_index(driver, listed)
        check_clinics(driver, urls, listed)
    finally:
        driver.quit()
    print(f"  screenshots in {ARTEFACTS}" + (f" and {os.environ['CAPLEDGER_SCREENSHOT_DIR']}"
                                            if os.environ.get("CAPLEDGER_SCREENSHOT_DIR") else ""))


if __name__ == "__main__":
    main()
