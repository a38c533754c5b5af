"""Real browser, real server: Debian's chromium driven through chromedriver's W3C WebDriver API.

WebDriver is plain HTTP + JSON, so httpx is the whole client. Tests skip, with the reason,
when chromium or chromedriver is not installed (.ci/services.sh installs both).
"""
from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (httpx.HTTPError, OSError, KeyError, ValueError) as error:  # not up yet
            last = error
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not happen within {timeout}s ({last})")


class Browser:
    """The few WebDriver commands the tests need."""

    def __init__(self, driver_url: str, session_id: str):
        self.http = httpx.Client(base_url=f"{driver_url}/session/{session_id}", timeout=60)

    def _call(self, method: str, path: str, payload: dict | None = None):
        response = self.http.request(method, path, json=payload)
        body = response.json()
        if response.status_code != 200:
            raise RuntimeError(f"webdriver {path}: {body.get('value', body)}")
        return body["value"]

    def get(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def js(self, script: str, *args):
        return self._call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_js(self, expression: str, timeout: float = 15, what: str | None = None):
        return wait_for(lambda: self.js(f"return {expression};"), timeout, what or expression)

    def find_all(self, css: str) -> list[str]:
        found = self._call("POST", "/elements", {"using": "css selector", "value": css})
        return [next(iter(element.values())) for element in found]

    def click(self, element_id: str) -> None:
        self._call("POST", f"/element/{element_id}/click", {})

    def set_window(self, width: int, height: int) -> None:
        self._call("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, path: Path) -> bytes:
        png = base64.b64decode(self._call("GET", "/screenshot"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return png

    def quit(self) -> None:
        try:
            self.http.delete("")
        finally:
            self.http.close()


def _tool(env: str, *names: str) -> str | None:
    given = os.environ.get(env)
    if given and Path(given).exists():
        return given
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_paths():
    chromium = _tool("WHIMBREL_CHROMIUM", "chromium", "chromium-browser")
    driver = _tool("WHIMBREL_CHROMEDRIVER", "chromedriver")
    if not chromium or not driver:
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/services.sh installs them)")
    return chromium, driver


@pytest.fixture
def browser(chromium_paths, tmp_path):
    chromium, driver = chromium_paths
    port = free_port()
    process = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: httpx.get(f"{driver_url}/status", timeout=2).json()["value"]["ready"], 20, "chromedriver")
        capabilities = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": CHROME_FLAGS + [
                f"--user-data-dir={tmp_path / 'chrome-profile'}", "--window-size=1400,1000"]},
        }}}
        session = httpx.post(f"{driver_url}/session", json=capabilities, timeout=60).json()["value"]
        if "sessionId" not in session:
            raise RuntimeError(f"chromedriver refused the session: {session}")
        browser = Browser(driver_url, session["sessionId"])
        yield browser
        browser.quit()
    finally:
        process.terminate()
        process.wait(timeout=10)


def whimbrel_command() -> list[str]:
    script = Path(sys.executable).with_name("whimbrel")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from whimbrel.cli import main; main()"]


@pytest.fixture
def serve():
    """Start `whimbrel serve --db DB` on a free 127.0.0.1 port; yields a function returning its URL."""
    processes = []

    def start(db: str) -> str:
        port = free_port()
        process = subprocess.Popen(whimbrel_command() + ["serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"

        def healthy():
            if process.poll() is not None:
                raise RuntimeError(f"whimbrel serve exited: {process.stderr.read().decode()}")
            return httpx.get(f"{url}/healthz", timeout=2).status_code == 200

        wait_for(healthy, 30, "whimbrel serve")
        return url

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
