"""make demo is also a test: the scripted day runs to the end, the
transcript shows each part of the story, and the final report has the
sculpture's totals."""

import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Demo(unittest.TestCase):
    def test_demo_runs_and_reports(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "demo", "demo.py")],
                           capture_output=True, text=True, timeout=300, env=os.environ)
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
        self.assertIn("Demo finished", out)
        self.assertNotIn("AddressSanitizer", r.stderr)
