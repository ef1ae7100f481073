"""Every page each demo role can reach, at 390 px, in Chinese and in English: nothing scrolls
sideways, no raw code shows, and no word of the other language shows in the page's own words.

Each role signs in, opens the home page and follows every link on the site (no logout, no
download, no admin, no API) until no new address turns up: every page the role can reach by
clicking, the case, item and session pages and everything they link to included. To stay
near a minute, a walk opens few pages of each kind (the same template with other data,
`PER_KIND`): two cases, items and sessions in Chinese, one in English, one of each list.

What is checked, and why it is the rule:
- `document.documentElement.scrollWidth <= window.innerWidth` at 390 px, every form unfolded.
- No raw code: the values of every model's choices, the state machines' transition names and
  the event kinds recorded in the demo. In Chinese any of them is a failure (it is Latin script
  anyway); in English only the codes with an underscore (`session_scheduled`, `in_progress`),
  because `done` or `open` are also English words.
- Chinese UI: no Latin word anywhere on the page, except a short allow-list (API, PDF, Excel),
  the demo's user names, e-mail addresses, URLs and tokens with digits (references such as
  SLT-20261203-9C33C6, pipe sizes such as DN600).
- English UI: no Chinese in the page's own words. People's and organisations' names, case
  titles and everything else typed by users are Chinese in the demo, so only the chrome is
  read: navigation, headings of sections, labels, legends, buttons, summaries, table headers,
  fact names, badges, tabs, empty-state and error lines, the footer and the window title.
"""

import asyncio
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db.models import Field

from cases.models import Case
from departments.models import Organisation, User
from tests.test_browser import CHROMIUM, CSP_WATCH, server, site  # noqa: F401
from workflow.demo import DEMO_PASSWORD
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession

async_playwright = pytest.importorskip("playwright.async_api").async_playwright

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

# enterprise, coordinator, office_leader, department officer, third party, representative
ROLES = ["enterprise", "coordinator", "office_leader", "zigui", "kaitou", "deputy"]

# A defect another engineer is fixing on their branch at the same time: (address pattern, check,
# the part of the page at fault or None for the whole page, reason). The check still runs on
# the rest of that page; what the part alone adds is counted and printed, not failed.
# Pages of one kind (one template) visited per walk: of a case, item or session, two in Chinese,
# whose text depends on the data shown, one in English, which checks the template's own words;
# one of each list. Keeps the test near a minute.
PER_KIND = {"zh-hans": 2, "en": 1}
WALKS_AT_ONCE = 3

SKIP = re.compile(r"^/(admin|api|accounts/logout|i18n|static|media)(/|$)|/download/?$")
# Latin words the Chinese UI may show: names of file kinds and the language switch's own name
# for English (each language names itself there).
ALLOWED_LATIN = {"API", "PDF", "Excel", "Office", "English"}
EMAIL_OR_URL = re.compile(r"\S+@\S+|\b(?:https?|wss?)://\S+|\bwww\.\S+")
WITH_DIGIT = re.compile(r"\S*\d\S*")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# The page's own words in the English UI (see the module's docstring).
CHROME = """
header.site nav, header.site .inbox-link, header.site .menu-button, header.site button,
main h2, main label:not(.choices label), main legend, main button, main summary, main th,
main dt, main .badge, main .tabs, main .empty, main .errorlist, main .help, footer.site
"""

PAGE_TEXT = """(chrome) => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("script, style, noscript").forEach((node) => node.remove());
  const squeeze = (text) => text.replace(/\\s+/g, " ").trim();
  return {
    text: squeeze(body.textContent),
    chrome: Array.from(body.querySelectorAll(chrome)).map((node) => squeeze(node.textContent)),
  };
}"""

NO_SOCKETS = """window.WebSocket = function () {
  return { close: function () {}, send: function () {} };
};"""

# Measured with every form unfolded and the phone menu open, as someone using them sees it.
PAGE_FACTS = """() => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  const menu = document.getElementById("menu-toggle");
  if (menu) menu.checked = true;
  return {
    links: Array.from(document.querySelectorAll("a[href]"))
      .filter((a) => !a.hasAttribute("download"))
      .map((a) => a.getAttribute("href")),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}"""


def raw_codes() -> set[str]:
    """Every code a page could leak: choice values, transition names, recorded event kinds."""
    codes = set(Event.objects.values_list("kind", flat=True).distinct())
    for model in apps.get_models():
        if model._meta.app_label not in {"departments", "cases", "workflow"}:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, Field):
                continue
            codes.update(str(value) for value, _label in field.flatchoices or [])
            transitions = getattr(field, "get_all_transitions", None)
            if transitions:
                for transition in transitions(model):
                    codes.add(transition.name)
                    codes.update(str(state) for state in (transition.source, transition.target))
    return {code for code in codes if code and re.fullmatch(r"[a-z][a-z_]+", code)}


def typed_names() -> list[str]:
    """What people typed or are called (Chinese in the demo), longest first: the English UI
    may show these in its chrome (a session's name in a heading, a person in a label)."""
    names = set(User.objects.values_list("display_name", flat=True))
    names |= set(Organisation.objects.values_list("name", flat=True))
    names |= set(Organisation.objects.values_list("short_name", flat=True))
    for model in (Case, ActionItem, JointSession):
        names |= set(model.objects.values_list("title", flat=True))
    return sorted((name for name in names if name), key=len, reverse=True)


def vocabulary_of_demo():
    return {
        "codes": raw_codes(),
        "usernames": set(User.objects.values_list("username", flat=True)),
        "names": typed_names(),
    }


