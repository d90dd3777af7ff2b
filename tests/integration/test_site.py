"""The council's public website: `dobrobot site --out DIR` and the daemon's
own regeneration (site.dir). The pages are valid HTML5 whose internal
links resolve, every string a person typed is escaped, nothing private
goes out, a pledge rewrites only the pages that show it, a forgotten
person disappears, closing photos are fetched once, and a SIGKILL in the
middle of a regeneration leaves every file complete."""

import json
import os
import random
import re
import signal
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from lib import sitekit
from lib.actionkit import ActionsCase
from lib.daemon import BotTestCase, Daemon, TOKEN, TOKEN_SECRET, \
    dobrobot_bin, wait_until
from lib.fakeapi import FakeApi

MARIA = 735501234


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def mtimes(site):
    out = {}
    for root, _, files in os.walk(site):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, site)] = os.stat(p).st_mtime_ns
    return out


class SiteCase(BotTestCase):
    """A daemon configured with site.dir in its temporary directory."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="dobrobot-test-")
        self.fake = FakeApi.start(token=TOKEN)
        self.site = os.path.join(self.tmp.name, "site")
        self.bot = Daemon(self.tmp.name, self.fake.base_url, {
            "leaders_chat_id": -1001234567890,
            "directions": ["социальное", "культура", "спорт",
                           "патриотическое"],
            "site": {"dir": self.site,
                     "base_url": "https://dobro.example.org/sovet/"}})

    def migrate_and_seed(self, **kw):
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        return sitekit.seed(self.bot.db_path, **kw)

    def build(self, *extra, out=None):
        r = self.bot.run_cli("site", "--out", out or self.site,
                             "--config", self.bot.config_path, *extra)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def assert_valid_site(self, site):
        pages = sitekit.html_files(site)
        self.assertGreater(len(pages), 4)
        for path in pages:
            p = sitekit.parse_page(path)
            self.assertEqual(p.errors, [], path)
            self.assertEqual(p.lang, "ru", path)
            self.assertEqual(p.scripts, 0, path)
            self.assertEqual(sitekit.tidy_errors(path), "", path)
        self.assertEqual(sitekit.broken_links(site), [])


class Build(SiteCase):
    def test_pages_are_valid_linked_escaped_and_private(self):
        self.migrate_and_seed(n_actions=9, n_orgs=3, hostile=True)
        out = self.build()
        self.assertIn("site written to %s" % self.site, out)
        self.assertIn("open %s/index.html" % self.site, out)
        for f in ("index.html", "orgs.html", "archive.html", "style.css",
                  "feed.atom", "calendar.ics", "data.json",
                  "actions/1.html", "actions/9.html"):
            self.assertTrue(os.path.isfile(os.path.join(self.site, f)), f)
        self.assert_valid_site(self.site)

        # The hostile title and name are shown as text, never as markup.
        page = read(os.path.join(self.site, "actions/2.html"))
        self.assertNotIn("<script", page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                      "&amp; «Тёплые»", page)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; Ева", page)
        text = "".join(sitekit.parse_page(
            os.path.join(self.site, "actions/2.html")).text)
        self.assertIn(sitekit.HOSTILE, "".join(
            __import__("html").unescape(text)))

        # An action page: progress, helpers as /report names them, who
        # runs it, and the bot's deep link.
        one = read(os.path.join(self.site, "actions/1.html"))
        self.assertIn("Собрано 1\u00a0500\u00a0₽ из 50\u00a0000\u00a0₽ (3%)",
                      one)
        self.assertIn("Помогают: 4 (уже передали помощь: 2)", one)
        self.assertIn("<li>аноним — ", one)
        self.assertIn("Ольга П. — тёплые одеяла, 3 шт", one)
        self.assertIn('href="https://t.me/%s?start=p1"' % sitekit.BOT, one)
        self.assertIn('<a href="../orgs.html#org-2">Организация 2</a>', one)
        self.assertIn("+7 914 000-00-02", one)
        # Closed actions: the result, no help button; in the archive with
        # the year's totals.
        closed = read(os.path.join(self.site, "actions/9.html"))
        self.assertIn("Собрали 40 одеял и 30 000 ₽ — спасибо!", closed)
        self.assertNotIn("start=p9", closed)
        archive = read(os.path.join(self.site, "archive.html"))
        self.assertIn("Что собрано по годам", archive)
        self.assertIn('href="actions/9.html"', archive)
        # The front page lists open actions by direction, not closed ones.
        index = read(os.path.join(self.site, "index.html"))
        self.assertIn('href="actions/1.html"', index)
        self.assertNotIn('href="actions/9.html"', index)
        self.assertIn('<h2 id="dir-1">социальное</h2>', index)
        orgs = read(os.path.join(self.site, "orgs.html"))
        self.assertIn('id="org-1"', orgs)
        self.assertIn("<li>Продуктовые наборы</li>", orgs)
        self.assertIn("Прошедшие акции", orgs)

        # Nothing private: no Telegram user id, no username, no token.
        for root, _, files in os.walk(self.site):
            for f in files:
                with open(os.path.join(root, f), "rb") as fh:
                    data = fh.read()
                self.assertNotIn(b"7355001", data, f)
                self.assertNotIn(TOKEN_SECRET.encode(), data, f)

        # The feeds parse; the JSON holds the same public data.
        data = json.loads(read(os.path.join(self.site, "data.json")))
        self.assertEqual(data["format"], "dobrobot-site/1")
        a2 = [a for a in data["actions"] if a["id"] == 2][0]
        self.assertEqual(a2["title"], sitekit.HOSTILE)
        self.assertEqual(a2["help_url"],
                         "https://t.me/%s?start=p2" % sitekit.BOT)
        self.assertEqual(a2["url"],
                         "https://dobro.example.org/sovet/actions/2.html")
        self.assertEqual(a2["helpers"]["list"][0]["name"],
                         sitekit.HOSTILE_NAME)
        self.assertEqual(a2["helpers"]["list"][3]["name"], "аноним")
        self.assertEqual(len(data["organisations"]), 3)
        feed = ET.parse(os.path.join(self.site, "feed.atom")).getroot()
        ns = "{http://www.w3.org/2005/Atom}"
        titles = [e.find(ns + "title").text for e in feed.iter(ns + "entry")]
        self.assertIn("Новая акция: " + sitekit.HOSTILE, titles)
        self.assertIn("Итоги: Тёплые вещи для приюта №9", titles)
        with open(os.path.join(self.site, "calendar.ics"), "rb") as f:
            ics = f.read()
        lines = ics.split(b"\r\n")
        self.assertEqual(lines[0], b"BEGIN:VCALENDAR")
        self.assertTrue(all(len(l) <= 75 for l in lines))
        unfolded = ics.replace(b"\r\n ", b"").decode()
        self.assertIn("SUMMARY:Тёплые вещи для приюта №1\r\n", unfolded)
        # Open actions with a date only: 1, 3, 5 (7 and 9 are closed).
        self.assertEqual(re.findall(r"UID:action-(\d+)@", unfolded),
                         ["1", "3", "5"])

        # Unchanged data: nothing is rewritten.
        before = mtimes(self.site)
        out = self.build()
        self.assertIn("(0 changed)", out)
        self.assertEqual(mtimes(self.site), before)

    def test_links_work_from_any_base_path(self):
        # The same files served from a deeper folder: every link is
        # relative, so it still resolves.
        self.migrate_and_seed(n_actions=4, n_orgs=2)
        deep = os.path.join(self.tmp.name, "www", "council", "site")
        self.build(out=deep)
        for path in sitekit.html_files(deep):
            for link in sitekit.parse_page(path).links:
                self.assertFalse(link.startswith("/"), (path, link))
        self.assertEqual(sitekit.broken_links(deep), [])

    def test_sigkill_mid_regeneration_leaves_complete_files(self):
        self.migrate_and_seed(n_actions=400, n_orgs=20, pledges_per_action=6)
        self.build("--no-photos")
        con = __import__("sqlite3").connect(self.bot.db_path)
        rng = random.Random(19)
        t0 = time.monotonic()
        self.build("--no-photos")
        dt = time.monotonic() - t0
        killed = 0
        for round_ in range(15):
            # Every page changes, so that a kill finds files in flight.
            con.execute("UPDATE actions SET title = 'Раунд %d: ' || id"
                        % round_)
            con.commit()
            p = subprocess.Popen(
                [dobrobot_bin(), "site", "--no-photos", "--out", self.site,
                 "--config", self.bot.config_path],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=self.bot.env())
            # Within the run (dt is how long a whole run takes), so that
            # the kill lands while files are being written.
            time.sleep(rng.uniform(0.02, max(0.05, dt * 0.9)))
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
            p.wait()
            for path in sitekit.html_files(self.site):
                with open(path, encoding="utf-8") as f:
                    self.assertTrue(f.read().endswith("</html>\n"), path)
            json.loads(read(os.path.join(self.site, "data.json")))
        con.close()
        self.assertGreater(killed, 5, "the runs ended before the kill")
        # The next run completes, and clears what the killed ones left.
        self.build("--no-photos")
        leftovers = [f for _, _, fs in os.walk(self.site) for f in fs
                     if f.startswith(".tmp-")]
        self.assertEqual(leftovers, [])
        self.assertIn("Раунд 14: 1<", read(os.path.join(self.site,
                                                        "actions/1.html")))
        self.assert_valid_site(self.site)


class Photos(SiteCase):
    def test_closing_photo_fetched_once_under_a_hashed_name(self):
        self.migrate_and_seed(n_actions=3, n_orgs=1)
        file_id = "AgACAgIAAxkBAAIBJ2ZphotoOfTheResult"
        con = __import__("sqlite3").connect(self.bot.db_path)
        con.execute("UPDATE actions SET result_photo = ? WHERE id = 3",
                    (file_id,))
        con.commit()
        con.close()
        self.build()
        photos = os.listdir(os.path.join(self.site, "photos"))
        self.assertEqual(len(photos), 1)
        self.assertRegex(photos[0], r"^[0-9a-f]{16}\.jpg$")
        with open(os.path.join(self.site, "photos", photos[0]), "rb") as f:
            self.assertEqual(f.read(3), b"\xff\xd8\xff")
        page = read(os.path.join(self.site, "actions/3.html"))
        self.assertIn('<img src="../photos/%s" alt="Фото с итогов акции '
                      '«Тёплые вещи для приюта №3»">' % photos[0], page)
        self.assertNotIn(file_id, page)
        self.assertEqual(self.fake.stats()["requests"].get("_download"), 1)
        self.assertEqual(self.fake.stats()["requests"].get("getFile"), 1)
        # Never fetched again.
        self.build()
        self.assertEqual(self.fake.stats()["requests"].get("_download"), 1)
        self.assertEqual(self.fake.stats()["requests"].get("getFile"), 1)
        self.assert_valid_site(self.site)

    def test_poster_shown_on_the_action_page(self):
        self.migrate_and_seed(n_actions=3, n_orgs=1)
        file_id = "AgACAgIAAxkBAAIBposterOfTheAction"
        con = __import__("sqlite3").connect(self.bot.db_path)
        con.execute("UPDATE actions SET poster_file_id = ? WHERE id = 2",
                    (file_id,))
        con.commit()
        con.close()
        self.build()
        photos = os.listdir(os.path.join(self.site, "photos"))
        self.assertEqual(len(photos), 1)
        page = read(os.path.join(self.site, "actions/2.html"))
        self.assertIn('<img src="../photos/%s" alt="Афиша акции '
                      '«Тёплые вещи для приюта №2»">' % photos[0], page)
        self.assertNotIn(file_id, page)
        self.assertNotIn("<img", read(os.path.join(self.site,
                                                   "actions/1.html")))
        with open(os.path.join(self.site, "data.json"), encoding="utf-8") as f:
            shown = {a["id"]: a["poster"] for a in json.load(f)["actions"]}
        self.assertEqual(shown[2], "photos/" + photos[0])
        self.assertIsNone(shown[1])
        self.build()
        self.assertEqual(self.fake.stats()["requests"].get("_download"), 1)
        self.assert_valid_site(self.site)

    def test_a_photo_that_cannot_be_fetched_is_left_out(self):
        self.migrate_and_seed(n_actions=3, n_orgs=1)
        con = __import__("sqlite3").connect(self.bot.db_path)
        con.execute("UPDATE actions SET result_photo = 'bad-file-id'"
                    " WHERE id = 3")
        con.commit()
        con.close()
        out = self.build()
        self.assertIn("photos: 0 fetched, 1 missing", out)
        self.assertNotIn("<img", read(os.path.join(self.site,
                                                   "actions/3.html")))


class Daemon_(SiteCase, ActionsCase):
    def test_pledge_rewrites_only_its_pages_and_forgetme_removes_the_name(
            self):
        self.migrate_and_seed(n_actions=6, n_orgs=2)
        self.bot.start()
        index = os.path.join(self.site, "index.html")
        wait_until(lambda: os.path.exists(index), 20, what="the site")
        page = os.path.join(self.site, "actions/1.html")
        wait_until(lambda: 'start=p1"' in read(page), 20,
                   what="the bot's username on the site")
        time.sleep(4)  # past the debounce: the site is settled
        before = mtimes(self.site)

        n = self.say(MARIA, "/pledge 1 700", first_name="Марфа",
                     last_name="Петрова")
        # She lets her name be shown (a quick pledge asks once).
        self.show_my_name(MARIA, self.wait_reply(MARIA, "700", n),
                          "Марфа", "Петрова")
        wait_until(lambda: "Марфа П. — 700\u00a0₽" in read(page), 15,
                   what="the pledge on the action's page")
        time.sleep(4)
        after = mtimes(self.site)
        changed = sorted(k for k in after if after[k] != before.get(k))
        self.assertEqual(changed, ["actions/1.html", "data.json",
                                   "index.html"])
        self.assertIn("обещано ещё", read(page))

        # /forgetme: the name is gone on the next regeneration.
        r = self.wait_reply(MARIA, lambda r: True, self.say(
            MARIA, "/forgetme", first_name="Марфа"))
        self.press(MARIA, "fg:y", self.message_id(r))
        wait_until(lambda: "Марфа" not in read(page), 15,
                   what="the forgotten name gone from the page")
        wait_until(lambda: "Марфа" not in read(
            os.path.join(self.site, "data.json")), 15, what="gone from JSON")
        self.assertIn("аноним — 700\u00a0₽", read(page))
        self.assertIn("site:", self.bot.log())

    def test_closing_photo_sent_to_the_bot_reaches_the_site_once(self):
        self.migrate_and_seed(n_actions=6, n_orgs=2)
        self.bot.start()
        page = os.path.join(self.site, "actions/1.html")
        wait_until(lambda: os.path.exists(page), 20, what="the site")
        # The organiser (a config admin) closes action 1 with a photo
        # whose caption is the result.
        self.say(1, "/close 1")
        wait_until(lambda: self.conversation(1) is not None, 20,
                   what="the closing conversation")
        upd = self.fake.message(1, "x")
        del upd["message"]["text"]
        upd["message"]["photo"] = [
            {"file_id": "AgACsmall", "file_unique_id": "s1", "width": 90,
             "height": 60},
            {"file_id": "AgACbigPhotoOfTheShelter", "file_unique_id": "b1",
             "width": 1280, "height": 853}]
        upd["message"]["caption"] = "Окна утеплены, спасибо!"
        n = self.count(1)
        self.fake.queue([upd])
        # Nothing goes out before the preview's «Опубликовать».
        self.publish_close(n, user=1)
        wait_until(lambda: "Окна утеплены" in read(page) and
                   "<img" in read(page), 20, what="the result and photo")
        self.assertEqual(self.fake.stats()["requests"].get("getFile"), 1)
        self.assertEqual(self.fake.stats()["requests"].get("_download"), 1)
        photos = os.listdir(os.path.join(self.site, "photos"))
        self.assertEqual(len(photos), 1)
        self.assertIn('src="../photos/%s"' % photos[0], read(page))
        self.assertNotIn("AgACbig", read(page))
        # More changes, more regenerations: the photo is not fetched again.
        n = self.say(MARIA, "/pledge 2 300", first_name="Марфа")
        self.show_my_name(MARIA, self.wait_reply(MARIA, "300", n),
                          "Марфа")
        wait_until(lambda: "Марфа" in read(os.path.join(
            self.site, "actions/2.html")), 15, what="the next regeneration")
        self.assertEqual(self.fake.stats()["requests"].get("getFile"), 1)
        self.assertEqual(self.fake.stats()["requests"].get("_download"), 1)
        self.assert_valid_site(self.site)
