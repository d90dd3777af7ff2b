#!/usr/bin/env python3
"""The running half of `make compose-check` (tests/tools/compose-check.sh
sets up podman and the base image first; run it, not this).

config/compose.yaml as it is, plus an override file made here that gives
the bot a configuration for the fake Bot API and builds its image without
the tests (make docker-check runs them), goes up with podman-compose: both
images built, the bot and nginx on the project's bridge network, sharing
the site volume. The fake Bot API (build/fakeapi) then starts in the bot
container's network namespace (nsenter), at 127.0.0.1 as the bot's
configuration demands of plain http; this script drives it from the host
at the container's address. (The bot cannot simply use the host's network:
podman-compose 1.0.3 adds the project network to network_mode: host, which
podman refuses.) Then, as a user would: an organiser announces an
action through the bot's wizard, a citizen pledges time, the organiser
marks it received, the citizen asks for a document. Through nginx, with
curl: the home page (lang="ru", the action), the action's page, the
document's verify page at the address in its caption (with and without the
slash), an unknown code (404, «Документ не найден»), a temporary file
(404), the security headers; the web server runs as www-data. Then
`down -v`: containers and volumes gone. Exit status 0 when all passed."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from lib.daemon import TOKEN, wait_until  # noqa: E402
from lib.fakeapi import FakeApi  # noqa: E402

PROJECT = "dobrobotcheck"
FAKE_PORT = 18081  # in the bot container's own network namespace
COMPOSE = os.path.join(REPO, "config", "compose.yaml")
ORGANISER, CITIZEN = 1, 701
TITLE = "Тёплые вещи для приюта «Надежда»"
FAILED = []


def check(ok, what):
    print("  %s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        FAILED.append(what)
    return ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def curl(url, follow=False):
    """(status, headers lower-cased, body) of a GET through curl; follow:
    the last response after the redirects, as a browser shows it."""
    r = subprocess.run(["curl", "-sS", "--max-time", "10", "-D", "-", url] +
                       (["-L"] if follow else []),
                       capture_output=True, timeout=30)
    if r.returncode:
        return 0, {}, r.stderr.decode(errors="replace")
    out = r.stdout
    while True:
        head, _, body = out.partition(b"\r\n\r\n")
        if not (follow and head.split(b" ", 2)[1:2] in ([b"301"], [b"302"])):
            break
        out = body
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body.decode("utf-8", errors="replace")


class Chat:
    """The bot's messages to one person, through the fake Bot API."""

    def __init__(self, fake):
        self.fake = fake

    def replies(self, chat_id, method="sendMessage"):
        return [s for s in self.fake.sent(method=method)
                if s["params"].get("chat_id") == chat_id and s["status"] == 200]

    def say(self, user, *texts):
        n = len(self.replies(user))
        self.fake.queue([self.fake.message(user, t) for t in texts])
        return n

    def press(self, user, data, reply):
        n = len(self.replies(user))
        self.fake.press(user, data, reply["response"]["result"]["message_id"])
        return n

    def wait(self, user, needle, since, timeout=60):
        def find():
            for r in self.replies(user)[since:]:
                t = r["params"]["text"]
                if needle(r) if callable(needle) else needle in t:
                    return r
            return None
        try:
            return wait_until(find, timeout, interval=0.2,
                              what="a reply with %r" % needle)
        except AssertionError:
            raise AssertionError("no reply with %r to %d; got:\n%s" % (
                needle, user, "\n---\n".join(
                    r["params"]["text"] for r in self.replies(user)[since:])))


