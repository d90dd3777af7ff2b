"""`make site-shots`: the public website as a phone (360 px) and a desktop
(1280 px) show it, saved to docs/img/ for the README. A database is filled
with sample actions and organisations, a closing photo is fetched from the
fake Bot API, `dobrobot site` writes the pages and headless Chromium
photographs them."""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from lib import sitekit  # noqa: E402
from lib.daemon import TOKEN, dobrobot_bin  # noqa: E402
from lib.fakeapi import FakeApi  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "img")

# (page, width, height, file)
SHOTS = [("index.html", 360, 2000, "site-index-360.png"),
         ("index.html", 1280, 1300, "site-index-1280.png"),
         ("actions/1.html", 360, 2200, "site-action-360.png"),
         ("actions/1.html", 1280, 1500, "site-action-1280.png"),
         ("actions/10.html", 1280, 1300, "site-closed-1280.png")]


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else OUT)
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dobrobot-shots-") as tmp, \
            FakeApi.start(token=TOKEN) as fake:
        cfg = os.path.join(tmp, "dobrobot.json")
        db = os.path.join(tmp, "dobrobot.db")
        site = os.path.join(tmp, "site")
        with open(cfg, "w") as f:
            json.dump({"api_base": fake.base_url, "db_path": db,
                       "directions": ["социальное", "культура", "спорт",
                                      "патриотическое"],
                       "site": {"dir": site,
                                "base_url": "https://dobro.example.org"}},
                      f, ensure_ascii=False)
        env = dict(os.environ, DOBROBOT_TOKEN=TOKEN)
        subprocess.run([dobrobot_bin(), "migrate", "--config", cfg],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        sitekit.seed(db, n_actions=10, n_orgs=4, pledges_per_action=5,
                     titles=sitekit.DEMO_TITLES)
        con = sqlite3.connect(db)
        con.execute("UPDATE actions SET result_photo = 'AgACdemoPhoto'"
                    " WHERE id = 10")
        con.commit()
        con.close()
        subprocess.run([dobrobot_bin(), "site", "--config", cfg], check=True,
                       env=env)
        for page, width, height, name in SHOTS:
            sitekit.chromium("file://%s/%s" % (site, page), width, height,
                             screenshot=os.path.join(out, name))
            print("saved", os.path.join(out, name))


if __name__ == "__main__":
    main()
