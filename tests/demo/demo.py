#!/usr/bin/env python3
"""make demo: a day in the life of dobrobot, played against the bundled fake
Bot API with the round table's own examples, printed as a chat transcript,
then the final public report. Exits 0 when every step got its answer.

An admin registers the leaders' group; an organiser announces «Сбор тёплых
вещей для приюта «Надежда»» (goods and volunteers) and «Скульптура «Детям
войны»» (money); five citizens pledge money, goods and time, one
anonymously, one withdraws, one looks up the city's organisations; the
organiser, who acts for «Доброе сердце» from the council's spreadsheet of
NGOs, broadcasts to the group, marks
pledges received and a volunteer's hours, and closes an action with a
result, which reaches the group and everyone who pledged; the day ends with
the public /report of the other action. The daemon keeps the council's
public website current all day (site.dir); the demo ends by saying where it
is and how to open it (DEMO_SITE_DIR, default build/demo-site).

Of issue 18 the day shows: the /close preview and «Опубликовать»,
«Помогли: N» counting help that arrived, the organisation's phone on the
announcements and in a money pledge's confirmation, „…“ inside «…»,
«пришёл(ла)», several goods in one answer of the guided pledge, /broadcast
with its text and the copy's sender button (see the README's demo section for what is tested elsewhere)."""

import base64
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from lib.daemon import TOKEN, Daemon, wait_until  # noqa: E402
from lib.fakeapi import FakeApi  # noqa: E402
from demo.transcript import Transcript, plain  # noqa: E402

BOT = "dobro_test_bot"
GROUP = -1001000000001
GROUP_TITLE = "Совет НКО Белогорска"
ADMIN, ORGANISER = 1001, 1002
CITIZENS = {2001: ("Мария", "Соколова"), 2002: ("Пётр", "Иванов"),
            2003: ("Анна", "Белова"), 2004: ("Сергей", "Ким"),
            2005: ("Елена", "Орлова")}
NAMES = {ADMIN: "Ольга (администратор)", ORGANISER: "Иван (организатор, «Доброе сердце»)"}
NAMES.update({uid: "%s %s" % n for uid, n in CITIZENS.items()})


SITE_DIR = os.path.abspath(os.environ.get("DEMO_SITE_DIR") or
                           os.path.join(HERE, "..", "..", "build",
                                        "demo-site"))
SITE_URL = "https://dobro-belogorsk.ru"
OUT = os.path.abspath(os.environ.get("DEMO_OUT", os.path.join("build", "demo")))


