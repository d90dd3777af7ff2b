"""Recognition documents against the fake Bot API: a citizen's «Справка о
волонтёрской деятельности» (the button under /my, the name they choose,
money only if they want) and an organiser's «Благодарственное письмо» to
every helper of a closed action arrive as PDF documents that poppler's
pdftotext reads back (name, hours, number, in Russian) and whose QR code
zbar decodes to the public verify address; the verify page shows only the
masked name, says «отозван» once an admin revokes the document, and goes
with /forgetme. Hostile names are printed as typed. Only confirmed help
counts, nobody gets another person's document, and 60 letters hold up
nobody's replies."""

import base64
import json
import os
import re
import subprocess
import time

from lib.actionkit import ORGANISER, ActionsCase, buttons
from lib.daemon import wait_until

BASE_URL = "https://dobro.example.org"
HOSTILE = 'Анна "<b>&amp;" Белова'


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"],
                          capture_output=True, check=True,
                          timeout=60).stdout.decode()


def qr_of(path, workdir):
    """What zbar reads in the QR code of the PDF's first page."""
    prefix = os.path.join(workdir, "page")
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1",
                    path, prefix], check=True, timeout=60)
    [png] = [os.path.join(workdir, f) for f in os.listdir(workdir)
             if f.startswith("page") and f.endswith(".png")]
    r = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True,
                       timeout=60)
    os.unlink(png)
    return r.stdout.decode().strip()


class DocumentsCase(ActionsCase):
    def setUp(self):
        super().setUp()
        self.site = os.path.join(self.tmp.name, "site")

    @property
    def config(self):
        return {"leaders_chat_id": -1001234567890,
                "site": {"dir": os.path.join(self.tmp.name, "site")
                         if hasattr(self, "tmp") else "/nonexistent",
                         "base_url": BASE_URL + "/"}}

    def pledge(self, user, aid, what, first="Анна", last=None):
        n = self.say(user, "/pledge %d %s" % (aid, what), first_name=first,
                     last_name=last)
        r = self.wait_reply(user, "Спасибо, записал", n)["params"]["text"]
        return int(re.search(r"Обещание №(\d+)", r).group(1))

    def receive(self, pid, extra=""):
        n = self.say(ORGANISER, ("/received %d %s" % (pid, extra)).strip())
        self.wait_reply(ORGANISER, "№%d отмечено полученным" % pid, n)

    def documents_to(self, chat_id):
        return [s for s in self.replies(chat_id=chat_id,
                                        method="sendDocument")]

    def wait_document(self, chat_id, count=1, timeout=30):
        return wait_until(
            lambda: (lambda d: d if len(d) >= count else None)(
                self.documents_to(chat_id)),
            timeout, what="%d documents to %d" % (count, chat_id))

    def save_pdf(self, sent, name):
        f = sent["params"]["document"]
        self.assertTrue(f["filename"].endswith(".pdf"), f["filename"])
        data = base64.b64decode(f["content_base64"])
        self.assertTrue(data.startswith(b"%PDF-"), data[:10])
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as out:
            out.write(data)
        return path

    def ask_record(self, user, name=None, money=None, first="Анна"):
        """/my, «Получить справку», the name (typed, or the button), the
        money question when asked; returns the document's number."""
        n = self.say(user, "/my")
        my = self.wait_reply(user, "Ваши добрые дела", n)
        self.assertIn(("📄 Получить справку", "dc:r"),
                      buttons(my["params"].get("reply_markup")))
        n = self.press(user, "dc:r", self.message_id(my), first_name=first)
        ask = self.wait_reply(user, "Как написать ваше имя", n)
        if name is None:
            n = self.press(user, "dc:n", self.message_id(ask),
                           first_name=first)
        else:
            n = self.say(user, name, first_name=first)
        if money is not None:
            q = self.wait_reply(user, "денежные пожертвования", n)
            n = self.press(user, "dc:m:%d" % money, self.message_id(q),
                           first_name=first)
        done = self.wait_reply(user, "Готовлю справку №", n)
        return int(re.search(r"№ (\d+)", done["params"]["text"]).group(1))

    def code_of(self, number):
        return self.bot.query("SELECT code FROM documents WHERE id = ?",
                              number)[0][0]

    def page(self, code):
        return os.path.join(self.site, "verify", code, "index.html")