def scenario(chat):
    """The wizard to publication, a pledge of time received, a document
    asked for; returns (action id, the verify address in its caption)."""
    n = chat.say(ORGANISER, "/announce", TITLE,
                 "Собираем тёплые вещи для приюта.", "социальное",
                 "30.11.2030 15:00", "ул. Ленина, 12", "50 000",
                 "тёплые одеяла — 20 шт", "10")
    preview = chat.wait(ORGANISER, lambda r: "an:pub" in json.dumps(
        r["params"].get("reply_markup")), n, timeout=120)
    n = chat.press(ORGANISER, "an:pub", preview)
    done = chat.wait(ORGANISER, "Опубликовано", n)
    aid = int(re.search(r"Акция №(\d+)", done["params"]["text"]).group(1))
    print("  the bot published action %d" % aid)
    n = chat.say(CITIZEN, "/pledge %d время" % aid)
    r = chat.wait(CITIZEN, "Спасибо, записал", n)
    pid = int(re.search(r"Обещание №(\d+)", r["params"]["text"]).group(1))
    n = chat.say(ORGANISER, "/received %d 4" % pid)
    chat.wait(ORGANISER, "№%d отмечено полученным" % pid, n)
    n = chat.say(CITIZEN, "/my")
    my = chat.wait(CITIZEN, "Ваши добрые дела", n)
    n = chat.press(CITIZEN, "dc:r", my)
    ask = chat.wait(CITIZEN, "Как написать ваше имя", n)
    n = chat.press(CITIZEN, "dc:n", ask)
    chat.wait(CITIZEN, "Готовлю справку №", n)
    doc = wait_until(lambda: chat.replies(CITIZEN, "sendDocument"), 60,
                     interval=0.2, what="the document")[0]
    url = re.search(r"https?://\S+/verify/[a-z2-9]+",
                    doc["params"]["caption"]).group(0)
    print("  the document's caption names %s" % url)
    return aid, url


