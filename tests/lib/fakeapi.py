"""Client for the fake Telegram Bot API server (build/fakeapi).

Starts the server on a free loopback port, builds updates as simulated users
would send them, queues them, and reads back what the bot sent. Standard
library only.

    with FakeApi.start(token=TOKEN) as fake:
        fake.send_text(501, "/start")
        [reply] = fake.wait_sent(lambda s: s["method"] == "sendMessage")

Times in the server's answers (t_ms, done_ms, queued_ms, ...) are
CLOCK_MONOTONIC milliseconds, the clock of Python's time.monotonic().
"""

import json
import os
import select
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_TOKEN = "123456789:TESTtoken-abcdefghijklmnopqrstuvwxyz_01"
BOT_USERNAME = "dobro_test_bot"


def fakeapi_bin():
    return os.environ.get("FAKEAPI_BIN", os.path.abspath("build/fakeapi"))


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


class FakeApiError(Exception):
    """A control request the server refused (HTTP status and its error)."""

    def __init__(self, status, body):
        super().__init__("fakeapi control error %s: %s" % (status, body))
        self.status = status
        self.body = body


class FakeApi:
    def __init__(self, proc, port, token):
        self.proc = proc
        self.port = port
        self.token = token
        self.base_url = "http://127.0.0.1:%d" % port
        self.api_url = "%s/bot%s" % (self.base_url, token)
        self.bot_id = int(token.split(":")[0]) if ":" in token else 1234567890
        self._sent = []      # cache of the sent log, in seq order
        self._sent_next = 0  # highest seq fetched

    # ---- lifecycle ----

    @classmethod
    def start(cls, binary=None, token=DEFAULT_TOKEN, timeout=10, listen=None):
        """Spawns the server on a free port and waits for its PORT line.
        listen: the IPv4 address to listen on (default 127.0.0.1); the
        client side (base_url, the control calls) stays on loopback, which
        0.0.0.0 includes."""
        binary = binary or fakeapi_bin()
        argv = [binary, "--port", "0", "--token", token]
        if listen:
            argv += ["--listen", listen]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
                proc.kill()
                proc.wait()
                raise RuntimeError("fakeapi did not print its port in %s s" % timeout)
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                rc = proc.wait()
                raise RuntimeError("fakeapi exited with status %s before "
                                   "listening" % rc)
            line += chunk
        proc.stdout.close()
        parts = line.decode().split()
        if len(parts) != 2 or parts[0] != "PORT":
            proc.kill()
            proc.wait()
            raise RuntimeError("fakeapi printed %r instead of PORT <n>" % line)
        return cls(proc, int(parts[1]), token)

    def stop(self, timeout=15):
        """SIGTERM, then waits; raises if the server did not exit with 0
        (under ASan a leak or memory error makes it exit non-zero)."""
        if self.proc is None:
            return 0
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError("fakeapi did not stop within %s s" % timeout)
        if rc != 0:
            raise AssertionError("fakeapi exited with status %s" % rc)
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # ---- HTTP ----

    def _ctl(self, path, body=None, query=None, timeout=30):
        url = "%s/_ctl/%s" % (self.base_url, path)
        if query:
            url += "?" + urllib.parse.urlencode(
                {k: v for k, v in query.items() if v is not None})
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers,
                                     method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise FakeApiError(e.code, e.read().decode(errors="replace")) from None

    def call(self, method, params=None, timeout=60):
        """Calls the Bot API as a bot would (JSON body); returns
        (http_status, answer_dict_or_raw_bytes, headers)."""
        data = json.dumps(params or {}).encode()
        req = urllib.request.Request("%s/%s" % (self.api_url, method), data=data,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw, headers = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, raw, headers = e.code, e.read(), e.headers
        try:
            return status, json.loads(raw), headers
        except ValueError:
            return status, raw, headers

    # ---- building updates ----

    def _user(self, user_id, first_name, last_name=None, username=None,
              language_code=None):
        u = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            u["last_name"] = last_name
        if username:
            u["username"] = username
        if language_code:
            u["language_code"] = language_code
        return u

    def _chat(self, user_id, chat_id, chat_type, first_name, last_name=None,
              username=None, chat_title=None):
        if chat_id is None or (chat_id == user_id and chat_type in (None, "private")):
            c = {"id": user_id, "type": "private", "first_name": first_name}
            if last_name:
                c["last_name"] = last_name
            if username:
                c["username"] = username
            return c
        if chat_type in (None, "private"):
            chat_type = "supergroup" if chat_id < -10**12 else "group"
        return {"id": chat_id, "type": chat_type,
                "title": chat_title or "Тестовая группа"}

    def message(self, user_id, text, chat_id=None, chat_type="private",
                first_name="Иван", last_name=None, username=None,
                language_code="ru", entities=None, reply_to=None,
                chat_title=None, message_id=None):
        """An Update with a text message from user_id (not queued). In a
        private chat unless chat_id is given. A text starting with '/' gets
        its bot_command entity. reply_to: a message_id in the same chat (the
        server fills in the message it knows) or a full Message dict."""
        chat = self._chat(user_id, chat_id, chat_type, first_name, last_name,
                          username, chat_title)
        msg = {"from": self._user(user_id, first_name, last_name, username,
                                  language_code),
               "chat": chat, "text": text}
        if message_id is not None:
            msg["message_id"] = message_id
        if entities is None and text.startswith("/"):
            word = text.split(None, 1)[0] if text.strip() else text
            entities = [{"type": "bot_command", "offset": 0,
                         "length": utf16_len(word)}]
        if entities:
            msg["entities"] = entities
        if reply_to is not None:
            if isinstance(reply_to, dict):
                msg["reply_to_message"] = reply_to
            else:
                msg["reply_to_message"] = {"message_id": reply_to, "chat": chat}
        return {"message": msg}

    def edited_message(self, user_id, message_id, text, chat_id=None, **kw):
        """An edited_message Update for a message the user sent earlier."""
        upd = self.message(user_id, text, chat_id=chat_id, message_id=message_id,
                           **kw)
        msg = upd["message"]
        msg["edit_date"] = int(time.time())
        return {"edited_message": msg}

    def callback(self, user_id, data, message_id, chat_id=None,
                 language_code="ru", first_name="Иван", username=None,
                 chat_type=None):
        """A callback_query Update: user_id pressed a button with `data` on
        the bot's message `message_id` (the server fills in that message,
        the query id and chat_instance)."""
        chat = self._chat(user_id, chat_id, chat_type, first_name, None, username)
        return {"callback_query": {
            "from": self._user(user_id, first_name, None, username, language_code),
            "message": {"message_id": message_id, "chat": chat},
            "data": data}}

    def my_chat_member(self, user_id, chat_id=None, old_status="member",
                       new_status="kicked", chat_type=None, first_name="Иван",
                       chat_title=None, language_code="ru"):
        """A my_chat_member Update: in a private chat new_status "kicked"
        means the user blocked the bot ("member" after it: unblocked); in a
        group, user_id added (left -> member/administrator) or removed the
        bot."""
        chat = self._chat(user_id, chat_id, chat_type, first_name,
                          chat_title=chat_title)
        bot = {"id": self.bot_id, "is_bot": True, "first_name": "Dobrobot",
               "username": BOT_USERNAME}
        new = {"user": bot, "status": new_status}
        if new_status == "kicked":
            new["until_date"] = 0
        return {"my_chat_member": {
            "chat": chat,
            "from": self._user(user_id, first_name, language_code=language_code),
            "date": int(time.time()),
            "old_chat_member": {"user": bot, "status": old_status},
            "new_chat_member": new}}

    # ---- control ----

    def queue(self, updates):
        """Queues updates (a list, or one dict); returns their update_ids."""
        if isinstance(updates, dict):
            updates = [updates]
        return self._ctl("updates", {"updates": list(updates)})["ids"]

    def queue_raw(self, raw, update_id=None, type="message"):
        """Queues one update as raw text, delivered byte for byte inside the
        getUpdates result (it may be JSON a parser refuses, or lack its
        update_id). update_id is what the fake's offsets use (default: the
        next id); "{id}" in raw is replaced by it. Returns the id."""
        if update_id is None:
            update_id = self.stats()["next_update_id"]
        raw = raw.replace("{id}", str(update_id))
        return self._ctl("raw_update", {"raw": raw, "update_id": update_id,
                                        "type": type})["update_id"]

    def send_text(self, user_id, text, **kw):
        """Queues one message from user_id; returns its update_id."""
        return self.queue([self.message(user_id, text, **kw)])[0]

    def press(self, user_id, data, message_id, **kw):
        """Queues one callback_query; returns its update_id."""
        return self.queue([self.callback(user_id, data, message_id, **kw)])[0]

    def _sync_sent(self):
        # Entries are final when logged except done_ms (set when answered):
        # refetch from the first entry still in flight.
        since = self._sent_next
        for i, e in enumerate(self._sent):
            if e["done_ms"] is None:
                since = e["seq"] - 1
                del self._sent[i:]
                break
        r = self._ctl("sent", query={"since": since})
        self._sent.extend(r["sent"])
        self._sent_next = max(since, r["next"])

    def sent(self, since=0, method=None):
        """The sent log: every Bot API request but getUpdates/getMe, in
        arrival order, with seq > since (failed and dropped ones too: look
        at "status"; 0 = connection dropped before processing)."""
        self._sync_sent()
        return [e for e in self._sent if e["seq"] > since and
                (method is None or e["method"].lower() == method.lower())]

    def wait_sent(self, what=1, timeout=10, method=None, since=0, interval=0.02):
        """Waits until the sent log (filtered by method/since) holds `what`
        entries (an int), or until some entry satisfies `what` (a callable);
        returns the filtered entries (all of them, or the matching ones)."""
        deadline = time.monotonic() + timeout
        while True:
            entries = self.sent(since=since, method=method)
            if callable(what):
                hit = [e for e in entries if what(e)]
                if hit:
                    return hit
            elif len(entries) >= what:
                return entries
            if time.monotonic() >= deadline:
                summary = ["%s %s %s" % (e["method"], e["status"],
                                         json.dumps(e["params"], ensure_ascii=False)[:160])
                           for e in entries[-10:]]
                raise AssertionError("timed out after %s s waiting for sent %s; "
                                     "last entries:\n  %s" %
                                     (timeout, what if not callable(what) else
                                      "predicate", "\n  ".join(summary)))
            time.sleep(interval)

    def stats(self):
        return self._ctl("stats")

    def limits(self, **kw):
        """Sets rate limits (enforce, global_per_s, chat_per_s, chat_burst,
        group_per_min, paid_per_s, callback_timeout_ms, methods); keys not
        given keep their values; windows and buckets restart."""
        return self._ctl("limits", kw)["limits"]

    def faults(self, **kw):
        """Replaces fault settings (seed, latency_ms, poll_latency_ms,
        rate_5xx, rate_html_502, rate_drop, rate_drop_after, rate_malformed,
        methods); script entries are appended (clear_script=True empties
        it). faults() with no argument turns every random fault off."""
        return self._ctl("faults", kw)["faults"]

    def chat(self, chat_id, **kw):
        """Chat state: blocked, deactivated, kicked, not_found (booleans),
        migrate_to (new id), admins (user ids), info (Chat object), clear."""
        return self._ctl("chat", dict(kw, chat_id=chat_id))["chat"]

    def messages(self, chat_id):
        """Current state of the bot's messages in a chat (edits applied):
        message_id, kind, text (plain, as users see it), raw_text (as sent),
        parse_mode, entities, reply_markup, edits, deleted, ..."""
        return self._ctl("messages", query={"chat_id": chat_id})["messages"]

    def commands(self):
        return self._ctl("commands")["commands"]

    def callbacks(self):
        """callback_query id -> {answered, text, show_alert, ...}."""
        return self._ctl("callbacks")["callbacks"]

    def updates_log(self):
        return self._ctl("updates_log")["updates"]

    def next_update_id(self, n):
        return self._ctl("next_update_id", {"id": n})

    def reset(self):
        self._sent = []
        r = self._ctl("reset", {})
        self._sync_sent()
        return r
