"""index.html in a real browser: Debian's headless chromium, opened from ``file://``, driven by
selenium (the ``browser`` extra) through Debian's chromedriver. Nothing is downloaded.

Every image loads, every link resolves (as the browser resolves it), nothing is logged to the
console, and the page fits the window (tables scroll inside it). Screenshots of the whole page,
at a desktop and a phone width, go to ``$BUDGET_SCREENSHOTS`` (or the test's temporary folder);
the test prints where. Without chromium the test is skipped, unless ``BUDGET_BROWSER_TEST=1``
(set by CI), which makes it fail.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from conftest import SCENARIOS, call

REQUIRED = os.environ.get("BUDGET_BROWSER_TEST") == "1"
BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
DRIVER = shutil.which("chromedriver")
SLICE = 4000  # px: the full page is saved in slices of this height (a browser caps one image)

ALLIANCE = """title = "Czechia and its NATO neighbours on straight paths to 3.5 % of GDP by 2035"
group = "czechia_neighbours"

[rule]
kind = "path"
line = "nato_core"
"""


def _webdriver() -> Any:
    """selenium's webdriver module, with chromium and chromedriver present; else skip (or fail in CI)."""
    if BROWSER is None or DRIVER is None:
        why = "no chromium and chromedriver installed (Debian: apt-get install chromium chromium-driver)"
        if REQUIRED:
            pytest.fail(f"BUDGET_BROWSER_TEST=1 but {why}")
        pytest.skip(why)
    return pytest.importorskip("selenium.webdriver", reason="needs selenium: pip install -e '.[browser]'")


def _driver(width: int) -> Any:
    """A headless chromium with a window ``width`` px wide (a phone's viewport below 500 px)."""
    webdriver = _webdriver()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},1000", "--hide-scrollbars", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(300)
    if width < 500:  # narrower than a desktop window can be: a phone's viewport
        metrics = {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    return driver


def _screenshots(driver: Any, folder: Path, name: str) -> list[Path]:
    """The whole page as PNG slices (Chrome DevTools ``Page.captureScreenshot``)."""
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    paths = []
    for i, top in enumerate(range(0, height, SLICE)):
        clip = {"x": 0, "y": top, "width": width, "height": min(SLICE, height - top), "scale": 1}
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        paths.append(folder / f"{name}-{i + 1:02d}.png")
        paths[-1].write_bytes(base64.b64decode(shot["data"]))
    return paths


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two scenarios and a four-member alliance, 200 draws; returns the output folder."""
    _webdriver()  # skip (or fail) before drawing anything
    root = tmp_path_factory.mktemp("browser")
    (root / "neighbours.toml").write_text(ALLIANCE, encoding="utf-8")
    files = [str(SCENARIOS / f"{n}.toml") for n in ("stated-targets", "legal-floor-2pct")]
    result = call("run", *files, str(root / "neighbours.toml"), "--out", str(root / "out"), "--draws", "200")
    assert result.status == 0, result.stderr
    return root / "out"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_in_a_browser(site: Path, width: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    driver = _driver(width)
    try:
        driver.get((site / "index.html").as_uri())
        assert driver.execute_script("return document.readyState") == "complete"
        images = driver.execute_script(
            "return Array.from(document.images, i => [i.currentSrc, i.complete, i.naturalWidth, i.alt])"
        )
        links = driver.execute_script("return Array.from(document.links, a => a.href)")
        anchors = driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href^=\"#\"]'),"
            " a => [a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])"
        )
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        logs = driver.get_log("browser")
        folder = Path(os.environ.get("BUDGET_SCREENSHOTS") or tmp_path / "screenshots")
        folder.mkdir(parents=True, exist_ok=True)
        shots = _screenshots(driver, folder, f"index-{width}px")
    finally:
        driver.quit()
    with capsys.disabled():
        print(f"\nscreenshots of index.html at {width}px: {folder} ({len(shots)} files)")
    assert len(images) == len(list(site.glob("*/*.png"))) >= 14  # every chart of the run, shown once
    broken = [src for src, complete, natural, _ in images if not complete or natural == 0]
    assert not broken, f"images that did not load: {broken}"
    assert all(alt.strip() for *_, alt in images)
    files = [Path(unquote(urlsplit(u).path)) for u in links if urlsplit(u).scheme == "file"]
    assert files and all(site in f.parents or f == site for f in files)  # every local link stays in the folder
    assert not [f for f in files if not f.exists()], "links to missing files"
    assert not [u for u in links if urlsplit(u).scheme not in ("file", "http", "https", "mailto")]
    assert anchors and all(found for _, found in anchors), [h for h, found in anchors if not found]
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px window"
    assert not [entry for entry in logs if entry["level"] in ("SEVERE", "WARNING")], logs
    assert all(p.stat().st_size > 0 for p in shots)
