"""Browser tests: Playwright drives the system Chromium against pytest-django's live server.

Playwright's own browser download does not work everywhere; we use the distribution's Chromium
(Debian: `apt-get install chromium`) or the binary named by CHROMIUM_PATH. Without one the tests
fail with that instruction: they are never skipped.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    if not path:
        pytest.fail(
            "No Chromium found for the browser tests: install it (Debian/Ubuntu: "
            "`apt-get install chromium`) or set CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Allow the ORM in the thread where Playwright's sync API runs its event loop.

    The test's own ORM calls (creating users, flushing the database) are plain synchronous
    code. Browser tests run last (see the root conftest), so no other test runs with this.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(autouse=True)
def _browser_test_setup(request, page, live_server):
    """Fail on any browser console error (CSP violations included); screenshot every test."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status} for {r.url}") if r.status == 404 else None,
    )
    page.set_default_timeout(10_000)
    yield
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the real form; return the page on the dashboard."""

    def sign_in(username: str, password: str = DEFAULT_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    return sign_in
