"""The live-update client (config/static/js/live.js) in Chromium, against a stand-in WebSocket
and Playwright's clock: how often it comes back when the server turns it away.

A server whose live updates are down accepts the handshake and closes it at once with 4503;
the client must back off (1 s doubling to 30 s), not reconnect every second because the
handshake "succeeded". No server and no database: the page is the script alone.
"""

import itertools
from pathlib import Path

import pytest
from django.conf import settings

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

# Each socket opens, then closes after `window.lifetime` ms with `window.closeCode`.
FAKE_SOCKET = """
window.attempts = [];
window.closeCode = 4503;
window.lifetime = 0;
window.WebSocket = class {
  constructor(url) {
    window.attempts.push({ url: url, at: Date.now() });
    setTimeout(() => {
      if (this.onopen) this.onopen();
      setTimeout(() => this.onclose && this.onclose({ code: window.closeCode }), window.lifetime);
    }, 5);
  }
  close() {}
};
"""


@pytest.fixture(scope="module")
def page():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium.new_page()
        chromium.close()


@pytest.fixture
def client(page):
    """A fresh page with the client loaded, the fake socket and a fake clock."""
    page.goto("about:blank")
    page.clock.install()
    page.add_script_tag(content=FAKE_SOCKET)
    page.add_script_tag(path=str(Path(settings.BASE_DIR) / "config/static/js/live.js"))
    return page


def attempts_after(page, ms, close_code=4503, lifetime=0):
    page.evaluate(
        "([code, lifetime]) => { window.closeCode = code; window.lifetime = lifetime;"
        " window.live = ShenliantiLive.connect('/ws/cases/1/', { since: 7 }); }",
        [close_code, lifetime],
    )
    page.clock.run_for(ms)
    return page.evaluate("window.attempts")


def test_a_server_without_live_updates_is_retried_with_back_off(client):
    attempts = attempts_after(client, 120_000)
    # Waits of 1, 2, 4, 8, 16, then 30 s (each 50–100 %): a handful in two minutes, where
    # reconnecting after every accepted handshake made about 160.
    assert 5 <= len(attempts) <= 12, len(attempts)
    gaps = [b["at"] - a["at"] for a, b in itertools.pairwise(attempts)]
    assert max(gaps) >= 15_000
    # Every reconnect resumes where the page left off.
    assert all(a["url"].endswith("/ws/cases/1/?since=7") for a in attempts)


def test_after_a_connection_that_lasted_the_back_off_starts_again(client):
    # Open a minute each time, then dropped (1006): back within a second, every time.
    attempts = attempts_after(client, 200_000, close_code=1006, lifetime=60_000)
    gaps = [b["at"] - a["at"] for a, b in itertools.pairwise(attempts)]
    assert len(gaps) >= 2
    assert all(60_000 <= gap <= 61_100 for gap in gaps), gaps


@pytest.mark.parametrize("code", [4400, 4401, 4403, 4404])
def test_a_refusal_is_not_retried(client, code):
    assert len(attempts_after(client, 60_000, close_code=code)) == 1
