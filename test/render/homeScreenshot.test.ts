// Draws the Slack Home tab (the customer room) in the Block Kit preview in headless Chromium
// and saves test/artifacts/app-home.png, for people to look at what a leader or caller sees.
// Needs Debian's chromium (.ci/run installs it); without it the test fails and says how.
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCustomerAssetReport } from '../../src/domain/assets.js';
import type { CustomerRoom } from '../../src/domain/customerRoom.js';
import { issuesByStage } from '../../src/domain/customerRoom.js';
import type { IssueSummary } from '../../src/domain/issues.js';
import { renderBlockKitPage } from '../../src/render/blockKitHtml.js';
import { customerRoomView } from '../../src/render/homeSlack.js';
import { pngDataUri, renderMovementChart } from '../../src/render/movementChart.js';
import { sampleHistory } from '../support/sampleHistory.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshot = path.resolve('test/artifacts/app-home.png');

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install it with: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH).`,
    );
  }
  browser = await chromium.launch({
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
});

afterAll(async () => {
  await browser?.close();
});

const issue = (number: number, title: string, stageName: string, feedbackCount: number): IssueSummary => ({
  id: `issue-${number}`,
  number,
  title,
  status: 'open',
  stageName,
  categoryName: 'Billing',
  feedbackCount,
  sources: ['call_centre'],
  mergedIntoNumber: null,
  lastResolution: null,
});

function sampleRoom(): CustomerRoom {
  const report = buildCustomerAssetReport(
    '2026-11-16',
    [
      { segment: null, kind: 'won', weekOffset: 0, customers: 12, value: 14_400 },
      { segment: null, kind: 'lost', weekOffset: 0, customers: 7, value: 21_000 },
      { segment: null, kind: 'won', weekOffset: -1, customers: 9, value: 10_800 },
    ],
    [],
  );
  return {
    weekStart: '2026-11-16',
    weekLabel: '16–22 Nov 2026',
    format: { locale: 'en-US', currency: 'USD' },
    question: 'Did we earn the right to customer growth?',
    answer: 'Partly: we gained 5 customers more than we lost, but customer value fell by $6,600.',
    asset: report.total,
    history: sampleHistory(),
    warnings: {
      belowStandard: [
        {
          moment: 'First order delivered on time',
          stageName: 'Start',
          latest: '91%',
          standard: '95%',
          since: '2026-11-18',
          days: 4,
        },
      ],
      spikes: [],
      recovered: [],
    },
    priorities: [
      {
        number: 1,
        title: 'Answer every call within a minute',
        stageName: 'Get help',
        status: 'complaints down 2 weeks running',
        done: false,
      },
      {
        number: 2,
        title: 'Invoices right the first time',
        stageName: 'Use',
        status: 'done: complaints stayed down 6 weeks',
        done: true,
      },
    ],
    stages: issuesByStage([
      issue(7, 'Charged twice on the invoice <!channel>', 'Use', 14),
      issue(9, 'Refund takes three weeks', 'Use', 6),
      issue(3, 'Nobody called back about the outage', 'Get help', 9),
    ]),
    openCalls: [
      {
        callId: 'call-1',
        customerName: 'Acme Ltd',
        segment: 'Enterprise',
        valueLost: 40_000,
        lostAt: '2026-11-18T10:00:00Z',
        contact: '+44 20 7946 0004',
        status: 'open',
        reason: null,
        campaignNumber: 1,
        campaignName: 'Win back November',
        dueOn: '2026-12-04',
      },
    ],
  };
}

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
