"""The public website in a real browser: headless Chromium loads the front
page and an action page at a phone's width (360 px) and a desktop's
(1280 px), and what it rendered holds the title, the progress and the
helpers."""

import html
import os
import re
import shutil
import unittest

from lib import sitekit
from lib.daemon import BotTestCase


def visible_text(dom):
    """The text of the body as the browser's DOM has it."""
    body = dom.split("<body", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@unittest.skipUnless(shutil.which(sitekit.CHROMIUM) or
                     os.path.exists(sitekit.CHROMIUM),
                     "chromium is not installed (make deps installs it)")
class Browser(BotTestCase):
    def test_front_and_action_pages_render_at_phone_and_desktop_width(self):
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        sitekit.seed(self.bot.db_path, n_actions=6, n_orgs=2, hostile=True)
        site = os.path.join(self.tmp.name, "site")
        r = self.bot.run_cli("site", "--no-photos", "--out", site,
                             "--config", self.bot.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        shots = os.path.join(self.tmp.name, "shots")
        os.makedirs(shots)
        for width in (360, 1280):
            png = os.path.join(shots, "index-%d.png" % width)
            dom = sitekit.chromium("file://%s/index.html" % site, width,
                                   screenshot=png, dump_dom=True)
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            text = visible_text(dom)
            self.assertIn("Открытые акции", text)
            self.assertIn("Тёплые вещи для приюта №1", text)
            self.assertIn("Собрано 1\u00a0500\u00a0₽ из 50\u00a0000\u00a0₽ "
                          "(3%)", text)
            # The hostile title is text in the rendered page, not an
            # element the browser made of it.
            self.assertIn('<script>alert("x")</script>', text)
            self.assertNotIn("<script>alert", dom.split("<body", 1)[1]
                             .replace("&lt;script&gt;alert", ""))
            self.assertIn('href="https://t.me/%s?start=p1"' % sitekit.BOT,
                          dom)

            dom = sitekit.chromium("file://%s/actions/1.html" % site, width,
                                   screenshot=os.path.join(
                                       shots, "action-%d.png" % width),
                                   dump_dom=True)
            text = visible_text(dom)
            self.assertIn("Тёплые вещи для приюта №1", text)
            self.assertIn("Помогают: 4 (уже передали помощь: 2)", text)
            self.assertIn("Ольга П. — тёплые одеяла, 3 шт", text)
            self.assertIn("аноним — 1\u00a0500\u00a0₽", text)
            self.assertIn("<img src=x onerror=alert(1)> Ева", text)
            self.assertNotIn("<img src=\"x\"", dom)
            self.assertIn("Записались 1 из 10", text)
