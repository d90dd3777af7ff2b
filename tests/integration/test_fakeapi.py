"""The fake Bot API server itself, driven with plain HTTP requests (no bot):
it must answer as Telegram does, or the bot's tests prove nothing."""

import http.client
import json
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from lib.fakeapi import FakeApi

TOKEN = "4242:fake-TOKEN_for_the_fake_api_tests"


def multipart(fields, files):
    boundary = "----dobrobot-test-boundary-7MA4YWxkTrZu0gW"
    out = []
    for k, v in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (boundary, k, v)).encode())
    for name, (filename, content, ctype) in files.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
                    % (boundary, name, filename, ctype)).encode())
        out.append(content + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class FakeApiTestCase(unittest.TestCase):
    def setUp(self):
        self.fake = FakeApi.start(token=TOKEN)

    def tearDown(self):
        self.fake.stop()  # raises unless the server exits 0 (ASan: no leaks)

    def request(self, path, body=None, ctype=None, timeout=10):
        """Returns (status, headers, parsed JSON or raw bytes)."""
        headers = {"Content-Type": ctype} if ctype else {}
        req = urllib.request.Request(self.fake.base_url + path, data=body,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, h, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, h, raw = e.code, e.headers, e.read()
        try:
            return status, h, json.loads(raw)
        except ValueError:
            return status, h, raw

    def api(self, method, params=None, form=False, token=TOKEN):
        path = "/bot%s/%s" % (token, method)
        if params is None:
            return self.request(path)
        if form:
            body = urllib.parse.urlencode(
                {k: json.dumps(v) if isinstance(v, (dict, list)) else v
                 for k, v in params.items()}).encode()
            return self.request(path, body, "application/x-www-form-urlencoded")
        return self.request(path, json.dumps(params).encode(), "application/json")

    def assert_error(self, answer, status, description):
        st, headers, body = answer
        self.assertEqual((st, body.get("ok"), body.get("error_code"),
                          body.get("description")),
                         (status, False, status, description), body)
        return body

    def send(self, chat_id, text, **kw):
        return self.api("sendMessage", dict(kw, chat_id=chat_id, text=text))


class TokenAndRouting(FakeApiTestCase):
    def test_token_paths_and_methods(self):
        st, _, me = self.api("getMe")
        self.assertEqual(st, 200)
        self.assertEqual(me["result"]["username"], "dobro_test_bot")
        self.assertTrue(me["result"]["is_bot"])
        self.assertEqual(me["result"]["id"], 4242)
        self.assertEqual(self.api("GETME")[2]["result"]["id"], 4242)
        self.assert_error(self.api("getMe", token="4242:wrong"), 401, "Unauthorized")
        self.assert_error(self.request("/nothing/here"), 404, "Not Found")
        self.assert_error(self.api("frobnicate"), 404, "Not Found: method not found")
        self.assertEqual([(s["method"], s["status"]) for s in self.fake.sent()],
                         [("frobnicate", 404)])
        st, _, body = self.api("deleteWebhook", {})
        self.assertEqual((st, body["result"], body["description"]),
                         (200, True, "Webhook is already deleted"))

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.fake.port, timeout=5)
        conn.request("GET", "/bot%s/getMe" % TOKEN)
        conn.getresponse().read()
        sock = conn.sock
        for _ in range(3):
            conn.request("POST", "/bot%s/sendMessage" % TOKEN,
                         json.dumps({"chat_id": 1, "text": "hi"}),
                         {"Content-Type": "application/json"})
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
            self.assertIs(conn.sock, sock, "connection was not kept alive")
        conn.close()


class GetUpdates(FakeApiTestCase):
    def test_offset_confirms_and_redelivers(self):
        ids = self.fake.queue([self.fake.message(7, "a"), self.fake.message(7, "b"),
                               self.fake.message(7, "c")])
        self.assertEqual(ids, [100000, 100001, 100002])
        _, _, r = self.api("getUpdates", {"offset": 0})
        self.assertEqual([u["update_id"] for u in r["result"]], ids)
        msg = r["result"][0]["message"]
        self.assertEqual((msg["message_id"], msg["chat"]["id"], msg["text"]), (1, 7, "a"))
        self.assertIsInstance(msg["date"], int)
        # Not confirmed yet: delivered again.
        _, _, r = self.api("getUpdates", {"limit": 2})
        self.assertEqual([u["update_id"] for u in r["result"]], ids[:2])
        _, _, r = self.api("getUpdates", {"offset": ids[2]})
        self.assertEqual([u["update_id"] for u in r["result"]], ids[2:])
        st = self.fake.stats()
        self.assertEqual((st["pending_updates"], st["confirmed_offset"]), (1, ids[2]))
        log = self.fake.updates_log()
        self.assertIsNotNone(log[0]["confirmed_ms"])
        self.assertIsNone(log[2]["confirmed_ms"])
        self.assertGreaterEqual(log[2]["delivered_ms"], log[2]["queued_ms"])
        _, _, r = self.api("getUpdates", {"offset": ids[2] + 1})
        self.assertEqual(r["result"], [])
        self.assertEqual(self.fake.stats()["pending_updates"], 0)

    def test_limit_is_clamped_and_form_encoding_works(self):
        self.fake.queue([self.fake.message(8, "m%d" % i) for i in range(120)])
        _, _, r = self.api("getUpdates", {"limit": 0}, form=True)
        self.assertEqual(len(r["result"]), 1)
        _, _, r = self.api("getUpdates", {"limit": 1000}, form=True)
        self.assertEqual(len(r["result"]), 100)
        _, _, r = self.request("/bot%s/getUpdates?offset=100119" % TOKEN)
        self.assertEqual([u["message"]["text"] for u in r["result"]], ["m119"])

    def test_long_poll_timeout_and_wakeup(self):
        t = time.monotonic()
        _, _, r = self.api("getUpdates", {"timeout": 1})
        self.assertEqual(r, {"ok": True, "result": []})
        self.assertGreaterEqual(time.monotonic() - t, 0.95)
        threading.Timer(0.2, lambda: self.fake.send_text(9, "wake")).start()
        t = time.monotonic()
        _, _, r = self.api("getUpdates", {"timeout": 10})
        self.assertLess(time.monotonic() - t, 2)
        self.assertEqual(r["result"][0]["message"]["text"], "wake")

    def test_newer_poll_terminates_the_older_with_409(self):
        older = {}
        th = threading.Thread(target=lambda: older.update(
            a=self.api("getUpdates", {"timeout": 10})))
        th.start()
        time.sleep(0.3)
        t = time.monotonic()
        _, _, r = self.api("getUpdates", {"timeout": 1})
        th.join()
        self.assertEqual(r["result"], [])
        self.assert_error(older["a"], 409,
                          "Conflict: terminated by other getUpdates request; make "
                          "sure that only one bot instance is running")
        self.assertLess(time.monotonic() - t, 2)
        self.assertEqual(self.fake.stats()["conflicts"], 1)

    def test_offset_in_the_future_reads_from_the_head(self):
        [first] = self.fake.queue([self.fake.message(10, "old")])
        self.api("getUpdates", {"offset": first + 1})  # confirms it
        self.fake.next_update_id(500)  # Telegram restarted ids, lower
        self.fake.queue([self.fake.message(10, "new1"), self.fake.message(10, "new2")])
        _, _, r = self.api("getUpdates", {"offset": first + 1})
        self.assertEqual([u["update_id"] for u in r["result"]], [500, 501])
        # Nothing was confirmed by the out-of-range offset.
        self.assertEqual(self.fake.stats()["pending_updates"], 2)
        _, _, r = self.api("getUpdates", {"offset": 502})
        self.assertEqual(r["result"], [])
        self.assertEqual(self.fake.stats()["pending_updates"], 0)

    def test_allowed_updates_filter(self):
        self.fake.queue([self.fake.my_chat_member(11), self.fake.message(11, "x")])
        _, _, r = self.api("getUpdates", {"allowed_updates": ["message"]})
        self.assertEqual([list(u)[1] for u in r["result"]], ["message"])
        log = self.fake.updates_log()
        self.assertTrue(log[0]["dropped"])


class SendMessage(FakeApiTestCase):
    def test_message_object_and_ids_per_chat(self):
        self.fake.send_text(20, "/start")  # user's message takes id 1
        _, _, r = self.send(20, "<b>Привет</b>, &lt;мир&gt;", parse_mode="HTML")
        m = r["result"]
        self.assertEqual((m["message_id"], m["chat"]["id"], m["from"]["is_bot"]),
                         (2, 20, True))
        self.assertEqual(m["text"], "Привет, <мир>")
        self.assertEqual(m["entities"], [{"type": "bold", "offset": 0, "length": 6}])
        self.assertEqual(self.send(21, "x")[2]["result"]["message_id"], 1)
        [s] = self.fake.sent(method="sendMessage")[:1]
        self.assertEqual(s["params"]["chat_id"], 20)
        self.assertEqual(s["status"], 200)
        self.assertGreaterEqual(s["done_ms"], s["t_ms"])
        self.assertEqual(self.fake.stats()["messages"], {"20": 1, "21": 1})

    def test_validation_errors(self):
        self.assert_error(self.send(1, ""), 400, "Bad Request: message text is empty")
        self.assert_error(self.api("sendMessage", {"chat_id": 1}), 400,
                          "Bad Request: message text is empty")
        self.assert_error(self.api("sendMessage", {"text": "x"}), 400,
                          "Bad Request: chat_id is empty")
        self.assertEqual(self.send(1, "я" * 4096)[0], 200)
        self.assert_error(self.send(1, "я" * 4097), 400, "Bad Request: message is too long")
        # Length counts code points after parsing: tags and entities are free.
        self.assertEqual(self.send(1, "<b>" + "&amp;" * 4096 + "</b>",
                                   parse_mode="HTML")[0], 200)
        self.assertEqual(self.send(1, "😀" * 4096)[0], 200)
        self.assert_error(self.send(1, "Привет <br> мир", parse_mode="HTML"), 400,
                          "Bad Request: can't parse entities: Unsupported start "
                          "tag \"br\" at byte offset 13")
        self.assert_error(self.send(1, "<b>bold", parse_mode="HTML"), 400,
                          "Bad Request: can't parse entities: Can't find end tag "
                          "corresponding to start tag \"b\"")
        self.assert_error(self.send(1, "<b><i>x</b></i>", parse_mode="HTML"), 400,
                          "Bad Request: can't parse entities: Unmatched end tag at "
                          "byte offset 7, expected \"</i>\", found \"</b>\"")
        self.assertEqual(self.send(1, "a & b > c", parse_mode="HTML")[0], 200)
        self.assert_error(self.send(1, "x", parse_mode="BBCode"), 400,
                          "Bad Request: unsupported parse_mode")

    def test_inline_keyboard_rules(self):
        def kb(*buttons):
            return {"inline_keyboard": [list(buttons)]}
        ok = self.send(1, "x", reply_markup=kb({"text": "a", "callback_data": "b" * 64}))
        self.assertEqual(ok[0], 200)
        self.assert_error(self.send(1, "x", reply_markup=kb(
            {"text": "a", "callback_data": "b" * 65})), 400,
            "Bad Request: BUTTON_DATA_INVALID")
        # 64 bytes, not characters: 33 Cyrillic letters are 66 bytes.
        self.assert_error(self.send(1, "x", reply_markup=kb(
            {"text": "a", "callback_data": "ж" * 33})), 400,
            "Bad Request: BUTTON_DATA_INVALID")
        self.assert_error(self.send(1, "x", reply_markup=kb({"text": "a"})), 400,
                          "Bad Request: can't parse inline keyboard button: Text "
                          "buttons are unallowed in the inline keyboard")
        st, _, body = self.send(1, "x", reply_markup=kb(
            {"text": "a", "url": "https://t.me/x", "callback_data": "y"}))
        self.assertEqual(st, 400)
        # A form-encoded reply_markup is a JSON string; the log shows it parsed.
        st, _, _ = self.api("sendMessage", {"chat_id": 2, "text": "f", "reply_markup":
                                            kb({"text": "a", "callback_data": "c"})},
                            form=True)
        self.assertEqual(st, 200)
        s = self.fake.sent()[-1]
        self.assertEqual(s["params"]["reply_markup"]["inline_keyboard"][0][0]
                         ["callback_data"], "c")
        self.assertEqual(s["params"]["chat_id"], 2)
        self.assert_error(self.api("sendMessage", {"chat_id": 2, "text": "f",
                                                   "reply_markup": "{broken"},
                                   form=True), 400,
                          "Bad Request: can't parse reply keyboard markup JSON object")

    def test_edit_not_modified_and_final_state(self):
        markup = {"inline_keyboard": [[{"text": "Помочь", "callback_data": "pledge:1"}]]}
        _, _, r = self.send(-100, "Сбор: 0 ₽", reply_markup=markup)
        mid = r["result"]["message_id"]
        edit = {"chat_id": -100, "message_id": mid, "text": "Сбор: 0 ₽",
                "reply_markup": markup}
        self.assert_error(self.api("editMessageText", edit), 400,
                          "Bad Request: message is not modified: specified new "
                          "message content and reply markup are exactly the same "
                          "as a current content and reply markup of the message")
        edit["text"] = "Сбор: 500 ₽"
        st, _, r = self.api("editMessageText", edit)
        self.assertEqual((st, r["result"]["text"]), (200, "Сбор: 500 ₽"))
        self.assertIn("edit_date", r["result"])
        self.assert_error(self.api("editMessageText", dict(edit, message_id=999)), 400,
                          "Bad Request: message to edit not found")
        [m] = self.fake.messages(-100)
        self.assertEqual((m["text"], m["edits"], m["reply_markup"]),
                         ("Сбор: 500 ₽", 1, markup))
        st, _, _ = self.api("editMessageReplyMarkup",
                            {"chat_id": -100, "message_id": mid})
        self.assertEqual(st, 200)
        self.assertIsNone(self.fake.messages(-100)[0]["reply_markup"])

    def test_copy_delete_and_callback_answers(self):
        self.fake.send_text(30, "копия")
        st, _, r = self.api("copyMessage", {"chat_id": -200, "from_chat_id": 30,
                                            "message_id": 1})
        self.assertEqual((st, r["result"]), (200, {"message_id": 1}))
        self.assertEqual(self.fake.messages(-200)[0]["text"], "копия")
        self.assert_error(self.api("copyMessage", {"chat_id": -200, "from_chat_id": 30,
                                                   "message_id": 5}),
                          400, "Bad Request: message to copy not found")
        _, _, r = self.send(30, "выбор", reply_markup={"inline_keyboard": [[
            {"text": "a", "callback_data": "a"}]]})
        mid = r["result"]["message_id"]
        self.fake.press(30, "a", mid)
        _, _, r = self.api("getUpdates", {})
        cq = r["result"][-1]["callback_query"]
        self.assertEqual(cq["message"]["text"], "выбор")
        self.assertIn("chat_instance", cq)
        self.assertEqual(self.api("answerCallbackQuery",
                                  {"callback_query_id": cq["id"], "text": "ок"})[0], 200)
        expired = ("Bad Request: query is too old and response timeout expired "
                   "or query ID is invalid")
        self.assert_error(self.api("answerCallbackQuery", {"callback_query_id": cq["id"]}),
                          400, expired)
        self.assert_error(self.api("answerCallbackQuery", {"callback_query_id": "nope"}),
                          400, expired)
        self.assertTrue(self.fake.callbacks()[cq["id"]]["answered"])
        # An answer after the window (15 s unless set) is too old.
        self.assertEqual(self.fake.limits()["callback_timeout_ms"], 15000)
        self.fake.limits(callback_timeout_ms=200)
        self.fake.press(30, "a", mid)
        _, _, r = self.api("getUpdates", {"offset": r["result"][-1]["update_id"] + 1})
        late = r["result"][-1]["callback_query"]["id"]
        time.sleep(0.3)
        self.assert_error(self.api("answerCallbackQuery", {"callback_query_id": late}),
                          400, expired)
        self.assertEqual(self.api("deleteMessage", {"chat_id": 30, "message_id": mid})[0],
                         200)
        self.assert_error(self.api("deleteMessage", {"chat_id": 30, "message_id": mid}),
                          400, "Bad Request: message to delete not found")

    def test_multipart_send_document(self):
        content = "дата;сумма\n2024-05-01;500\n".encode()
        body, ctype = multipart({"chat_id": "40", "caption": "<b>Отчёт</b>",
                                 "parse_mode": "HTML"},
                                {"document": ("report.csv", content, "text/csv")})
        st, _, r = self.request("/bot%s/sendDocument" % TOKEN, body, ctype)
        self.assertEqual(st, 200, r)
        doc = r["result"]["document"]
        self.assertEqual((doc["file_name"], doc["file_size"]), ("report.csv", len(content)))
        self.assertEqual(r["result"]["caption"], "Отчёт")
        s = self.fake.sent(method="sendDocument")[0]
        self.assertEqual(s["params"]["chat_id"], 40)
        self.assertEqual(s["params"]["document"],
                         {"filename": "report.csv", "size": len(content),
                          "content_type": "text/csv", "content": content.decode()})

    def test_commands(self):
        cmds = [{"command": "start", "description": "Начать"}]
        self.assertEqual(self.api("setMyCommands", {"commands": cmds,
                                                    "language_code": "ru"})[0], 200)
        _, _, r = self.api("getMyCommands", {"language_code": "ru"})
        self.assertEqual(r["result"], cmds)
        self.assert_error(self.api("setMyCommands", {"commands": [
            {"command": "Start", "description": "x"}]}), 400,
            "Bad Request: BOT_COMMAND_INVALID")


class ChatsAndLimits(FakeApiTestCase):
    def test_blocked_deactivated_kicked_migrated(self):
        self.fake.chat(50, blocked=True)
        self.assert_error(self.send(50, "x"), 403, "Forbidden: bot was blocked by the user")
        self.fake.chat(51, deactivated=True)
        self.assert_error(self.send(51, "x"), 403, "Forbidden: user is deactivated")
        self.fake.chat(-52, kicked=True)
        self.assert_error(self.send(-52, "x"), 403,
                          "Forbidden: bot was kicked from the group chat")
        self.fake.chat(-53, migrate_to=-1001234567890)
        body = self.assert_error(self.send(-53, "x"), 400,
                                 "Bad Request: group chat was upgraded to a "
                                 "supergroup chat")
        self.assertEqual(body["parameters"], {"migrate_to_chat_id": -1001234567890})
        self.assertEqual(self.send(-1001234567890, "x")[0], 200)
        self.fake.chat(50, clear=True)
        self.assertEqual(self.send(50, "x")[0], 200)
        statuses = [s["status"] for s in self.fake.sent()]
        self.assertEqual(statuses, [403, 403, 403, 400, 200, 200])

    def test_rate_limits(self):
        self.fake.limits(enforce=True, chat_per_s=1, chat_burst=3, group_per_min=2,
                         global_per_s=6)
        for i in range(3):
            self.assertEqual(self.send(60, "burst %d" % i)[0], 200)
        st, headers, body = self.send(60, "one too many")
        self.assertEqual(st, 429)
        self.assertEqual(body["description"], "Too Many Requests: retry after 1")
        self.assertEqual(body["parameters"], {"retry_after": 1})
        self.assertEqual(headers["Retry-After"], "1")
        # A group: two per minute.
        self.assertEqual(self.send(-61, "a")[0], 200)
        self.assertEqual(self.send(-61, "b")[0], 200)
        st, headers, body = self.send(-61, "c")
        self.assertEqual(st, 429)
        self.assertGreaterEqual(body["parameters"]["retry_after"], 58)
        # Global: six per second; 5 accepted so far.
        self.assertEqual(self.send(62, "x")[0], 200)
        self.assertEqual(self.send(63, "x")[0], 429)
        # Paid broadcasts have their own budget.
        self.assertEqual(self.send(64, "x", allow_paid_broadcast=True)[0], 200)
        st = self.fake.stats()
        self.assertEqual(st["too_many_requests"], 3)
        self.assertEqual(st["too_many_requests_by_kind"],
                         {"global": 1, "chat": 1, "group": 1, "paid": 0, "script": 0})
        time.sleep(1.05)
        self.assertEqual(self.send(60, "later")[0], 200)
        self.fake.limits(enforce=False)
        for i in range(10):
            self.assertEqual(self.send(60, "free %d" % i)[0], 200)


class Faults(FakeApiTestCase):
    def test_script(self):
        self.fake.faults(script=[
            {"method": "sendMessage", "chat_id": 71, "status": 429, "retry_after": 3},
            {"method": "sendMessage", "status": 400,
             "description": "Bad Request: chat not found"},
            {"method": "getMe", "status": 502, "body": "<html>bad gateway</html>"},
        ])
        self.assertEqual(self.send(70, "x")[2]["description"], "Bad Request: chat not found")
        st, headers, body = self.send(71, "x")
        self.assertEqual((st, body["parameters"]["retry_after"], headers["Retry-After"]),
                         (429, 3, "3"))
        self.assertEqual(self.send(71, "x")[0], 200)
        st, headers, body = self.api("getMe")
        self.assertEqual((st, body), (502, b"<html>bad gateway</html>"))
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertEqual(self.fake.stats()["script_pending"], 0)
        self.assertEqual([s.get("fault") for s in self.fake.sent()],
                         ["script", "script", None])

    def test_huge_body(self):
        self.fake.faults(script=[{"method": "getUpdates", "huge_bytes": 3000000}])
        st, _, body = self.api("getUpdates", {})
        self.assertEqual(st, 200)
        self.assertEqual(len(json.dumps(body, separators=(",", ":"))), 3000000)

    def test_random_faults(self):
        self.fake.faults(rate_5xx=1.0)
        self.assert_error(self.send(80, "x"), 500, "Internal Server Error")
        st, headers, body = self.send(80, "x")
        self.assertEqual(st, 502)
        self.assertIn(b"nginx", body)
        self.fake.faults(rate_malformed=1.0, methods=["sendMessage"])
        st, _, body = self.send(80, "x")
        self.assertEqual(st, 200)
        self.assertIsInstance(body, bytes)  # not JSON
        self.assertEqual(self.api("getMe")[0], 200)  # not in methods
        self.fake.faults(rate_drop=1.0)
        with self.assertRaises((http.client.HTTPException, urllib.error.URLError,
                                ConnectionError)):
            self.send(81, "dropped before")
        self.assertEqual(self.fake.messages(81), [])
        self.fake.faults(rate_drop_after=1.0)
        with self.assertRaises((http.client.HTTPException, urllib.error.URLError,
                                ConnectionError)):
            self.send(82, "dropped after")
        self.assertEqual([m["text"] for m in self.fake.messages(82)], ["dropped after"])
        self.fake.faults()
        self.assertEqual(self.send(83, "fine")[0], 200)
        sent = self.fake.sent()
        self.assertEqual([(s["status"], s.get("fault")) for s in sent],
                         [(500, "5xx"), (502, "5xx"), (200, "malformed"),
                          (0, "drop"), (200, "drop_after"), (200, None)])
        self.assertTrue(all(s["done_ms"] is not None for s in sent))
        self.assertEqual(self.fake.stats()["faults"]["drop"], 1)

    def test_latency_overlaps(self):
        self.fake.faults(latency_ms=200)
        results = []

        def one(i):
            t = time.monotonic()
            st = self.send(90 + i, "x")[0]
            results.append((st, time.monotonic() - t))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
        t = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - t
        self.assertLess(elapsed, 1.0)
        self.assertEqual([r[0] for r in results], [200] * 10)
        self.assertTrue(all(r[1] >= 0.19 for r in results), results)
        self.assertGreaterEqual(self.fake.stats()["max_concurrent"], 8)
        for s in self.fake.sent():
            self.assertGreaterEqual(s["done_ms"] - s["t_ms"], 195)

    def test_reset(self):
        self.send(1, "x")
        self.fake.queue([self.fake.message(1, "y")])
        self.fake.limits(enforce=True)
        self.fake.reset()
        st = self.fake.stats()
        self.assertEqual((st["pending_updates"], st["sent_log"], st["messages"]),
                         (0, 0, {}))
        self.assertEqual(self.fake.sent(), [])
        self.assertFalse(self.fake.limits()["enforce"])


if __name__ == "__main__":
    unittest.main()
