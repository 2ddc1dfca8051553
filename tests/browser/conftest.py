"""Browser tests: headless Chromium through dash.testing's `dash_duo`.

Plain `pytest` runs them headless (the `--headless` flag is accepted but not needed).
Debian ships the browser as /usr/bin/chromium; set DASH_TEST_CHROMEPATH to use another.
"""

from __future__ import annotations

import os
import shutil

import pytest
from selenium.webdriver.chrome.options import Options

WINDOW = "1400,1000"  # wide enough for the desktop layout (Bootstrap lg)


def pytest_setup_options() -> Options:
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument(f"--window-size={WINDOW}")
    options.add_argument("--lang=da-DK")
    browser = os.environ.get("DASH_TEST_CHROMEPATH") or shutil.which("chromium")
    if browser:
        options.binary_location = browser
    return options