class Demo:
    def __init__(self, workdir):
        self.fake = FakeApi.start(token=TOKEN)
        shutil.rmtree(SITE_DIR, ignore_errors=True)
        shutil.rmtree(OUT, ignore_errors=True)
        os.makedirs(OUT)
        self.bot = Daemon(workdir, self.fake.base_url, {
            "admins": [ADMIN], "poll_timeout_s": 10, "log_level": "warn",
            "site": {"dir": SITE_DIR, "base_url": SITE_URL},
            "limits": {"global_per_s": 30, "chat_per_s": 1, "chat_burst": 3,
                       "group_per_min": 20, "max_in_flight": 16},
            "council_name": "Совет социально ориентированных НКО и "
                            "добровольцев города Белогорска"})
        self.t = Transcript(self.fake, NAMES, GROUP_TITLE)
        self.users = {ADMIN: ("Ольга", "Петрова"), ORGANISER: ("Иван", "Смирнов")}
        self.users.update(CITIZENS)

    # ---- acting as people ----

    def _from(self, uid, upd, key):
        first, last = self.users[uid]
        upd[key]["from"]["first_name"] = first
        upd[key]["from"]["last_name"] = last
        return upd

    def say(self, uid, text, group=False):
        kw = {"chat_id": GROUP, "chat_type": "supergroup"} if group else {}
        upd = self._from(uid, self.fake.message(uid, text, **kw), "message")
        if group:
            upd["message"]["chat"]["title"] = GROUP_TITLE
        self.t.user(time.monotonic() * 1000, uid, text, GROUP if group else None)
        self.fake.queue([upd])
        self.settle()

    def press(self, uid, data, message_id, label):
        upd = self._from(uid, self.fake.callback(uid, data, message_id), "callback_query")
        self.t.user(time.monotonic() * 1000, uid, "нажимает [%s]" % label)
        self.fake.queue([upd])
        self.settle()

    def settle(self, timeout=30):
        """Waits until the bot has said everything it has to say now."""
        def quiet():
            rows = self.bot.query(
                "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
                " AND not_before <= ?", int(time.time() * 1000))
            lag = self.bot.query(
                "SELECT count(*) FROM announcements an JOIN actions a"
                " ON a.id = an.action_id WHERE an.message_id IS NOT NULL"
                " AND an.shown_version < a.version AND a.status = 'open'")
            st = self.fake.stats()
            return rows == [(0,)] and lag == [(0,)] and st.get("pending_updates", 0) == 0
        time.sleep(0.15)
        wait_until(quiet, timeout, interval=0.1, what="the bot to finish")
        time.sleep(0.15)

    def last_to(self, chat_id, needle=None):
        for s in reversed(self.fake.sent(method="sendMessage")):
            if s["params"].get("chat_id") == chat_id and s["status"] == 200 and \
                    (needle is None or needle in s["params"]["text"]):
                return s
        raise AssertionError("nothing with %r was sent to %s" % (needle, chat_id))

    def msg_id(self, sent):
        return sent["response"]["result"]["message_id"]

    def button(self, sent, data_prefix):
        for row in sent["params"].get("reply_markup", {}).get("inline_keyboard", []):
            for b in row:
                if b.get("callback_data", "").startswith(data_prefix):
                    return b["callback_data"], b["text"]
        raise AssertionError("no button %r" % data_prefix)

    def tap(self, uid, chat_id, data_prefix, needle=None):
        sent = self.last_to(chat_id, needle)
        data, label = self.button(sent, data_prefix)
        self.press(uid, data, self.msg_id(sent), label)

    def pledge_id(self, uid, action_id):
        return self.bot.query("SELECT max(id) FROM pledges WHERE user_id = ?"
                              " AND action_id = ?", uid, action_id)[0][0]

    # ---- the day ----

    def import_orgs(self):
        """The council's spreadsheet of NGOs, loaded on the server."""
        r = self.bot.run_cli("migrate", "--config", self.bot.config_path)
        assert r.returncode == 0, r.stderr
        path = os.path.join(os.path.dirname(self.bot.config_path), "нко.csv")
        with open(path, "w", encoding="utf-8-sig") as f:
            f.write("Название;Описание;Услуги;Телефон;Адрес;Направления\n"
                    "Доброе сердце;Волонтёрское движение города;"
                    "\"сборы вещей и продуктов\nпомощь пожилым\";"
                    "+7 914 555-01-02;ул. Ленина, 20;социальное\n"
                    "Приют «Надежда»;Временный приют для женщин с детьми;"
                    "\"временное проживание\nконсультации юриста\";"
                    "8 (41641) 2-34-56;ул. Кирова, 8;социальное, психология\n")
        r = self.bot.run_cli("import-orgs", path, "--config", self.bot.config_path)
        assert r.returncode == 0, r.stdout + r.stderr
        self.t.server(time.monotonic() * 1000, "dobrobot import-orgs нко.csv",
                      r.stdout + r.stderr)

    def run(self):
        self.t.note(time.monotonic() * 1000, "Утро. Администратор подключает бота к группе руководителей НКО")
        self.import_orgs()
        self.bot.start()
        self.say(ADMIN, "/setgroup@" + BOT, group=True)
        self.say(ORGANISER, "/start")
        self.say(ADMIN, "/grant %d Доброе сердце" % ORGANISER)

        self.t.note(time.monotonic() * 1000, "Организатор объявляет сбор вещей для приюта")
        self.say(ORGANISER, "/announce")
        self.say(ORGANISER, "Сбор тёплых вещей для приюта «Надежда»")
        self.say(ORGANISER, "Приют «Надежда» готовится к зиме. Нужны тёплые "
                 "одеяла и крупа, а завтра — руки, чтобы утеплить окна.")
        self.tap(ORGANISER, ORGANISER, "an:d:2")
        self.say(ORGANISER, "завтра 11:00")
        self.say(ORGANISER, "приют «Надежда», ул. Кирова, 8")
        self.say(ORGANISER, "нет")
        self.say(ORGANISER, "тёплые одеяла — 20 шт\nкрупа — 50 кг")
        self.say(ORGANISER, "5")
        self.tap(ORGANISER, ORGANISER, "an:pub")
        shelter = int(self.bot.query("SELECT max(id) FROM actions")[0][0])

        self.t.note(time.monotonic() * 1000, "И сбор средств на скульптуру")
        self.say(ORGANISER, "/announce")
        self.say(ORGANISER, "Скульптура «Детям войны»")
        self.say(ORGANISER, "Собираем средства на скульптурную композицию "
                 "«Детям войны» в сквере у школы №3.")
        self.tap(ORGANISER, ORGANISER, "an:d:3")
        self.say(ORGANISER, "без даты")
        self.say(ORGANISER, "нет")
        self.say(ORGANISER, "300 000")
        self.say(ORGANISER, "нет")
        self.say(ORGANISER, "нет")
        self.tap(ORGANISER, ORGANISER, "an:pub")
        sculpture = int(self.bot.query("SELECT max(id) FROM actions")[0][0])

        self.t.note(time.monotonic() * 1000, "Горожане откликаются")
        self.say(2001, "/start")
        self.say(2001, "/pledge %d 1 500" % sculpture)
        self.tap(2001, 2001, "sn:", "Спасибо, записал")
        # Several goods in one answer of the guided flow (issue 18).
        self.say(2002, "/start p%dg" % shelter)
        self.say(2002, "одеяла 5 шт, крупа 10 кг")
        self.tap(2002, 2002, "pf:v:1")
        self.say(2003, "/start p%dt" % shelter)
        self.tap(2003, 2003, "pf:v:1")
        self.say(2004, "/orgs социальное")
        self.say(2004, "/pledge %d 5000 анонимно" % sculpture)
        self.say(2005, "/pledge %d 10 кг крупы" % shelter)
        self.say(2005, "/my")
        elena = self.pledge_id(2005, shelter)
        self.say(2005, "/unpledge %d" % elena)

        self.t.note(time.monotonic() * 1000, "Организатор пишет руководителям НКО")
        # The text typed after /broadcast is the message (issue 18).
        self.say(ORGANISER, "/broadcast Коллеги, завтра в 11:00 утепляем окна"
                 " в приюте «Надежда». Нужны ещё двое волонтёров — /actions")
        self.tap(ORGANISER, ORGANISER, "bc:a:leaders")
        self.settle()
        # The menu became the preview: its Send button is on that message.
        preview = [e for e in self.fake.sent(method="editMessageText")
                   if e["params"].get("chat_id") == ORGANISER][-1]
        data, label = self.button(preview, "bc:go")
        self.press(ORGANISER, data, preview["params"]["message_id"], label)

        self.t.note(time.monotonic() * 1000, "Помощь приходит")
        self.say(ORGANISER, "/pledges %d" % shelter)
        self.say(ORGANISER, "/received %d" % self.pledge_id(2002, shelter))
        self.say(ORGANISER, "/received %d" % self.pledge_id(2001, sculpture))
        anna = self.pledge_id(2003, shelter)
        self.say(ORGANISER, "/received %d" % anna)
        self.tap(ORGANISER, ORGANISER, "at:%d:3" % anna, "Сколько часов")

        self.t.note(time.monotonic() * 1000, "Вечер. Организатор подводит итог сбора")
        self.say(ORGANISER, "/close %d" % shelter)
        self.say(ORGANISER, "Передали 5 одеял в приют «Надежда», окна утеплены. Спасибо!")
        # Nothing goes out before the organiser has seen the preview.
        self.tap(ORGANISER, ORGANISER, "cl:pub:", "Проверьте итог")

        self.t.note(time.monotonic() * 1000, "Организатор благодарит помощников, волонтёр просит справку")
        self.say(ORGANISER, "/thank %d" % shelter)
        self.say(2003, "/my")
        self.tap(2003, 2003, "dc:r")
        self.say(2003, "Анна Сергеевна Белова")
        [letter] = [d for d in self.wait_documents(3)
                    if d["params"]["chat_id"] == 2002]
        data, label = self.button(letter, "dc:f:")
        self.press(2002, data, self.msg_id(letter), label)
        self.say(2002, "Пётр Андреевич Иванов")
        self.documents = self.wait_documents(4)

        report_cmd = "/report %d" % sculpture
        self.say(2001, report_cmd)
        report = self.last_to(2001, "Отчёт по акции")
        print(self.t.render())
        print("\n" + "=" * 72)
        print("Итоговый отчёт (%s):\n" % report_cmd)
        print(plain(report["params"]["text"]))
        self.check(shelter, sculpture)
        self.save_documents()
        self.show_site(shelter, sculpture)

    def show_site(self, shelter, sculpture):
        """The daemon wrote the public site as the day went; once it shows
        the closing result, say where it is."""
        page = os.path.join(SITE_DIR, "actions", "%d.html" % shelter)

        def written():
            try:
                with open(page, encoding="utf-8") as f:
                    return "Передали 5 одеял" in f.read()
            except OSError:
                return False
        wait_until(written, 30, what="the site with the closing result")
        with open(os.path.join(SITE_DIR, "actions", "%d.html" % sculpture),
                  encoding="utf-8") as f:
            assert "аноним — 5\u00a0000\u00a0₽" in f.read()
        print("\n" + "=" * 72)
        print("Сайт совета (его пишет сам бот, site.dir): %s" % SITE_DIR)
        print("  открыть в браузере: file://%s/index.html" % SITE_DIR)
        print("  или раздать: python3 -m http.server 8080 --directory %s"
              " — и открыть http://localhost:8080/" % SITE_DIR)

    def wait_documents(self, n):
        def sent():
            docs = [s for s in self.fake.sent(method="sendDocument")
                    if s["status"] == 200]
            return docs if len(docs) >= n else None
        return wait_until(sent, 60, interval=0.2, what="%d documents" % n)

    def save_documents(self):
        """The PDFs as the chats got them, beside their verify pages."""
        print("\n" + "=" * 72)
        print("Документы (PDF, как их получили в чатах) и страницы проверки:\n")
        for s in self.documents:
            f = s["params"]["document"]
            path = os.path.join(OUT, f["filename"])
            with open(path, "wb") as out:
                out.write(base64.b64decode(f["content_base64"]))
            number = int(re.search(r"№ (\d+)", s["params"]["caption"]).group(1))
            code, revoked = self.bot.query(
                "SELECT code, revoke_reason FROM documents WHERE id = ?", number)[0]
            print("  %s — %s%s\n    %s\n    проверка: %s/verify/%s -> %s" % (
                NAMES[s["params"]["chat_id"]], plain(s["params"]["caption"]).split("\n")[0],
                " (отозвано: %s)" % revoked if revoked else "",
                os.path.relpath(path), SITE_URL, code, os.path.relpath(
                    os.path.join(SITE_DIR, "verify", code, "index.html"))))

    def check(self, shelter, sculpture):
        """The demo is also a test: the final state must be what the day did."""
        q = self.bot.query
        assert q("SELECT value FROM bot_state WHERE key = 'leaders_chat_id'") == [(str(GROUP),)]
        assert q("SELECT role FROM users WHERE id = ?", ORGANISER) == [("organiser",)]
        assert q("SELECT status FROM actions ORDER BY id") == [("closed",), ("open",)]
        assert q("SELECT kind, status FROM pledges WHERE user_id = 2005") == [("goods", "withdrawn")]
        assert q("SELECT sum(amount) FROM pledges WHERE action_id = ? AND status != 'withdrawn'",
                 sculpture) == [(650000,)]
        assert q("SELECT received_amount FROM pledges WHERE user_id = 2003") == [(3,)]
        told = [s["params"]["chat_id"] for s in self.fake.sent(method="sendMessage")
                if "Акция «Сбор тёплых вещей" in s["params"].get("text", "")]
        assert sorted(told) == [2002, 2003], told
        assert q("SELECT count(DISTINCT org_id) FROM actions") == [(1,)]
        assert q("SELECT o.name FROM actions a JOIN orgs o ON o.id = a.org_id"
                 " LIMIT 1") == [("Доброе сердце",)]
        assert q("SELECT count(*) FROM dead_letters") == [(0,)]
        assert q("SELECT count(*) FROM outbox WHERE state = 'failed'") == [(0,)]
        assert q("SELECT id FROM documents WHERE revoked_at IS NOT NULL") == [(1,)]
        # Letters to the shelter's two helpers, a record for Anna.
        assert q("SELECT kind, user_id, holder_name, state FROM documents"
                 " ORDER BY id") == [
            ("letter", 2002, "Пётр", "issued"),
            ("letter", 2003, "Анна", "issued"),
            ("record", 2003, "Анна Сергеевна Белова", "issued"),
            ("letter", 2002, "Пётр Андреевич Иванов", "issued")], \
            q("SELECT kind, user_id, holder_name, state FROM documents")

    def close(self):
        if self.bot.alive():
            rc = self.bot.stop()
            if rc != 0:
                raise SystemExit("dobrobot exited with %d" % rc)
        self.fake.stop()


def main():
    work = tempfile.mkdtemp(prefix="dobrobot-demo-")
    demo = Demo(work)
    try:
        demo.run()
    except Exception:
        print(demo.t.render())
        print("\n--- the daemon's log ---\n" + demo.bot.log(), file=sys.stderr)
        raise
    finally:
        demo.close()
        shutil.rmtree(work, ignore_errors=True)
    print("\nDemo finished: every step answered, the database agrees.")


if __name__ == "__main__":
    main()
