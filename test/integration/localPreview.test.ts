// The two-command promise: on a fresh clone, `npm install` then `npm start -- --demo`
// shows the digest in a browser with no database server, no Slack and no credentials.
// Runs the real entry point as a child process on an embedded PGlite folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');

interface LogLine {
  message: string;
  [key: string]: unknown;
}

interface Preview {
  child: ChildProcess;
  url: string;
  logs: LogLine[];
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let folder: string;
const started: Preview[] = [];

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'local-preview-'));
});

afterAll(async () => {
  // Only if a test failed half-way: end the preview processes this file started (each in its own group).
  for (const preview of started) {
    if (preview.child.exitCode === null && preview.child.signalCode === null && preview.child.pid) {
      try {
        process.kill(-preview.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await preview.exited;
    }
  }
  if (folder) await rm(folder, { recursive: true, force: true });
});

function previewEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      name === 'DATABASE_URL' ||
      name.startsWith('SLACK_') ||
      name === 'EVENTS_API_TOKEN' ||
      name === 'DEMO_DATA' ||
      name === 'BOOTSTRAP_CCO_SLACK_IDS'
    )
      delete env[name];
  }
  return { ...env, PORT: '0', HOST: '127.0.0.1', PGLITE_DIR: folder };
}

/** `npm start -- --demo` (node --import tsx src/main.ts --demo); resolves once the bot logs that it is listening. */
function startPreview(): Promise<Preview> {
  // Its own process group, so Ctrl-C can be sent as a terminal sends it, and a leftover cleaned up.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--demo'], {
    cwd: projectRoot,
    env: previewEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: LogLine[] = [];
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  return new Promise((resolve, reject) => {
    const preview: Preview = { child, url: '', logs, output, exited };
    started.push(preview);
    const timer = setTimeout(() => reject(new Error(`the preview did not start within 180 s\n${output()}`)), 180_000);
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        let parsed: LogLine;
        try {
          parsed = JSON.parse(line) as LogLine;
        } catch {
          continue;
        }
        logs.push(parsed);
        if (parsed.message === 'customer-growth bot listening') {
          clearTimeout(timer);
          resolve({ ...preview, url: new URL(String(parsed.preview)).origin });
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the preview exited (code ${code}, signal ${signal}) before listening\n${output()}`));
    });
  });
}

/** Resolves with how the process ended, or fails if it is still running after `ms`. */
async function exitWithin(preview: Preview, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`the preview was still running ${ms / 1000} s after being asked to stop\n${preview.output()}`),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([preview.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The "Customers won" field of the whole-company totals: count and value, as shown. */
function customersWon(html: string): string {
  const match = /Customers won<\/strong><br><strong>([^<]+)<\/strong>([^<]*)/.exec(html);
  expect(match, 'the preview shows a "Customers won" figure').not.toBeNull();
  return `${match![1]}${match![2]}`.trim();
}

/** The page as a reader sees it: tags removed, spaces folded. */
function pageText(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

/** The demo's whole story: calls with the customers' words, and last week's fix with its reporters thanked. */
function expectWholeStory(html: string): void {
  const text = pageText(html);
  expect(text).toMatch(/Why customers left · 5 lost customers reached by phone this week/);
  expect(text).toContain('In their words: “The renewal quote went up 18%');
  expect(text).toMatch(/What we fixed · 1 issue resolved · 2 reporters told/);
  expect(text).toContain('We rebuilt the password reset page');
  // Slack's shortcodes are drawn as the emoji Slack shows.
  expect(text).toContain('🔀 3 sources');
  expect(text).not.toContain(':twisted_rightwards_arrows:');
}

/** The demo's priorities, one under way and one just started, and its lapsed, tier and projected lines. */
function expectPrioritiesAndLife(html: string): void {
  const text = pageText(html);
  const at = text.indexOf('Priorities · complaints a week against the baseline');
  expect(at, 'the preview has a "Priorities" section').toBeGreaterThanOrEqual(0);
  const priorities = text.slice(at, at + 1500);
  expect(priorities).toMatch(/#1 No renewal price rise without a conversation .* 3 of 4 weeks below/);
  expect(priorities).toMatch(
    /#2 Answer every call the first time .* started \d{4}-\d{2}-\d{2} · complaints a week: \d+ /,
  );
  expect(text).toMatch(/Lapsed : 1 customer went longer than their segment.{1,6}s window/);
  expect(text).toContain('Value tiers : 1 moved up a tier · 1 moved down a tier');
  expect(text).toMatch(/projected \$[\d,]+ for 2 of them/);
}

/** The text of the digest's "Early warning" section, tags removed. */
function earlyWarning(html: string): string {
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const at = text.indexOf('Early warning');
  expect(at, 'the preview has an "Early warning" section').toBeGreaterThanOrEqual(0);
  return text.slice(at, at + 2000);
}

describe('npm start -- --demo (local preview on embedded PGlite)', () => {
  let firstWon: string;
  let firstDemoEvents: number;

  it('serves the digest and a health check, and stops cleanly on SIGTERM', async () => {
    const preview = await startPreview();
    expect(preview.logs.find((line) => line.message === 'database ready')).toMatchObject({ kind: 'pglite', folder });
    const demo = preview.logs.find((line) => line.message === 'demo data loaded');
    expect(demo).toBeDefined();
    firstDemoEvents = Number(demo!.newEvents);
    expect(firstDemoEvents).toBeGreaterThan(0);
    expect(demo!.alreadyThere).toBe(0);

    const page = await fetch(`${preview.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Did we earn the right to customer growth?');
    for (const segment of ['Enterprise', 'Mid-market', 'Small business', 'Public sector'])
      expect(html).toContain(segment);
    expect(html).toContain('Local preview: no Slack workspace is connected.');
    firstWon = customersWon(html);
    // Two of the demo's new customers came with what they are expected to be worth.
    expect(firstWon).toMatch(/^\d+ · \$[\d,]+ · projected \$[\d,]+ for 2 of them$/);
    expect(firstWon).not.toMatch(/^0\b/);
    // The chart travels inside the page, which loads nothing from anywhere else.
    expect(html).toMatch(
      /<img src="data:image\/png;base64,[A-Za-z0-9+/=]{1000,}" alt="Customers won and lost, last 13 weeks\./,
    );
    expect(html).toContain('img-src data:');
    // The header's policy is enforced beside the page's own: without img-src there, browsers draw no chart.
    expect(page.headers.get('content-security-policy')).toContain('img-src data:');
    // The demo's moments and readings: deliveries broke their standard last week, and complaints at "Use" spiked.
    expect(demo!.newWarnings).toBeGreaterThan(0);
    const early = earlyWarning(html);
    expect(early).toMatch(
      /Below standard: Order delivered on time \(Use\), 88\.4% against 95%, for \d+ days? \(since \d{4}-\d{2}-\d{2}\)/,
    );
    expect(early).not.toContain('Call answered quickly');
    expect(early).toMatch(/Complaint spike: Use, \d+ complaints when it fired, usually [\d.]+ a week/);
    expect(demo).toMatchObject({ newCalls: 6, newFixes: 1, newPriorities: 2 });
    expectWholeStory(html);
    expectPrioritiesAndLife(html);

    const health = await fetch(`${preview.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // As a container platform stops it: SIGTERM to the main process only.
    preview.child.kill('SIGTERM');
    const ended = await exitWithin(preview, 60_000);
    expect(ended, preview.output()).toEqual({ code: 0, signal: null });
    expect(preview.logs.some((line) => line.message === 'stopping' && line.signal === 'SIGTERM')).toBe(true);
  }, 300_000);

  it('starts again on the same folder without loading the demo twice, and stops on Ctrl-C', async () => {
    expect(firstWon, 'the first start must have succeeded').toBeDefined();
    const preview = await startPreview();
    const demo = preview.logs.find((line) => line.message === 'demo data loaded');
    expect(demo).toMatchObject({ newEvents: 0, alreadyThere: firstDemoEvents });

    const page = await fetch(`${preview.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Did we earn the right to customer growth?');
    expect(customersWon(html)).toBe(firstWon);
    // The demo's warnings were raised once: the same section, nothing raised again.
    expect(demo).toMatchObject({
      newReadings: 0,
      newWarnings: 0,
      newFeedback: 0,
      newCalls: 0,
      newFixes: 0,
      newPriorities: 0,
    });
    expectWholeStory(html);
    expectPrioritiesAndLife(html);
    expect(earlyWarning(html)).toContain('Below standard: Order delivered on time (Use)');

    // Ctrl-C in a terminal sends SIGINT to the whole foreground group.
    process.kill(-preview.child.pid!, 'SIGINT');
    const ended = await exitWithin(preview, 60_000);
    expect(ended, preview.output()).toEqual({ code: 0, signal: null });
  }, 300_000);
});