class RecordDocument(DocumentsCase):
    def helped(self):
        aid = self.announce()
        p1 = self.pledge(701, aid, "время")
        p2 = self.pledge(701, aid, "5 одеял")
        p3 = self.pledge(701, aid, "1500")
        self.pledge(701, aid, "3 кг крупы")  # never comes: not on paper
        self.receive(p1, "4")
        self.receive(p2)
        self.receive(p3)
        return aid

    def mapped(self, name):
        with open("/proc/%d/maps" % self.bot.proc.pid) as f:
            return name in f.read()

    def test_record_reads_back_verifies_and_shows_only_the_masked_name(self):
        self.bot.start()
        self.helped()
        # Until its first document the daemon maps no PDF library (issue
        # 21: pango, cairo and their kin were 4 MiB of its resident set).
        self.assertFalse(self.mapped("dobrobot-pdf.so"))
        self.assertFalse(self.mapped("libpango"), "pango mapped at start")
        number = self.ask_record(701, name=HOSTILE, money=0)
        [doc] = self.wait_document(701)
        self.assertTrue(self.mapped("dobrobot-pdf.so"))
        self.assertTrue(self.mapped("libpango"))
        self.assertIn("Справка № %d" % number, doc["params"]["caption"])
        code = self.code_of(number)
        self.assertRegex(code, r"^[a-z2-9]{12}$")
        url = "%s/verify/%s" % (BASE_URL, code)
        self.assertIn(url, doc["params"]["caption"])
        path = self.save_pdf(doc, "record.pdf")
        text = pdf_text(path)
        flat = " ".join(text.split())
        self.assertIn("СПРАВКА", text)
        self.assertIn("о волонтёрской (добровольческой) деятельности", flat)
        # The name exactly as typed: pango printed it, never parsed it.
        self.assertIn(HOSTILE, flat)
        self.assertIn("Исх. № %d от" % number, flat)
        self.assertIn("часов волонтёрской работы — 4", flat)
        self.assertIn("одеяла — 5", flat)
        self.assertIn("волонтёрская работа — 4 ч", flat)
        # No money (they said no), nothing pending.
        self.assertNotIn("1 500", flat)
        self.assertNotIn("пожертвован", flat)
        self.assertNotIn("крупа", flat)
        self.assertEqual(qr_of(path, self.tmp.name), url)
        # The verify page: number, issuer, masked name only.
        with open(self.page(code), encoding="utf-8") as f:
            html = f.read()
        self.assertIn("Документ действителен", html)
        self.assertIn("Проверка документа № %d" % number, html)
        self.assertIn("А*** &quot;*** Б***", html)
        for part in ("Анна", "Белова", "<b>&amp;", "&lt;b&gt;"):
            self.assertNotIn(part, html)
        self.assertIn("часов волонтёрской работы — 4", html)
        with open(os.path.join(self.site, "verify", "index.html"),
                  encoding="utf-8") as f:
            self.assertIn("Документ не найден", f.read())
        row = self.bot.query("SELECT state, holder_name, hours, money, kind,"
                             " user_id FROM documents WHERE id = ?", number)
        self.assertEqual(row, [("issued", HOSTILE, 4, 0, "record", 701)])
        # Sent once done, the PDF leaves the outbox.
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE kind = 'document' AND"
            " payload LIKE '%content_base64%'")[0][0] == 0,
            what="the PDF dropped from the outbox")

    def test_money_only_when_asked_and_the_suggested_name(self):
        self.bot.start()
        self.helped()
        number = self.ask_record(701, name=None, money=1)
        [doc] = self.wait_document(701)
        flat = " ".join(pdf_text(self.save_pdf(doc, "m.pdf")).split())
        # The Telegram name, confirmed with the button.
        self.assertIn("Выдана: Анна", flat)
        self.assertIn("пожертвовано — 1 500 ₽", flat.replace("\u00a0", " "))
        self.assertEqual(self.bot.query(
            "SELECT money FROM documents WHERE id = ?", number), [(150000,)])

    def test_nobody_gets_another_persons_document(self):
        self.bot.start()
        self.helped()
        # 702 has nothing confirmed: no button, and a forged press says so.
        aid2 = self.announce(title="Субботник")
        self.pledge(702, aid2, "время", first="Борис")
        n = self.say(702, "/my")
        my = self.wait_reply(702, "Ваши добрые дела", n)
        self.assertNotIn("dc:r", json.dumps(my["params"].get("reply_markup")))
        n = self.press(702, "dc:r", self.message_id(my), first_name="Борис")
        self.wait_reply(702, "Справку пока не из чего составить", n)
        # 701 starts a record; the buttons of that flow do nothing for
        # 702, who has none.
        n = self.say(701, "/my")
        my1 = self.wait_reply(701, "Ваши добрые дела", n)
        n = self.press(701, "dc:r", self.message_id(my1))
        self.wait_reply(701, "Как написать ваше имя", n)
        self.press(702, "dc:n", self.message_id(my), first_name="Борис")
        self.press(702, "dc:m:1", self.message_id(my), first_name="Борис")
        self.callback_answer("устарела")
        time.sleep(2.5)  # two ticks of the documents job
        self.assertEqual(self.bot.query("SELECT count(*) FROM documents"),
                         [(0,)])
        # 701 finishes: the document goes to 701 alone.
        n = self.say(701, "Анна Белова")
        q = self.wait_reply(701, "денежные пожертвования", n)
        self.press(701, "dc:m:0", self.message_id(q))
        self.wait_document(701)
        time.sleep(1)
        docs = self.replies(method="sendDocument")
        self.assertEqual([d["params"]["chat_id"] for d in docs], [701])
        # /revoke_doc is the admins'.
        n = self.say(702, "/revoke_doc 1")
        self.wait_reply(702, "администратор", n)
        self.assertEqual(self.bot.query(
            "SELECT revoked_at FROM documents"), [(None,)])

    def test_bad_name_is_asked_again(self):
        self.bot.start()
        self.helped()
        n = self.say(701, "/my")
        my = self.wait_reply(701, "Ваши добрые дела", n)
        n = self.press(701, "dc:r", self.message_id(my))
        self.wait_reply(701, "Как написать ваше имя", n)
        n = self.say(701, "А")
        self.wait_reply(701, "Имя должно быть от 2 до 80 символов", n)
        n = self.say(701, "Я" * 81)
        self.wait_reply(701, "Имя должно быть от 2 до 80 символов", n)
        self.assertEqual(self.conversation(701), ("document", "name"))

    def test_revoked_page_says_so_and_forgetme_removes_it(self):
        self.bot.start()
        self.helped()
        number = self.ask_record(701, name="Анна Белова", money=0)
        self.wait_document(701)
        code = self.code_of(number)
        self.assertTrue(os.path.exists(self.page(code)))
        n = self.say(ORGANISER, "/revoke_doc %d выдан по ошибке" % number)
        done = self.wait_reply(ORGANISER, "Документ № %d отозван" % number, n)
        self.assertIn("%s/verify/%s" % (BASE_URL, code),
                      done["params"]["text"])
        with open(self.page(code), encoding="utf-8") as f:
            html = f.read()
        self.assertIn("Документ отозван", html)
        self.assertIn("выдан по ошибке", html)
        self.assertNotIn("Документ действителен", html)
        n = self.say(ORGANISER, "/revoke_doc %d" % number)
        self.wait_reply(ORGANISER, "уже отозван", n)
        # /forgetme: the page and the row go.
        n = self.say(701, "/forgetme")
        ask = self.wait_reply(701, "Удалить ваши данные?", n)
        self.press(701, "fg:y", self.message_id(ask))
        wait_until(lambda: not os.path.exists(os.path.dirname(
            self.page(code))), what="the verify page removed")
        self.assertEqual(self.bot.query("SELECT count(*) FROM documents"),
                         [(0,)])


