// Opens one page in headless Chromium over the DevTools protocol (--remote-debugging-pipe, no npm
// package needed) and reports what a test needs to know about it:
//
//   node page_check.mjs --chromium /usr/bin/chromium --url file:///x.html --selector '#tl-selfcheck'
//        [--width 1400 --height 1000] [--screenshot out.png --shot-height 3600] [--timeout-ms 60000]
//
// It waits, in real time, until the element named by --selector has non-empty text (the page's own
// self-check writes it when its charts have drawn), then prints one line per finding:
//   check <text, newlines as \n>
//   console <level> <text>          every console message the page wrote
//   exception <text>                every uncaught exception
//   screenshot <path> <bytes>
// and exits 0. Chromium's --dump-dom with --virtual-time-budget raced requestAnimationFrame against
// virtual time and could dump the page before the check ran; polling over the protocol cannot.
// Exit 2 on a bad argument, 3 when the browser fails or the check does not appear in time (the
// reason on stderr).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function parseArgs(argv) {
  const a = { width: 1400, height: 1000, shotHeight: 0, timeoutMs: 60000 };
  const names = { '--chromium': 'chromium', '--url': 'url', '--selector': 'selector', '--width': 'width',
                  '--height': 'height', '--screenshot': 'screenshot', '--shot-height': 'shotHeight',
                  '--timeout-ms': 'timeoutMs' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) fail(2, `page_check: bad argument '${argv[i]}'`);
    a[key] = typeof a[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const k of ['chromium', 'url', 'selector'])
    if (!a[k]) fail(2, `page_check: --${k} is required`);
  return a;
}

function fail(code, message) {
  process.stderr.write(message + '\n');
  process.exit(code);
}

const args = parseArgs(process.argv.slice(2));
const profile = mkdtempSync(join(tmpdir(), 'tl-chromium-'));
const browser = spawn(args.chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--remote-debugging-pipe',
  `--user-data-dir=${profile}`, 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let browserLog = '';
// Keep the tail of the browser's own log for failure messages, without its D-Bus complaints.
browser.stderr.on('data', (d) => {
  const kept = String(d).split('\n').filter((l) => l && !l.includes('dbus/')).join('\n');
  if (kept) browserLog = (browserLog + kept + '\n').slice(-4000);
});

// Stops the browser and removes its profile. Best effort: Chromium's helper processes can still
// be writing into the profile for a moment after the main one is killed, so the removal retries
// and never turns a finished check into a failure.
function cleanup() {
  try { browser.kill('SIGKILL'); } catch (e) { /* already gone */ }
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (e) {
    process.stderr.write(`page_check: could not remove ${profile}: ${e.message}\n`);
  }
}
const exited = new Promise((resolve) => browser.on('exit', resolve));
const deadline = setTimeout(() => {
  cleanup();
  fail(3, `page_check: no result within ${args.timeoutMs} ms for ${args.url}\n${browserLog}`);
}, args.timeoutMs);
browser.on('exit', (code) => {
  if (!finished) { cleanup(); fail(3, `page_check: chromium exited (${code})\n${browserLog}`); }
});

// The pipe carries NUL-terminated JSON messages: commands on fd 3, replies and events on fd 4.
let nextId = 1;
const pending = new Map();
const listeners = [];
let finished = false;
let inbox = '';
browser.stdio[4].on('data', (chunk) => {
  inbox += chunk.toString('utf8');
  for (let end; (end = inbox.indexOf('\0')) >= 0;) {
    const msg = JSON.parse(inbox.slice(0, end));
    inbox = inbox.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject, method } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(`${method}: ${msg.error.message}`)); else resolve(msg.result);
    } else if (msg.method) {
      for (const l of listeners) l(msg);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId) msg.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(msg) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject, method }));
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const lines = [];
const oneLine = (s) => String(s).replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
listeners.push((m) => {
  if (m.method === 'Runtime.consoleAPICalled') {
    const text = m.params.args.map((x) => (x.value !== undefined ? x.value : x.description || x.type)).join(' ');
    lines.push(`console ${m.params.type} ${oneLine(text)}`);
  } else if (m.method === 'Runtime.exceptionThrown') {
    const d = m.params.exceptionDetails;
    lines.push(`exception ${oneLine((d.exception && d.exception.description) || d.text)}`);
  }
});

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const metrics = (height) => send('Emulation.setDeviceMetricsOverride',
    { width: args.width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  await send('Runtime.enable', {}, sessionId);
  await send('Page.enable', {}, sessionId);
  await metrics(args.height);
  const nav = await send('Page.navigate', { url: args.url }, sessionId);
  if (nav.errorText) throw new Error(`cannot open ${args.url}: ${nav.errorText}`);
  const probe = `(() => { const e = document.querySelector(${JSON.stringify(args.selector)});` +
                ` return e ? e.textContent : ''; })()`;
  let check = '';
  while (!check) {
    await sleep(50);
    const r = await send('Runtime.evaluate', { expression: probe, returnByValue: true }, sessionId);
    check = (r.result && r.result.value) || '';
  }
  lines.unshift(`check ${oneLine(check)}`);
  if (args.screenshot) {
    if (args.shotHeight) await metrics(args.shotHeight);
    // Two animation frames so the charts redraw at the new size before the capture.
    await send('Runtime.evaluate', {
      expression: 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))',
      awaitPromise: true }, sessionId);
    const shot = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
    const png = Buffer.from(shot.data, 'base64');
    writeFileSync(args.screenshot, png);
    lines.push(`screenshot ${args.screenshot} ${png.length}`);
  }
  finished = true;
  await send('Browser.close').catch(() => {});
  await Promise.race([exited, sleep(5000)]);  // let it write its profile out before removal
}

main().then(() => {
  clearTimeout(deadline);
  cleanup();
  process.stdout.write(lines.join('\n') + '\n');
  process.exit(0);
}, (e) => {
  clearTimeout(deadline);
  finished = true;
  cleanup();
  fail(3, `page_check: ${e.message}\n${browserLog}`);
});
