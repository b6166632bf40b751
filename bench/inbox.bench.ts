/**
 * Renderer benchmark: a generated archive of 10,000 conversations and 250,000 messages,
 * served by `inlet serve` against the Instagram emulator, measured in headless Chromium:
 * cold start to an interactive inbox, event-to-screen (signed webhook POST until the bubble is on
 * screen), search round trip, scroll frame times and JS heap. Writes the "inbox" key of
 * bench-results.json (read, merge, write: other suites keep theirs).
 *
 * Run by `npm run bench` (or `npx tsx bench/inbox.bench.ts`); needs `npm run build:app` first.
 * BENCH_CONVERSATIONS / BENCH_MESSAGES shrink it for a quick look.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from 'playwright-core';
import {
  BENCH_APP,
  launchBenchChromium,
  startBenchWorld,
  serveArgs,
  startInlet,
  type RunningInlet,
} from './inlet-process';

const REPO = resolve(import.meta.dirname, '..');
const RESULTS = join(REPO, 'bench-results.json');
const CONVERSATIONS = Number(process.env['BENCH_CONVERSATIONS'] ?? 10_000);
const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 250_000);
const EVENTS = 30;
const SEARCHES = 30;
const SCROLL_FRAMES = 240;
const COLD_STARTS = 3;
const WORDS = [
  'linen',
  'shirt',
  'size',
  'shipping',
  'Lisbon',
  'order',
  'refund',
  'blue',
  'ceramic',
  'vase',
  'price',
  'discount',
  'available',
  'tomorrow',
  'handmade',
  'gift',
  'wrap',
  'invoice',
  'color',
  'pickup',
  'studio',
  'thanks',
  'delivery',
  'tracking',
  'wholesale',
  'custom',
  'sample',
  'stock',
];

/** Fills the archive directly, in one transaction: the FTS triggers index every message. */
function generateArchive(file: string, accountId: string, now: number): void {
  const db = new DatabaseSync(file);
  const perConversation = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
  const conversation = db.prepare(
    `INSERT INTO conversations (id, account_id, customer_id, customer_username, customer_name,
       last_message_at, last_message_preview, last_inbound_at, unread_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const message = db.prepare(
    `INSERT INTO messages (id, mid, conversation_id, direction, text, original_text, at, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'hello';
  db.exec('BEGIN');
  for (let c = 0; c < CONVERSATIONS; c += 1) {
    const customerId = String(9_000_000_000 + c);
    const id = `${accountId}:${customerId}`;
    const lastAt = now - c * 60_000;
    const texts = Array.from(
      { length: perConversation },
      (_, m) => `${word()} ${word()} ${word()} ${word()} #${c}-${m}`,
    );
    conversation.run(
      id,
      accountId,
      customerId,
      `customer.${c}`,
      `Customer ${c}`,
      lastAt,
      texts.at(-1) ?? '',
      lastAt,
      c % 7 === 0 ? 2 : 0,
    );
    texts.forEach((text, m) => {
      const at = lastAt - (perConversation - 1 - m) * 90_000;
      const direction = m % 3 === 2 ? 'out' : 'in';
      message.run(
        `bench-${c}-${m}`,
        `mid-bench-${c}-${m}`,
        id,
        direction,
        text,
        text,
        at,
        direction === 'in' ? 'received' : 'sent',
      );
    });
  }
  db.exec('COMMIT');
  db.close();
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const round = (value: number): number => Math.round(value * 10) / 10;

async function coldStart(page: Page, uiUrl: string): Promise<number> {
  const started = Date.now();
  await page.goto(uiUrl);
  await page.locator('[data-testid="conversation"]').first().waitFor();
  // Interactive: the main thread answers within a frame once the list is on screen.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))');
  return Date.now() - started;
}

/**
 * Search round trips over a WebSocket of the page's own origin, one query at a time, limit 50.
 * The page has taken its token out of the address bar, so the token comes from the UI URL.
 */
async function measureSearch(
  page: Page,
  uiUrl: string,
  queries: string[],
): Promise<{ times: number[]; hits: number }> {
  const token = new URL(uiUrl).searchParams.get('token');
  return page.evaluate<{ times: number[]; hits: number }>(
    `(async (queries, token) => {
      const socket = new WebSocket(\`ws://\${location.host}/ipc?token=\${token}\`);
      await new Promise((open, fail) => { socket.onopen = open; socket.onerror = fail; });
      const times = []; let hits = 0;
      for (const [id, query] of queries.entries()) {
        const started = performance.now();
        const answer = await new Promise((done) => {
          socket.onmessage = (event) => {
            const frame = JSON.parse(event.data);
            if (frame.type === 'result' && frame.id === id) done(frame.result);
          };
          socket.send(JSON.stringify({ type: 'invoke', id, channel: 'search:messages',
            input: { query, limit: 50 } }));
        });
        times.push(performance.now() - started);
        if (!answer.ok) throw new Error(answer.message);
        hits += answer.value.hits.length;
      }
      socket.close();
      return { times, hits };
    })(${JSON.stringify(queries)}, ${JSON.stringify(token)})`,
  );
}

async function main(): Promise<void> {
  const loadAtStart = loadavg().map(round);
  if (!existsSync(join(REPO, 'out/renderer/index.html'))) {
    throw new Error('The UI is not built: run `npm run build:app` first.');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'inlet-bench-'));
  const { emulator, client, account, env } = await startBenchWorld();
  const accountId = account.igUserId;
  const args = serveArgs(dataDir);
  const browser = await launchBenchChromium();
  let inlet: RunningInlet | null = null;
  try {
    // First start creates the archive and its schema; then it is filled while Inlet is down.
    await (await startInlet(args, env)).stop();
    const generateStarted = Date.now();
    generateArchive(join(dataDir, 'archive.sqlite'), accountId, Date.now());
    const generateMs = Date.now() - generateStarted;
    const serveStarted = Date.now();
    inlet = await startInlet(args, env);
    const serveReadyMs = Date.now() - serveStarted;
    const uiUrl = String(inlet.ready['uiUrl']);
    await client.registerWebhook({
      callbackUrl: String(inlet.ready['webhookUrl']),
      verifyToken: BENCH_APP.verifyToken,
    });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const coldStarts: number[] = [];
    for (let run = 0; run < COLD_STARTS; run += 1) coldStarts.push(await coldStart(page, uiUrl));

    // Event to screen: a customer's DM goes out of the emulator as a signed webhook POST; the
    // clock stops at the first animation frame in which the bubble is in the open thread.
    const { igsid } = await client.createCustomer({ accountId, username: 'bench.customer' });
    await client.customerSends(igsid, { text: 'first message' });
    await page.locator('[data-testid="conversation"]', { hasText: 'bench.customer' }).click();
    await page.locator('[data-testid="message"]', { hasText: 'first message' }).waitFor();
    const eventToScreen: number[] = [];
    for (let index = 0; index < EVENTS; index += 1) {
      const text = `event ${index} ${Math.random().toString(36).slice(2)}`;
      const seen = page.waitForFunction(
        (wanted: string) => {
          // Runs in the page; this file is type-checked without the DOM library.
          const { document } = globalThis as unknown as {
            document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string }> };
          };
          const nodes = Array.from(document.querySelectorAll('[data-testid="message"]'));
          return nodes.some((node) => node.textContent.includes(wanted))
            ? performance.timeOrigin + performance.now()
            : false;
        },
        text,
        { polling: 'raf', timeout: 10_000 },
      );
      const sentAt = performance.timeOrigin + performance.now();
      await client.customerSends(igsid, { text });
      eventToScreen.push(Number(await (await seen).jsonValue()) - sentAt);
    }

    // Search: the renderer's own round trip (WebSocket to the core's FTS5 query and back),
    // without the dialog's typing debounce. The generated text has 28 words, so each of these
    // prefixes matches tens of thousands of messages: the worst case. Real archives mostly get
    // rarer words; an order reference ("1234-7", as "#c-m" in every generated text) stands in for
    // them: a phrase that matches a handful of messages.
    const common = await measureSearch(
      page,
      uiUrl,
      Array.from({ length: SEARCHES }, (_, index) =>
        (WORDS[index % WORDS.length] ?? 'linen').slice(0, 3 + (index % 4)),
      ),
    );
    const perConversation = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
    const rare = await measureSearch(
      page,
      uiUrl,
      Array.from(
        { length: SEARCHES },
        (_, index) => `${(index * 7919) % CONVERSATIONS}-${(index * 31) % perConversation}`,
      ),
    );

    // Scroll the virtualized conversation list a frame at a time, recording each frame's length.
    const frames = await page.evaluate<number[]>(
      `new Promise((done) => {
        const list = document.querySelector('.conversation-list__scroller');
        const times = []; let last = performance.now(); let count = 0;
        const step = (now) => {
          times.push(now - last); last = now;
          list.scrollTop += 240;
          if (++count < ${SCROLL_FRAMES}) requestAnimationFrame(step); else done(times.slice(1));
        };
        requestAnimationFrame(step);
      })`,
    );

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

    const figures = {
      conversations: CONVERSATIONS,
      messages: Math.max(1, Math.floor(MESSAGES / CONVERSATIONS)) * CONVERSATIONS,
      generateArchiveMs: generateMs,
      serveReadyMs,
      coldStartToInteractiveMs: {
        runs: coldStarts,
        median: percentile(coldStarts, 50),
        target: 1500,
      },
      eventToScreenMs: {
        p50: round(percentile(eventToScreen, 50)),
        p95: round(percentile(eventToScreen, 95)),
        max: round(Math.max(...eventToScreen)),
        samples: eventToScreen.length,
        target: { p95: 100 },
      },
      searchMs: {
        p50: round(percentile(common.times, 50)),
        p95: round(percentile(common.times, 95)),
        samples: common.times.length,
        hits: common.hits,
        target: { p95: 30 },
      },
      searchRareWordMs: {
        p50: round(percentile(rare.times, 50)),
        p95: round(percentile(rare.times, 95)),
        samples: rare.times.length,
        hits: rare.hits,
      },
      scrollFrameMs: {
        p50: round(percentile(frames, 50)),
        p95: round(percentile(frames, 95)),
        max: round(Math.max(...frames)),
        frames: frames.length,
        target: { max: 50 },
      },
      jsHeapMb: { used: round(heap.usedSize / 1024 / 1024), target: 150 },
      chromium: browser.version(),
      // Every figure is wall-clock time on a machine that may be shared: say how busy it was.
      cpus: availableParallelism(),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(round) },
      measuredAt: new Date().toISOString(),
    };
    const existing = existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(RESULTS, `${JSON.stringify({ ...existing, inbox: figures }, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ inbox: figures }, null, 2)}\n`);
  } finally {
    await browser.close();
    await inlet?.stop();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
