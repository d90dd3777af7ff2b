// Echo-throughput benchmark orchestrator.
//
// Usage: node bench.js emu|fake N SERVER_PID -- BOT_CMD ARGS...
//   placeholders in BOT args: {ROOT} = http://127.0.0.1:PORT (API root), {TOKEN} = per-run token
//   env PORT (default 9000 for emu, 9100 for fake), CHATS (default 50), TIMEOUT_S (default 180)
//
// emu : N user messages are enqueued through the telegram-test-api *client* API (POST /sendMessage),
//       then the bot is spawned; progress read from the compat shim's GET /_stats?token=.
// fake: POST /_reset?n=N on fastfake, then the bot is spawned; progress from GET /_stats.
// Reports: wall time spawn->last reply, steady-state replies/s (first->last reply),
//          bot CPU seconds, bot RSS (peak and at end, KiB = same unit as `ps -o rss`),
//          server CPU% during the run (to spot a server bottleneck).
const http = require('http');
const fs = require('fs');
const { spawn } = require('child_process');

const [target, nStr, serverPid, dashdash, ...cmd] = process.argv.slice(2);
if (dashdash !== '--' || !cmd.length) { console.error('usage: node bench.js emu|fake N SERVER_PID -- cmd...'); process.exit(2); }
const N = Number(nStr);
const PORT = Number(process.env.PORT || (target === 'emu' ? 9000 : 9100));
const CHATS = Number(process.env.CHATS || 50);
const TIMEOUT_S = Number(process.env.TIMEOUT_S || 180);
const ROOT = `http://127.0.0.1:${PORT}`;
const TOKEN = `${100000 + Math.floor(Math.random() * 899999)}:BENCH${Date.now()}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const HZ = 100;

function req(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : '';
    const r = http.request({ agent, host: '127.0.0.1', port: PORT, path, method,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(c).toString())); } catch (e) { resolve(null); }
      });
    });
    r.on('error', reject); r.end(data);
  });
}
const cpuTicks = (pid) => { try { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); } catch (e) { return null; } };
const statusKb = (pid, key) => { try { return Number(new RegExp(key + ':\\s+(\\d+)').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]); } catch (e) { return null; } };
const rssKb = (pid) => statusKb(pid, 'VmRSS');
// Private memory: anonymous pages (heap, stacks), not the shared libraries' file pages.
const anonKb = (pid) => statusKb(pid, 'RssAnon');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  let enqueueS = null;
  if (target === 'emu') {
    const t0 = Date.now();
    let i = 0;
    const worker = async () => {
      while (i < N) {
        const k = i++;
        const uid = 1000 + (k % CHATS);
        await req('POST', '/sendMessage', { botToken: TOKEN, date: Math.floor(Date.now() / 1000),
          from: { id: uid, is_bot: false, first_name: `U${uid}` }, chat: { id: uid, type: 'private', first_name: `U${uid}` }, text: `m${k + 1}` });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    enqueueS = (Date.now() - t0) / 1000;
  } else {
    await req('POST', `/_reset?n=${N}&chats=${CHATS}`);
  }
  const stats = async () => {
    if (target === 'emu') {
      const s = await req('GET', `/_stats?token=${encodeURIComponent(TOKEN)}`);
      return { replies: s.bot_messages, first: s.first_bot_ms, last: s.last_bot_ms };
    }
    const s = await req('GET', '/_stats');
    return { replies: s.replies, ok: s.ok_replies, first: s.first_reply_ms, last: s.last_reply_ms };
  };
  const args = cmd.map((a) => a.replaceAll('{ROOT}', ROOT).replaceAll('{TOKEN}', TOKEN));
  const srvCpu0 = cpuTicks(serverPid);
  const tSpawn = Date.now();
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = ''; child.stderr.on('data', (d) => { stderr += d; });
  let peak = 0; let peakAnon = 0; let s; let timedOut = false;
  for (;;) {
    await sleep(25);
    const r = rssKb(child.pid); if (r > peak) peak = r;
    const a = anonKb(child.pid); if (a > peakAnon) peakAnon = a;
    s = await stats();
    if (s.replies >= N) break;
    if (child.exitCode !== null) break;
    if (Date.now() - tSpawn > TIMEOUT_S * 1000) { timedOut = true; break; }
  }
  const wall = (Date.now() - tSpawn) / 1000;
  const srvCpu1 = cpuTicks(serverPid);
  await sleep(300); // let the bot settle into idle long-polling
  const rssEnd = rssKb(child.pid); const botCpu = cpuTicks(child.pid);
  const out = {
    target, n: N, chats: CHATS, bot: cmd.join(' '),
    replies: s.replies, ok_replies: s.ok, timed_out: timedOut, bot_exit: child.exitCode,
    enqueue_s: enqueueS, wall_spawn_to_last_reply_s: +wall.toFixed(3),
    steady_replies_per_s: s.first && s.last > s.first ? Math.round((s.replies - 1) / ((s.last - s.first) / 1000)) : null,
    bot_cpu_s: botCpu === null ? null : botCpu / HZ, bot_rss_peak_kb: peak, bot_anon_peak_kb: peakAnon, bot_rss_end_kb: rssEnd,
    server_cpu_pct_during_run: srvCpu0 === null ? null : Math.round(((srvCpu1 - srvCpu0) / HZ) / wall * 100),
    server_rss_kb: rssKb(serverPid),
  };
  child.kill('SIGTERM');
  await sleep(500);
  if (child.exitCode === null) child.kill('SIGKILL');
  if (stderr.trim()) out.bot_stderr_tail = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  console.log(JSON.stringify(out));
  agent.destroy();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