class LetterDocuments(DocumentsCase):
    def test_letters_to_the_helpers_of_a_closed_action(self):
        self.bot.start()
        aid = self.announce(title="Тёплые вещи <для> приюта")
        p1 = self.pledge(711, aid, "время", first="Ольга")
        p2 = self.pledge(712, aid, "5 одеял", first="Пётр", last="Сидоров")
        self.pledge(713, aid, "время", first="Ждун")  # pending: no letter
        p4 = self.pledge(714, aid, "время", first="Борис")
        self.receive(p1, "6")
        self.receive(p2)
        self.receive(p4, "1")
        self.fake.chat(714, blocked=True)  # then he blocked the bot
        n = self.say(ORGANISER, "/thank %d" % aid)
        self.wait_reply(ORGANISER, "ещё открыта", n)
        n = self.say(ORGANISER, "/close %d Спасибо всем" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        n = self.say(ORGANISER, "/thank %d" % aid)
        r = self.wait_reply(ORGANISER, "Благодарственные письма", n)
        t = r["params"]["text"]
        self.assertIn("Выдаю сейчас: 3", t)
        self.assertIn("Ольга — письмо №", t)
        # Telegram's first name: the bot keeps no last names.
        self.assertIn("Пётр — письмо №", t)
        self.assertNotIn("Ждун", t)
        [d1] = self.wait_document(711)
        [d2] = self.wait_document(712)
        self.assertIn("Тёплые вещи &lt;для&gt; приюта",
                      d1["params"]["caption"])
        flat = " ".join(pdf_text(self.save_pdf(d1, "l1.pdf")).split())
        self.assertIn("БЛАГОДАРСТВЕННОЕ ПИСЬМО", flat)
        self.assertIn("Ольга", flat)
        self.assertIn("«Тёплые вещи <для> приюта»", flat)
        self.assertIn("волонтёрская работа — 6 ч", flat)
        flat = " ".join(pdf_text(self.save_pdf(d2, "l2.pdf")).split())
        self.assertIn("Пётр", flat)
        self.assertIn("одеяла — 5", flat)
        self.assertIn("Исправить имя", d2["params"]["caption"])
        self.assertEqual(self.documents_to(713), [])
        # Again: nothing new, and the organiser sees who got one.
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM outbox WHERE kind = 'document'"
            " AND state IN ('sent', 'failed', 'cancelled')")[0][0] == 3,
            what="letters sent")
        n = self.say(ORGANISER, "/thank %d" % aid)
        r = self.wait_reply(ORGANISER, "Новых писем нет", n)
        t = r["params"]["text"]
        self.assertEqual(t.count("✅ получено"), 2)
        self.assertIn("• Борис — письмо № 3 ⚠️ не доставлено", t)
        time.sleep(1.5)
        self.assertEqual(len(self.replies(method="sendDocument")), 2)

    def test_a_letter_is_printed_again_with_the_name_its_holder_types(self):
        self.bot.start()
        aid = self.announce(title="Субботник в парке")
        p1 = self.pledge(721, aid, "время", first="Ольга")
        p2 = self.pledge(722, aid, "время", first="Пётр")
        self.receive(p1, "2")
        self.receive(p2, "3")
        n = self.say(ORGANISER, "/close %d Готово" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        n = self.say(ORGANISER, "/thank %d" % aid)
        self.wait_reply(ORGANISER, "Выдаю сейчас: 2", n)
        [d1] = self.wait_document(721)
        [d2] = self.wait_document(722)
        letter = int(re.search(r"№ (\d+)", d2["params"]["caption"]).group(1))
        old_code = self.code_of(letter)
        fix = "dc:f:%d" % letter
        self.assertIn(("✏️ Исправить имя", fix),
                      buttons(d2["params"]["reply_markup"]))
        # Someone else's letter: not theirs to replace.
        self.press(721, fix, self.message_id(d1), first_name="Ольга")
        self.callback_answer("устарела")
        n = self.press(722, fix, self.message_id(d2), first_name="Пётр")
        self.wait_reply(722, "Благодарственное письмо с верным именем", n)
        n = self.say(722, "Пётр Сидоров", first_name="Пётр")
        done = self.wait_reply(722, "Письмо № %d отозвано" % letter, n)
        new = int(re.search(r"новое, № (\d+)",
                            done["params"]["text"]).group(1))
        [_, d3] = self.wait_document(722, 2)
        flat = " ".join(pdf_text(self.save_pdf(d3, "l3.pdf")).split())
        self.assertIn("Пётр Сидоров", flat)
        self.assertIn("Исх. № %d" % new, flat)
        self.assertNotIn("Исправить имя", d3["params"]["caption"])
        with open(self.page(old_code), encoding="utf-8") as f:
            html = f.read()
        self.assertIn("Документ отозван", html)
        self.assertIn("заменён письмом № %d" % new, html)
        self.assertEqual(self.bot.query(
            "SELECT holder_name, revoked_at FROM documents"
            " WHERE user_id = 721"), [("Ольга", None)])

    def test_sixty_letters_hold_up_no_replies(self):
        self.bot.start()
        aid = self.announce(title="Большой субботник")
        n = self.say(ORGANISER, "/close %d Готово" % aid)
        n = self.publish_close(n)
        self.wait_reply(ORGANISER, "завершена", n)
        now = int(time.time() * 1000)
        helpers = list(range(2000, 2060))
        for uid in helpers:
            self.write_db("INSERT INTO users(id, first_name, language, role,"
                          " blocked, created_at, updated_at,"
                          " subscribe_asked) VALUES (?, ?, 'ru', 'citizen',"
                          " 0, ?, ?, 1)", uid, "Волонтёр %d" % uid, now, now)
            self.write_db("INSERT INTO pledges(action_id, user_id, kind,"
                          " amount, received_amount, status, created_at,"
                          " updated_at, received_at) VALUES (?, ?, 'time',"
                          " 1, 3, 'received', ?, ?, ?)", aid, uid, now, now,
                          now)
        n = self.say(ORGANISER, "/thank %d" % aid)
        t0 = time.time()
        self.wait_reply(ORGANISER, "Выдаю сейчас: 60", n)
        # The update only queued them.
        self.assertLess(time.time() - t0, 5)
        queued = self.bot.query("SELECT count(*) FROM documents"
                                " WHERE state = 'queued'")[0][0]
        self.assertGreater(queued, 40)
        # Someone else's command is answered while letters are made.
        n = self.say(3000, "/help")
        self.wait_reply(3000, "/actions", n, timeout=10)
        answered = time.time()
        self.assertGreater(self.bot.query(
            "SELECT count(*) FROM documents WHERE state = 'queued'")[0][0],
            0, "all letters were made before the reply")
        self.assertLess(answered - t0, 8)
        wait_until(lambda: self.bot.query(
            "SELECT count(*) FROM documents WHERE state = 'issued'")[0][0]
            == 60, timeout=120, what="60 letters made")