def pattern(path: str) -> str:
    """/cases/12/?tab=x → /cases/N/: one kind of page (one template, other data)."""
    return re.sub(r"/\d+(?=/|$)", "/N", path.partition("?")[0])


def local(href: str, base: str, root: str) -> str | None:
    """The site path a link leads to, or None when it is not to be followed."""
    url = urlsplit(urljoin(base, href))
    if f"{url.scheme}://{url.netloc}" != root or SKIP.search(url.path):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def without_usernames(text: str, usernames: set[str]) -> str:
    """User names are shown as they are (`office_leader`, `enterprise`): neither a raw code nor
    an untranslated word."""
    for name in sorted(usernames, key=len, reverse=True):
        text = re.sub(rf"(?<![\w]){re.escape(name)}(?![\w])", " ", text)
    return text


def latin_words(text: str, allowed: set[str]) -> set[str]:
    text = EMAIL_OR_URL.sub(" ", text)
    text = WITH_DIGIT.sub(" ", text)
    return {word for word in LATIN_WORD.findall(text) if word not in allowed}


def code_hits(text: str, codes: set[str], english: bool) -> set[str]:
    words = set(re.findall(r"[A-Za-z_]+", text))
    return {c for c in codes & words if not english or "_" in c}


def chinese_lines(chrome: list[str], names: list[str]) -> set[str]:
    lines = set()
    for line in chrome:
        bare = line
        for name in names:
            bare = bare.replace(name, " ")
        if CJK.search(bare):
            lines.add(line)
    return lines


class Crawl:
    def __init__(self, root, chromium, vocabulary):
        self.site = root
        self.browser = chromium
        self.codes = vocabulary["codes"]
        self.usernames = vocabulary["usernames"]
        self.names = vocabulary["names"]
        self.failures: list[str] = []
        self.visited = 0

    def found(self, data, english: bool) -> dict[str, set]:
        text = without_usernames(data["text"], self.usernames)
        if english:
            return {
                "code": code_hits(text, self.codes, english),
                "chinese": chinese_lines(data["chrome"], self.names),
            }
        return {
            "code": code_hits(text, self.codes, english),
            "english": latin_words(text, ALLOWED_LATIN),
        }

    async def inspect(self, page, who: str, path: str, english: bool):
        chrome = " ".join(CHROME.split())
        found = self.found(await page.evaluate(PAGE_TEXT, chrome), english)
        for check, hits in found.items():
            if hits:
                self.failures.append(f"{who} {path} [{check}] {sorted(hits)[:12]}")

    async def walk(self, username: str):
        """Sign in once, then walk the site in Chinese and again in English."""
        context = await self.browser.new_context(viewport={"width": 390, "height": 800})
        context.set_default_timeout(20_000)
        # Live updates are not what is looked at here: no socket per page for the server to serve.
        await context.add_init_script(NO_SOCKETS)
        # Nothing the Content-Security-Policy blocks, on any page (tests/test_browser.py).
        await context.add_init_script(CSP_WATCH)
        context.on(
            "console",
            lambda m: (
                self.failures.append(f"{username} {m.location.get('url')} [csp] {m.text}")
                if "CSP violation" in m.text or "Content Security Policy" in m.text
                else None
            ),
        )
        page = await context.new_page()
        await page.goto(f"{self.site}/accounts/login/")
        await page.fill("#id_username", username)
        await page.fill("#id_password", DEMO_PASSWORD)
        await page.click("main button[type=submit]")
        await page.wait_for_url(f"{self.site}/")
        for language in PER_KIND:
            cookie = {"name": "django_language", "value": language, "url": self.site}
            await context.add_cookies([cookie])
            await self.crawl(page, f"{username}/{language}", language)
        await context.close()

    async def crawl(self, page, who: str, language: str):
        english = language == "en"
        queue, seen, kinds = ["/"], {"/"}, Counter()
        while queue:
            path = queue.pop(0)
            limit = PER_KIND[language] if "/N/" in pattern(path) else 1
            if kinds[pattern(path)] >= limit:
                continue
            kinds[pattern(path)] += 1
            # The stylesheet is in by then (the scripts at the end of the page wait for it).
            response = await page.goto(self.site + path, wait_until="domcontentloaded")
            self.visited += 1
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                self.failures.append(f"{who} {path} [status] {status}")
                continue
            facts = await page.evaluate(PAGE_FACTS)
            if facts["scrollWidth"] > facts["innerWidth"]:
                self.failures.append(f"{who} {path} [overflow] scrollWidth {facts['scrollWidth']}")
            await self.inspect(page, who, path, english)
            for href in facts["links"]:
                target = local(href, page.url, self.site)
                if target and target not in seen:
                    seen.add(target)
                    queue.append(target)


async def crawl_all(root: str, vocabulary) -> Crawl:
    """The roles' walks, a few at a time (the server answers several requests at once)."""
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        crawl = Crawl(root, chromium, vocabulary)
        slots = asyncio.Semaphore(WALKS_AT_ONCE)

        async def walk(username):
            async with slots:
                await crawl.walk(username)

        await asyncio.gather(*(walk(username) for username in ROLES))
        await chromium.close()
    return crawl


@pytest.fixture
def vocabulary(server):  # noqa: F811
    """Read from the database before Playwright's event loop starts (no ORM inside it)."""
    return vocabulary_of_demo()


def test_every_page_of_every_role(vocabulary, site):  # noqa: F811
    crawl = asyncio.run(crawl_all(site, vocabulary))
    print(f"{crawl.visited} pages visited")
    assert crawl.visited > 10 * len(ROLES)  # the walks did find the site's pages
    assert not crawl.failures, "\n".join(crawl.failures)
