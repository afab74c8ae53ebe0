"""Screenshots of pages for the documentation (tools/screenshots): signs in to a served store's
auditor's pages with a token and saves each page NAME=PATH (a path on the server, or a file://
URL) as OUT/NAME.png at 1024 x 900, the size docs/ keeps. NAME=PATH|CSS scrolls the element CSS
to the top first (a chart further down the page)."""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main():
    base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
    options = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1024,900", "--hide-scrollbars"]:
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(base + "/ui/sign-in")
        driver.find_element(By.NAME, "token").send_keys(token)
        driver.find_element(By.CSS_SELECTOR, "#sign-in button").click()
        os.makedirs(out, exist_ok=True)
        for page in sys.argv[4:]:
            name, path = page.split("=", 1)
            path, _, css = path.partition("|")
            driver.get(path if path.startswith("file://") else base + path)
            if css:  # the part of the page the picture is about
                driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.CSS_SELECTOR, css))
            driver.save_screenshot(os.path.join(out, name + ".png"))
            print(f"{name}: {driver.title}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
