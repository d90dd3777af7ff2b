"""The public website's test kit (test_site.py, test_site_browser.py, the
benchmark and `make site-shots`): a database filled the way the bot fills
it — organisations, open and closed actions with needs and pledges, names
as pledges keep them — and checks that every generated page is valid HTML5
whose internal links all resolve."""

import html.parser
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

BOT = "dobro_test_bot"
HOSTILE = '<script>alert("x")</script> & «Тёплые» \'вещи\''
HOSTILE_NAME = '<img src=x onerror=alert(1)> Ева'


# Titles for screenshots and the demo, as organisers write them.
DEMO_TITLES = ["Тёплые вещи для приюта «Надежда»", "Ремонт кровли в приюте",
               "Концерт ко Дню пожилого человека", "Субботник в парке Победы",
               "Продуктовые наборы многодетным семьям",
               "Памятник ветеранам: сбор средств",
               "Турслёт для ребят из центра «Радуга»",
               "Школьные наборы к 1 сентября",
               "Психологическая группа поддержки", "Новогодние подарки детям"]


def seed(db_path, n_actions=6, n_orgs=3, hostile=False, now_ms=None,
         pledges_per_action=4, titles=None):
    """Fills an empty, migrated database. Action 1 is open with money,
    goods and volunteers and named, anonymous and received pledges; the
    last ones are closed with results. Returns the ids of the actions."""
    now = now_ms or int(time.time() * 1000)
    con = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    con.execute("BEGIN")
    con.execute("INSERT OR REPLACE INTO bot_state(key, value)"
                " VALUES ('bot_username', ?)", (BOT,))
    dirs = ["социальное", "культура", "спорт", "патриотическое"]
    for o in range(1, n_orgs + 1):
        name = "Доброе сердце" if o == 1 else "Организация %d" % o
        con.execute(
            "INSERT INTO orgs(id, name, name_key, description, services,"
            " phone, address, link, directions, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (o, name, name.lower(), "Помогаем семьям в трудной ситуации.",
             "Продуктовые наборы\nКонсультации юриста",
             "+7 914 000-00-%02d" % (o % 100),
             "ул. Ленина, %d" % o, "https://example.org/%d" % o,
             dirs[o % len(dirs)], now, now))
    users = [(735500100 + i, name) for i, name in enumerate(
        ["Мария", "Павел", "Ольга", "Иван", "Анна", "Пётр"])]
    for uid, name in users:
        con.execute("INSERT INTO users(id, first_name, language, role,"
                    " created_at, updated_at) VALUES (?, ?, 'ru', 'citizen',"
                    " ?, ?)", (uid, name, now, now))
    ids = []
    n_closed = max(1, n_actions // 3)
    for a in range(1, n_actions + 1):
        closed = a > n_actions - n_closed
        title = HOSTILE if (hostile and a == 2) else \
            (titles[(a - 1) % len(titles)] if titles else
             "Тёплые вещи для приюта №%d" % a)
        org = (a % n_orgs) + 1 if n_orgs else None
        starts = (now // 1000) + 86400 * (a + 3) if a % 2 else None
        closed_at = now - 86400000 * a if closed else None
        con.execute(
            "INSERT INTO actions(id, org_id, author_id, title, description,"
            " direction, starts_at, place, goal_kopecks, volunteers_needed,"
            " status, result, version, created_at, updated_at, closed_at)"
            " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            (a, org, title,
             "Собираем тёплые вещи и продукты.\nПриносите в будни.\n\n"
             "Спасибо всем, кто помогает!",
             dirs[a % len(dirs)], starts, "ул. Ленина, 12" if starts else None,
             5000000, 10 if a % 3 else None,
             "closed" if closed else "open",
             "Собрали 40 одеял и 30 000 ₽ — спасибо!" if closed else None,
             now - 86400000 * 30 + a * 1000, now, closed_at))
        con.execute("INSERT INTO needs(action_id, position, item, unit,"
                    " quantity) VALUES (?, 1, 'тёплые одеяла', 'шт', 20)",
                    (a,))
        need = con.execute("SELECT last_insert_rowid()").fetchone()[0]
        for k in range(pledges_per_action):
            uid, name = users[(a + k) % len(users)]
            display = HOSTILE_NAME if (hostile and k == 0) else name + " П."
            kind = ("money", "goods", "time")[k % 3]
            amount = {"money": 150000, "goods": 3, "time": 1}[kind]
            status = "received" if k % 2 == 0 else "pledged"
            con.execute(
                "INSERT INTO pledges(action_id, user_id, kind, need_id,"
                " amount, received_amount, anonymous, status, created_at,"
                " updated_at, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?)",
                (a, uid, kind, need if kind == "goods" else None, amount,
                 amount if status == "received" else None,
                 1 if k == 3 else 0, status, now, now, display))
        ids.append(a)
    con.execute("COMMIT")
    con.close()
    return ids


# ---- checking the pages ----

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class PageParser(html.parser.HTMLParser):
    """Collects links, ids, headings and text, and the errors a strict
    reader would find: unbalanced tags, a stray '<' or '&' in text (what an
    unescaped string leaves), script elements, missing alt text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack, self.errors, self.links, self.ids = [], [], [], set()
        self.headings, self.text, self.lang = [], [], None
        self.scripts = 0
        self._heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "script":
            self.scripts += 1
        if tag == "img" and not a.get("alt"):
            self.errors.append("img without alt")
        if "id" in a:
            if a["id"] in self.ids:
                self.errors.append("duplicate id %s" % a["id"])
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if k in a:
                self.links.append(a[k])
        for k, v in attrs:
            if k.startswith("on"):
                self.errors.append("event handler attribute %s" % k)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> (open: %s)" % (
                tag, self.stack[-3:]))
            return
        self.stack.pop()
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        if "<" in data or ">" in data:
            self.errors.append("raw < or > in text: %r" % data[:60])
        self.text.append(data)
        if self._heading:
            self._heading[1] += data

    def handle_entityref(self, name):
        if name not in ("amp", "lt", "gt", "quot"):
            self.errors.append("unknown entity &%s;" % name)
        self.text.append(html.unescape("&%s;" % name))

    def handle_charref(self, name):
        self.text.append(html.unescape("&#%s;" % name))


def parse_page(path):
    with open(path, encoding="utf-8") as f:
        p = PageParser()
        p.feed(f.read())
        p.close()
    if p.stack:
        p.errors.append("unclosed %s" % p.stack)
    levels = [h[0] for h in p.headings]
    if not levels or levels[0] != 1 or levels.count(1) != 1:
        p.errors.append("not exactly one h1 first: %s" % levels)
    for a, b in zip(levels, levels[1:]):
        if b > a + 1:
            p.errors.append("heading jumps from h%d to h%d" % (a, b))
    return p


def tidy_errors(path):
    """What `tidy` finds wrong (errors and warnings), as text."""
    r = subprocess.run(["tidy", "-q", "-e", "-utf8", path],
                       capture_output=True, text=True)
    return r.stderr.strip() if r.returncode >= 1 else ""


def html_files(site):
    out = []
    for root, _, files in os.walk(site):
        out += [os.path.join(root, f) for f in files if f.endswith(".html")]
    return sorted(out)


def broken_links(site):
    """Internal links (relative hrefs and srcs, with their #fragments) that
    do not resolve to a file of the site, or to an id on that page."""
    broken, ids = [], {}
    for path in html_files(site):
        ids[path] = parse_page(path).ids
    for path in html_files(site):
        for link in parse_page(path).links:
            u = urllib.parse.urlsplit(link)
            if u.scheme or link.startswith("//"):
                continue
            target = os.path.normpath(os.path.join(
                os.path.dirname(path), urllib.parse.unquote(u.path))) \
                if u.path else path
            if not target.startswith(os.path.abspath(site)) and \
                    not target.startswith(site):
                broken.append((path, link, "leaves the site"))
            elif not os.path.isfile(target):
                broken.append((path, link, "no such file"))
            elif u.fragment and target.endswith(".html") and \
                    u.fragment not in ids.get(target, set()):
                broken.append((path, link, "no such id"))
    return broken


# ---- a real browser ----

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def chromium(url, width, height=900, screenshot=None, dump_dom=False,
             timeout=90):
    """Loads url in headless Chromium (a fresh profile each time) at the
    given window size; saves a screenshot and/or returns the DOM as the
    browser rendered it."""
    with tempfile.TemporaryDirectory(prefix="dobrobot-chromium-") as prof:
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--user-data-dir=" + prof,
                "--window-size=%d,%d" % (width, height)]
        if screenshot:
            args.append("--screenshot=" + os.path.abspath(screenshot))
        if dump_dom:
            args.append("--dump-dom")
        r = subprocess.run(args + [url], capture_output=True, text=True,
                           timeout=timeout)
        if r.returncode != 0:
            raise AssertionError("chromium failed (%d): %s" % (
                r.returncode, r.stderr[-2000:]))
        return r.stdout
