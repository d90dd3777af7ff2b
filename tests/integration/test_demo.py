"""make demo is also a test: the scripted day runs to the end, the
transcript shows each part of the story, and the final report has the
sculpture's totals."""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Demo(unittest.TestCase):
    def test_demo_runs_and_reports(self):
        site = tempfile.TemporaryDirectory(prefix="dobrobot-demo-site-")
        self.addCleanup(site.cleanup)
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "demo", "demo.py")],
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, DEMO_SITE_DIR=site.name))
        self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
        out = r.stdout
        for needle in ("/setgroup", "Сбор тёплых вещей для приюта «Надежда»",
                       "Скульптура «Детям войны»", "анонимно", "/unpledge",
                       "/broadcast", "/received", "✏️", "Передали 5 одеял",
                       "Итоговый отчёт"):
            self.assertIn(needle, out)
        report = out[out.index("Итоговый отчёт"):]
        # A title inside «…» keeps its own quotes as „…“ (issue 18).
        self.assertIn("«Скульптура „Детям войны“»", report)
        # The public /report: what came, what is still awaited, and who
        # helps — named as each allowed, the anonymous one unnamed.
        self.assertIn("получено: 1\u00a0500\u00a0₽", report)
        self.assertIn("обещано, ещё не получено: 5\u00a0000\u00a0₽", report)
        self.assertIn("Помогают: 2 (уже передали помощь: 1)", report)
        self.assertIn("аноним — 5\u00a0000\u00a0₽ ⏳", report)
        # The documents: where they are, and their verify addresses.
        self.assertIn("build/demo/spravka-3.pdf", out)
        self.assertIn("build/demo/blagodarstvennoe-pismo-4.pdf", out)
        self.assertIn("проверка: https://dobro-belogorsk.ru/verify/", out)
        self.assertIn("Demo finished", out)
        # The council's public site, written by the daemon as the day went.
        self.assertIn("Сайт совета (его пишет сам бот, site.dir): %s"
                      % site.name, out)
        self.assertIn("file://%s/index.html" % site.name, out)
        with open(os.path.join(site.name, "index.html"), encoding="utf-8") as f:
            self.assertIn("Скульптура «Детям войны»", f.read())
        self.assertNotIn("AddressSanitizer", r.stderr)
