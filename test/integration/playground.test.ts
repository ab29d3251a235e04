// The playground, tried in a real browser as a visitor would: `npm start -- --demo` with
// nothing connected, then Chromium types commands, presses buttons, fills the form, and
// resolves an issue as the CCO. Every answer comes from the bot's own Slack handlers through
// the in-process stand-in for Slack, so a broken step anywhere on that path fails here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.js';
import { botEnv, run, waitForLog, type ChildRun } from '../support/botProcess.js';
import { waitFor } from '../support/slackRequests.js';

let folder: string;
let bot: ChildRun;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'playground-'));
  bot = run('src/main.ts', ['--demo'], botEnv({ PGLITE_DIR: folder }));
  const listening = await waitForLog(bot, (line) => line.message === 'customer-growth bot listening', 180_000);
  url = new URL(String(listening.preview)).origin;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // Nothing but the bot itself: a request anywhere else would be a leak.
  await page.route('**/*', (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (bot?.child.pid && bot.child.exitCode === null) {
    process.kill(-bot.child.pid, 'SIGTERM');
    await bot.exited;
  }
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The channel as the visitor reads it. */
const channel = () => page.getByRole('region', { name: 'Channel' });

async function say(line: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(line);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForLoadState('load');
}

/** Reloads until the text shows (the bot may still be sorting, or the outbox sending): a guard against a hang, not a speed check. */
async function untilShown(where: () => ReturnType<Page['locator']>, text: RegExp | string): Promise<void> {
  await waitFor(
    async () => {
      // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text as laid out, what a reader sees.
      const shown = await where().innerText();
      if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return true;
      await page.reload();
      return false;
    },
    { what: `"${String(text)}" on the playground`, intervalMs: 300 },
  );
}

describe('the playground, in Chromium', () => {
  let issueNumber: number;

  it('logs feedback typed as /feedback, shows where it was filed, and the form logs more', async () => {
    // The digest page offers the message box; what is typed there lands in the playground.
    await page.goto(`${url}/`);
    await page.getByLabel('Try the bot as').selectOption('staff');
    await say('/feedback the courier was late again and the delivery came a day after');
    expect(page.url()).toBe(`${url}/playground?as=staff`);
    expect(await page.getByRole('navigation', { name: 'Who you are' }).count()).toBe(1);
    await untilShown(channel, /Logged as feedback #\d+/);
    await untilShown(channel, /Filed under Use › Delivery, with issue #\d+/);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out.
    const text = await channel().innerText();
    issueNumber = Number(/Filed under Use › Delivery, with issue #(\d+)/.exec(text)![1]);
    expect(text).toContain('Only visible to you');

    await say('/feedback');
    const form = page.getByRole('region', { name: 'Form' });
    await expect(await form.getByRole('heading', { name: 'Customer feedback' }).count()).toBe(1);
    await form
      .getByLabel('What the customer said')
      .fill('My parcel was left in the rain again and the courier never rang');
    await form.getByLabel('Source').selectOption({ label: 'call centre' });
    await form.getByRole('button', { name: 'Log it' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('region', { name: 'Form' }).count()).toBe(0);
    await untilShown(
      () => page.locator('body'),
      /Logged as feedback #\d+[\s\S]*My parcel was left in the rain again and the courier never rang/,
    );
  });

  it('lets the CCO resolve the issue, and the reporter gets the thank-you DM', async () => {
    expect(issueNumber, 'the first step must have found the issue').toBeGreaterThan(0);
    await page.getByRole('link', { name: /CCO:/ }).click();
    await say(`/resolve ${issueNumber} we changed couriers and now track every parcel`);
    await untilShown(channel, `Issue #${issueNumber} is resolved.`);
    const dm = () => page.locator('[data-place="Direct message to Sam Patel"]');
    await untilShown(dm, 'Thank you.');
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out.
    expect(await dm().innerText()).toContain('we changed couriers and now track every parcel');
    await untilShown(
      () => page.locator('[data-place="#announcements"]'),
      'we changed couriers and now track every parcel',
    );
  });

  it('gives a caller their list by DM, and logging a call from it changes that card in place', async () => {
    await page.goto(`${url}/playground?as=staff`);
    const dm = () => page.locator('[data-place="Direct message to Sam Patel"]');
    await untilShown(dm, 'Lost-customer calls');
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out.
    const before = Number(/(\d+) of \d+ still to call/.exec(await dm().innerText())![1]);
    await dm().getByRole('button', { name: 'Log call' }).first().click();
    await page.waitForLoadState('load');
    const form = page.getByRole('region', { name: 'Form' });
    expect(await form.getByRole('heading', { name: 'Log the call' }).count()).toBe(1);
    await form.getByLabel('Did you reach them?').selectOption({ label: 'Yes, we spoke' });
    await form.getByLabel('Main reason they left').selectOption({ label: 'Price' });
    await form.getByLabel('What they said, in their words').fill('The renewal price doubled and nobody called first.');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('region', { name: 'Form' }).count()).toBe(0);
    await untilShown(dm, `${before - 1} of`);
  });

  it('keeps what a visitor types harmless, exactly as Slack would', async () => {
    await page.goto(`${url}/playground?as=staff`);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await say('/feedback <!channel> <script>alert(1)</script> the courier was late');
    await untilShown(
      channel,
      /Logged as feedback #\d+[\s\S]*<!channel> <script>alert\(1\)<\/script> the courier was late/,
    );
    const reply = channel().locator('article.ephemeral').last();
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out.
    const shown = await reply.innerText();
    expect(shown).toContain('<!channel> <script>alert(1)</script> the courier was late');
    expect(await page.locator('.mention').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('offers a Teams tab where what is typed goes through the bot’s Teams endpoint and comes back as its card', async () => {
    await page.goto(`${url}/playground?as=staff`);
    await page.getByRole('link', { name: 'Try it in Teams' }).click();
    expect(page.url()).toBe(`${url}/playground?platform=teams&as=staff`);
    const chat = () => page.getByRole('region', { name: 'Chat' });
    await say('feedback the courier was late again');
    await untilShown(chat, /Logged as feedback #\d+[\s\S]*the courier was late again/);
    expect(await chat().locator('.adaptive-card').count()).toBeGreaterThan(0);

    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await say('feedback <!channel> <script>alert(1)</script> **loud** the parcel was lost');
    await untilShown(
      chat,
      /Logged as feedback #\d+[\s\S]*<!channel> <script>alert\(1\)<\/script> \*\*loud\*\* the parcel was lost/,
    );
    expect(await page.locator('body script').count()).toBe(0);
    // What the customer wrote is words, never the card's own formatting.
    expect(await chat().locator('.adaptive-card strong', { hasText: 'loud' }).count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('takes no activity on its Teams endpoint but the playground’s own, so no one can point the bot at a connector', async () => {
    const posted = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'issues', serviceUrl: 'https://elsewhere.example/' }),
    });
    expect(posted.status).toBe(401);
  });

  it('refuses a post from another site’s page, and does nothing', async () => {
    const posted = await fetch(`${url}/playground/type`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://elsewhere.example' },
      body: 'as=cco&line=%2Fresolve%201%20changed%20by%20a%20stranger',
    });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('Nothing was done.');
    await page.goto(`${url}/playground?as=cco`);
    // biome-ignore lint/performance/useDomNodeTextContent: the text as laid out.
    expect(await page.locator('body').innerText()).not.toContain('changed by a stranger');
  });

  it('is not there without the demo data: over a real company’s database it would take what is owed to Slack', async () => {
    const plain = run('src/main.ts', [], botEnv({ PGLITE_DIR: path.join(folder, 'no-demo') }));
    try {
      const listening = await waitForLog(plain, (line) => line.message === 'customer-growth bot listening', 180_000);
      const origin = new URL(String(listening.preview)).origin;
      expect((await fetch(`${origin}/playground`)).status).toBe(404);
      expect(await (await fetch(`${origin}/`)).text()).not.toContain('Try the bot as');
    } finally {
      process.kill(-plain.child.pid!, 'SIGTERM');
      await plain.exited;
    }
  }, 240_000);
});