def start_fake_in(pid, ip):
    """build/fakeapi in the network namespace of process pid (the bot's),
    listening there on FAKE_PORT; the returned client reaches it at ip."""
    proc = subprocess.Popen(
        ["nsenter", "--net=/proc/%s/ns/net" % pid,
         os.path.join(REPO, "build", "fakeapi"), "--port", str(FAKE_PORT),
         "--token", TOKEN, "--listen", "0.0.0.0"],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
    line = proc.stdout.readline().decode()
    proc.stdout.close()
    if line.split() != ["PORT", str(FAKE_PORT)]:
        proc.kill()
        raise RuntimeError("fakeapi in the bot's namespace: %r" % line)
    fake = FakeApi(proc, FAKE_PORT, TOKEN)
    fake.base_url = "http://%s:%d" % (ip, FAKE_PORT)
    fake.api_url = "%s/bot%s" % (fake.base_url, TOKEN)
    print("  the fake Bot API listens at 127.0.0.1:%d in the bot's network"
          " namespace (%s from here)" % (FAKE_PORT, fake.base_url))
    return fake


def main():
    tmp = tempfile.mkdtemp(prefix="dobrobot-compose-")
    os.chmod(tmp, 0o755)
    port = free_port()
    site_url = "http://127.0.0.1:%d" % port
    fake = None
    with open(os.path.join(REPO, "config", "dobrobot.example.json")) as f:
        cfg = json.load(f)
    cfg.update({"api_base": "http://127.0.0.1:%d" % FAKE_PORT,
                "db_path": "/data/dobrobot.db", "poll_timeout_s": 5,
                "admins": [ORGANISER],
                "site": {"dir": "/site", "base_url": site_url}})
    cfg["limits"].update({"global_per_s": 1000, "chat_per_s": 100,
                          "chat_burst": 100, "group_per_min": 1000})
    config = os.path.join(tmp, "dobrobot.json")
    with open(config, "w") as f:
        json.dump(cfg, f, ensure_ascii=False, indent=1)
    os.chmod(config, 0o644)
    token_env = os.path.join(tmp, "token.env")
    with open(os.open(token_env, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("DOBROBOT_TOKEN=%s\n" % TOKEN)
    # JSON is YAML. The volume replaces compose.yaml's ./dobrobot.json (same
    # target); the build argument skips the tests in the image's build.
    override = os.path.join(tmp, "override.yaml")
    with open(override, "w") as f:
        json.dump({"services": {"bot": {
            "build": {"args": {"RUN_TESTS": "0"}},
            "volumes": [config + ":/etc/dobrobot/dobrobot.json:ro"]}}}, f)
    env = dict(os.environ, DOBROBOT_ENV_FILE=token_env,
               DOBROBOT_WEB_PORT=str(port), BUILDAH_FORMAT="docker")
    compose = ["podman-compose", "-p", PROJECT,
               # RUN steps in a chroot with the host's network (apt): no OCI
               # runtime, cgroups or registry needed to build.
               "--podman-build-args=--isolation=chroot --network=host"
               " --pull=never", "-f", COMPOSE, "-f", override]
    bot, web = PROJECT + "_bot_1", PROJECT + "_web_1"

    def podman(*args):
        return subprocess.run(["podman", *args], capture_output=True,
                              text=True, timeout=120)

    try:
        t = time.time()
        r = subprocess.run(compose + ["up", "-d", "--build"], env=env,
                           timeout=1200)
        print("\n=== up took %.0f s" % (time.time() - t))
        running = podman("ps", "--format", "{{.Names}}").stdout.split()
        check(r.returncode == 0 and bot in running and web in running,
              "podman-compose up: %s and %s running (exit %d)" % (
                  bot, web, r.returncode))
        user = podman("exec", web, "id", "-un").stdout.strip()
        check(user == "www-data", "nginx runs as www-data (%r)" % user)
        fake = start_fake_in(podman("inspect", "-f", "{{.State.Pid}}",
                                    bot).stdout.strip(),
                             podman("inspect", "-f", "{{range .NetworkSettings"
                                    ".Networks}}{{.IPAddress}}{{end}}",
                                    bot).stdout.strip())
        user = podman("exec", bot, "id", "-un").stdout.strip()
        check(user == "dobrobot", "the bot runs as dobrobot (%r)" % user)
        print("=== the scenario through the fake Bot API")
        aid, verify = scenario(Chat(fake))

        print("=== the site through nginx at %s" % site_url)
        home = wait_until(
            lambda: (lambda s: s if s[0] == 200 and TITLE in s[2] else None)(
                curl(site_url + "/")), 60, interval=0.5,
            what="the home page with the action")
        check('lang="ru"' in home[2], 'GET / 200, lang="ru"')
        check(TITLE in home[2], "GET / shows the action's title")
        check(home[1].get("content-type") == "text/html; charset=utf-8",
              "GET / Content-Type %r" % home[1].get("content-type"))
        check("default-src 'none'" in home[1].get(
            "content-security-policy", "") and
            home[1].get("x-content-type-options") == "nosniff",
            "GET / Content-Security-Policy and nosniff")
        s, h, body = curl("%s/actions/%d.html" % (site_url, aid))
        check(s == 200 and TITLE in body and 'lang="ru"' in body,
              "GET /actions/%d.html 200, the title (%d)" % (aid, s))
        code_path = verify[len(site_url):]
        page = wait_until(lambda: (lambda s: s if s[0] == 200 else None)(
            curl(verify + "/")), 60, interval=0.5, what="the verify page")
        check("Документ действителен" in page[2],
              "GET %s/ 200, «Документ действителен»" % code_path)
        check("default-src 'none'" in page[1].get(
            "content-security-policy", ""),
            "the verify page has the security headers")
        s, h, body = curl(verify)
        check(s == 301 and h.get("location") == code_path + "/",
              "GET %s (the QR code's address) %d, Location %r" % (
                  code_path, s, h.get("location")))
        s, h, body = curl(verify, follow=True)
        check(s == 200 and "Документ действителен" in body,
              "GET %s followed: 200, «Документ действителен» (%d)" % (
                  code_path, s))
        s, h, body = curl(site_url + "/verify/zzzzzzzzzzzz")
        check(s == 404 and "Документ не найден" in body,
              "GET /verify/zzzzzzzzzzzz 404, «Документ не найден» (%d)" % s)
        s, h, body = curl(site_url + "/.tmp-index.html")
        check(s == 404, "GET /.tmp-index.html 404 (%d)" % s)
        logs = podman("logs", web)
        check("GET /verify/" in logs.stdout + logs.stderr,
              "nginx's access log reaches `logs`")
    except Exception as e:  # the checks so far are printed; say what broke
        check(False, "%s: %s" % (type(e).__name__, e))
    finally:
        if os.environ.get("KEEP") == "1":
            print("KEEP=1: left up; down with: %s down -v" % " ".join(compose))
        else:
            subprocess.run(compose + ["down", "-v"], env=env, timeout=300,
                           capture_output=True)
            podman("network", "rm", "-f", PROJECT + "_default")
            left = podman("ps", "-a", "--format", "{{.Names}}").stdout.split()
            vols = podman("volume", "ls", "--format", "{{.Name}}").stdout.split()
            check(not [n for n in left + vols if n.startswith(PROJECT)],
                  "down -v: no container or volume left (%s)" % " ".join(
                      n for n in left + vols if n.startswith(PROJECT)))
        if fake:
            try:
                fake.stop()
            except Exception as e:
                check(False, "the fake Bot API stopped: %s" % e)
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILED:
        print("\n%d check(s) failed" % len(FAILED))
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
