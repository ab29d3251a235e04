// `npm run screenshots`: starts the bot with the demo data on a throwaway embedded database,
// then draws in headless Chromium what people will see (the digest, a feedback reply, a
// "you told us, we changed it" announcement, a caller's list), through the playground, and a
// caller's Home tab, drawn from the room the bot publishes, so the pictures in docs/ come from
// the bot's own Block Kit and stay true as it changes.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.js';
import { demoStaff } from '../src/demo/demoPeople.js';
import { renderBlockKitPage } from '../src/render/blockKitHtml.js';
import { customerRoomView } from '../src/render/homeSlack.js';
import { pngDataUri, renderMovementChart } from '../src/render/movementChart.js';
import { createLog } from '../src/logger.js';
import { startBot } from '../src/startBot.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const docs = path.resolve(import.meta.dirname, '../docs');

if (!existsSync(executablePath)) {
  process.stderr.write(`No Chromium at ${executablePath}: apt-get install -y --no-install-recommends chromium\n`);
  process.exit(1);
}

const folder = await mkdtemp(path.join(tmpdir(), 'screenshots-'));
const env = { ...process.env };
for (const name of Object.keys(env))
  if (/^(SLACK_|MICROSOFT_|BOOTSTRAP_|DATABASE_URL$|OPENAI_API_KEY$|TEAMS_)/.test(name)) delete env[name];
const config = loadConfig({ ...env, PGLITE_DIR: folder, PORT: '0', HOST: '127.0.0.1' });
const bot = await startBot(config, { demo: true, log: createLog({ level: 'warn' }), playground: true });
const base = bot.url.replace('localhost', '127.0.0.1');
const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

async function say(page: Page, role: string, line: string): Promise<void> {
  await page.goto(`${base}/playground?as=${role}`);
  await page.getByRole('textbox', { name: 'Message' }).fill(line);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForLoadState('load');
}

/** Reloads until `selector` holds `text`: the outbox and the sorting finish a moment after the answer. */
async function shown(page: Page, selector: string, text: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = page.locator(selector).filter({ hasText: text });
    if (await found.count()) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.reload();
  }
  throw new Error(`"${text}" never showed in ${selector}`);
}

/** The load event comes before a large chart is decoded; a screenshot then shows only its alt text. */
async function chartsDecoded(page: Page): Promise<void> {
  await page
    .locator('img')
    .evaluateAll((images) =>
      Promise.all(images.map((image) => (image as unknown as { decode(): Promise<void> }).decode())),
    );
}

try {
  await mkdir(docs, { recursive: true });
  const page = await browser.newPage({ viewport: { width: 820, height: 900 }, deviceScaleFactor: 1 });
  // Nothing leaves the machine: the playground reaches only the bot itself.
  await page.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
  await page.goto(`${base}/`);
  await chartsDecoded(page);
  await page.locator('main').screenshot({ path: path.join(docs, 'digest.png') });

  await page.setViewportSize({ width: 1200, height: 900 });
  await say(
    page,
    'staff',
    '/feedback The courier left the parcel at the wrong door and the delivery was two days late',
  );
  await shown(page, 'article.ephemeral', 'Filed under');
  await page
    .locator('article.ephemeral')
    .last()
    .screenshot({ path: path.join(docs, 'feedback-reply.png') });

  const issue = /issue #(\d+)/.exec((await page.locator('article.ephemeral').last().textContent()) ?? '')?.[1] ?? '2';
  await say(page, 'cco', `/resolve ${issue} We moved to a courier that photographs every delivery at the door`);
  await shown(page, '[data-place="#announcements"]', 'photographs every delivery');
  await page
    .locator('[data-place="#announcements"] article')
    .last()
    .screenshot({ path: path.join(docs, 'hope-announcement.png') });

  await page.goto(`${base}/playground?as=staff`);
  await shown(page, '[data-place="Direct message to Sam Patel"]', 'Log call');
  const list = page
    .locator('[data-place="Direct message to Sam Patel"] article')
    .filter({ hasText: 'Log call' })
    .first();
  // The heading and the first few cards: a list of twenty is the same card again and again.
  await page.setViewportSize({ width: 1200, height: 3000 });
  const box = (await list.boundingBox())!;
  await page.screenshot({
    path: path.join(docs, 'call-list.png'),
    clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 640) },
  });
  await page.setViewportSize({ width: 1200, height: 900 });

  await page.goto(`${base}/playground?as=staff`);
  await page.screenshot({ path: path.join(docs, 'playground.png'), fullPage: false });

  // The playground has no Home tab: the room is the one the Home tab publishes for Sam, whose calls are in it.
  const room = await bot.services.homeRoom(demoStaff);
  const chart = room.history ? { image_url: pngDataUri(await renderMovementChart(room.history)) } : undefined;
  const home = customerRoomView(room, chart);
  // A fresh page: one that held the playground keeps its policy, which allows no images.
  const homePage = await browser.newPage({ viewport: { width: 820, height: 900 }, deviceScaleFactor: 1 });
  await homePage.route('**/*', (route) => route.abort());
  await homePage.setContent(renderBlockKitPage({ title: 'Home', messages: [{ blocks: home.blocks }] }));
  await chartsDecoded(homePage);
  await homePage.locator('main').screenshot({ path: path.join(docs, 'app-home.png') });
  process.stdout.write(
    `Wrote digest.png, feedback-reply.png, hope-announcement.png, call-list.png, playground.png and app-home.png to ${docs}\n`,
  );
} finally {
  await browser.close();
  await bot.stop();
  await rm(folder, { recursive: true, force: true });
}
