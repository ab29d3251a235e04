// Draws the digest card with Microsoft's Adaptive Cards renderer in headless Chromium and
// saves test/artifacts/digest-card.png, for people to look at what leaders will see.
// Needs Debian's chromium (.ci/run installs it); without it the test fails and says how.
import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.js';
import { digestToCard } from '../../src/render/digestCard.js';
import { cardMarkdownToHtml } from '../support/cardMarkdown.js';
import { digestWithSegments, question } from '../support/sampleDigests.js';

const screenshot = path.resolve('test/artifacts/digest-card.png');
const adaptiveCardsBundle = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the digest card, drawn', () => {
  it('renders in Chromium with Microsoft’s renderer and is saved as a PNG', async () => {
    const digest = digestWithSegments(
      ['Enterprise', 'Mid-market', 'Retail', 'Public sector'],
      '[Reset your password](https://evil.example)',
    );
    const card = digestToCard(digest);
    const page = await browser.newPage({ viewport: { width: 760, height: 900 }, deviceScaleFactor: 1 });
    try {
      // Nothing leaves the machine: the page, the renderer and the card are all local.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(
        '<!doctype html><html><body style="margin:0;background:#f5f5f5"><div id="card" style="width:720px;margin:20px;box-shadow:0 1px 4px #0003"></div></body></html>',
      );
      await page.addScriptTag({ path: adaptiveCardsBundle });
      await page.evaluate(
        ({ card: json, markdown }) => {
          // This runs in the page; the test's TypeScript has no DOM types, so the page is described by hand.
          const page = globalThis as unknown as {
            AdaptiveCards: typeof import('adaptivecards');
            document: { getElementById(id: string): { appendChild(node: unknown): void } };
          };
          const { AdaptiveCards } = page;
          const toHtml = new Function(`return (${markdown})`)() as (text: string) => string;
          AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
            result.outputHtml = toHtml(text);
            result.didProcess = true;
          };
          const adaptiveCard = new AdaptiveCards.AdaptiveCard();
          adaptiveCard.parse(json);
          page.document.getElementById('card').appendChild(adaptiveCard.render());
        },
        { card, markdown: cardMarkdownToHtml.toString() },
      );
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the text as laid out, what a reader sees.
      const shown = await page.locator('#card').innerText();
      expect(shown).toContain(question);
      expect(shown).toContain('Yes: we gained 99 customers more than we lost.');
      expect(shown).toContain('[Reset your password](https://evil.example)');
      expect(await page.locator('#card a').count()).toBe(0);

      await mkdir(path.dirname(screenshot), { recursive: true });
      await page.locator('#card').screenshot({ path: screenshot });
      expect((await stat(screenshot)).size).toBeGreaterThan(20_000);
    } finally {
      await page.close();
    }
  });
});
