"""Browser tests: the built React app (frontend/dist) served by Django's live server, driven in
Debian's headless Chromium through Playwright's sync API.

Build first: ``cd frontend && npm ci && npm run build``. Without /usr/bin/chromium or the build,
these tests are skipped loudly, or fail when the ``CI`` environment variable is set.

``E2E_LATENCY_MS=400`` makes every request of every page that much slower, and
``E2E_CPU_SLOWDOWN=4`` runs the pages' scripts that many times slower, as on a loaded CI machine:
the tests must still pass, waiting for what the page shows rather than for the time a quiet
machine takes. (A race between two answers, such as a request still in flight when a test ends
the session, shows only when that answer is held back: ``page.route``.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the test body still talks to the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class SerialWSGIServer(WSGIServer):
    """The live server answering one request at a time.

    On SQLite the test database lives in memory, and Django's live server hands every request
    thread that one shared connection: a page that fires several API calls at once (the reports
    page asks for five) then had two threads inside SQLite on one connection, and they
    deadlocked. Served in turn, each request has the connection to itself; Django closes each
    connection after its response when the server is not threaded, so the browser never waits
    on a kept-alive one.
    """

    def __init__(self, *args, connections_override=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = SerialWSGIServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FRONTEND = Path(__file__).resolve().parents[1]
DIST = FRONTEND / "dist"
SCREENSHOTS = FRONTEND.parent / "docs" / "screenshots"
PASSWORD = "pass-1234-word"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# How long an action or an assertion waits for the page. `expect` has its own default (5 s), short
# for a loaded machine where a page waits on several API calls that the live server answers in turn.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
LATENCY_MS = int(os.environ.get("E2E_LATENCY_MS") or 0)
CPU_SLOWDOWN = float(os.environ.get("E2E_CPU_SLOWDOWN") or 1)


def _unavailable(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# Module scope: Playwright's event loop is gone before any other test module runs.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium).")
    if not (DIST / "index.html").is_file():
        _unavailable(f"{DIST} has no build (cd frontend && npm ci && npm run build).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def app_url(live_server, settings) -> str:
    """The live server's base URL; payment links and checkout return URLs point at it."""
    from django.conf import settings as django_settings

    if not django_settings.WHITENOISE_ROOT:
        _unavailable("the server started without frontend/dist (build before running pytest).")
    settings.PUBLIC_BASE_URL = live_server.url
    return live_server.url


@pytest.fixture
def new_context(browser, app_url):
    """Opens isolated browser sessions (a signed-in owner, an anonymous client...), closed at the end.
    Any uncaught JavaScript error in any page fails the test."""
    contexts = []
    errors: list[str] = []

    def watch(page) -> None:  # type: ignore[no-untyped-def]
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        if LATENCY_MS or CPU_SLOWDOWN > 1:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": LATENCY_MS, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def open_context(**options):
        context = browser.new_context(viewport=DESKTOP, base_url=app_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    assert not errors, "JavaScript errors in the browser:\n" + "\n".join(errors)


@pytest.fixture
def owner(transactional_db):
    from accounts.factories import UserFactory
    from accounts.models import BusinessProfile

    user = UserFactory(username="studio", first_name="Studio", last_name="Nord")
    # Clients see the business profile's name, never the login's.
    BusinessProfile.objects.create(user=user, business_name="Studio Nord")
    return user


@pytest.fixture
def owner_page(new_context, app_url, owner):
    """A signed-in owner with the sandbox gateway connected through the settings page."""
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.new_page()
    page.goto("/invoices")
    page.wait_for_url(re.compile(r"/login"))
    page.get_by_label("Username").fill(owner.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Invoices", exact=True).wait_for()

    page.get_by_role("link", name="Payment settings").click()
    page.get_by_role("button", name="Add sandbox gateway").click()
    card = page.get_by_role("listitem", name="Sandbox")
    card.get_by_text("Default").wait_for()
    return page


def expect_loaded(page) -> None:  # type: ignore[no-untyped-def]
    """Every section of the page shows its data: no "Loading…" and no "Refreshing…" left.

    Call it once something of the page's own data is on screen (its sections are mounted then):
    before a screenshot, or a measurement of the whole page, that must not catch a section still
    waiting for its response."""
    expect(page.locator(".loading")).to_have_count(0)
    expect(page.get_by_role("button", name="Refreshing…")).to_have_count(0)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
