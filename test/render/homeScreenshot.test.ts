// Draws the Slack Home tab (the customer room) in the Block Kit preview in headless Chromium
// and saves test/artifacts/app-home.png, for people to look at what a leader or caller sees.
// Needs Debian's chromium (.ci/run installs it); without it the test fails and says how.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.js';
import { renderBlockKitPage } from '../../src/render/blockKitHtml.js';
import { customerRoomView } from '../../src/render/homeSlack.js';
import { pngDataUri, renderMovementChart } from '../../src/render/movementChart.js';
import { sampleRoom } from '../support/sampleRoom.js';

const screenshot = path.resolve('test/artifacts/app-home.png');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the Home tab, drawn', () => {
  it('shows the customer room with its chart, warnings, priorities, issues and calls, saved as a PNG', async () => {
    const room = sampleRoom();
    const chart = pngDataUri(await renderMovementChart(room.history!));
    const view = customerRoomView(room, { image_url: chart });
    const html = renderBlockKitPage({ title: 'Home', messages: [{ blocks: view.blocks }] });
    const page = await browser.newPage({ viewport: { width: 820, height: 1000 }, deviceScaleFactor: 1 });
    try {
      // Nothing leaves the machine: the page and its picture are all local.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html);
      const image = page.locator('figure.image img');
      expect(
        await image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth),
      ).toBeGreaterThan(1000);
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as laid out, what a reader sees.
      const shown = await page.locator('main').innerText();
      for (const words of [
        'The customer room',
        'Did we earn the right to customer growth?',
        'First order delivered on time',
        'Answer every call within a minute',
        'Charged twice on the invoice <!channel>',
        'Your open calls (1)',
        'Acme Ltd',
        'Log call',
        "Couldn't reach",
        'Resolve…',
        'Whole company, customers won and lost:',
      ])
        expect(shown).toContain(words);
      expect(await page.locator('.mention').count()).toBe(0);
      await mkdir(path.dirname(screenshot), { recursive: true });
      await page.locator('main').screenshot({ path: screenshot });
      expect((await stat(screenshot)).size).toBeGreaterThan(50_000);
    } finally {
      await page.close();
    }
  });
});
