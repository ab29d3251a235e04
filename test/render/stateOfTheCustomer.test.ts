import { describe, expect, it } from 'vitest';
import type { Movement } from '../../src/domain/assets.js';
import { periodOf } from '../../src/domain/periods.js';
import type { StateOfTheCustomer } from '../../src/domain/stateOfTheCustomer.js';
import { stateOfTheCustomerCard } from '../../src/render/stateOfTheCustomerCard.js';
import { stateOfTheCustomerOutline } from '../../src/render/stateOfTheCustomerOutline.js';
import { pdfSafe } from '../../src/render/stateOfTheCustomerPdf.js';
import {
  stateOfTheCustomerSummaryToSlack,
  stateOfTheCustomerToSlack,
} from '../../src/render/stateOfTheCustomerSlack.js';
import { blockKitLimits } from '../../src/render/slackText.js';

const tally = (customers: number, value = customers * 100) => ({ customers, value });
const movement = (won: number, lost: number): Movement => ({
  won: tally(won),
  lost: tally(lost),
  reactivated: tally(0),
  expanded: tally(0),
  contracted: tally(0),
  referrals: tally(0),
  netCustomers: won - lost,
  netValue: (won - lost) * 100,
});

const hostile = '<!channel> <script>x</script> *bold* <https://evil.example|bank>';

function report(segments: number): StateOfTheCustomer {
  return {
    period: periodOf('year', '2025-01-01'),
    priorities: [],
    periodLabel: '2025',
    previousLabel: '2024',
    question: 'Did we earn the right to customer growth?',
    answer: 'Yes.',
    total: movement(50, 10),
    bySegment: Array.from({ length: segments }, (_, index) => ({
      name: `${hostile} ${index}`,
      movement: movement(index, 1),
    })),
    byMarketArea: [{ name: hostile, movement: movement(3, 1) }],
    improved: [],
    longestOpen: [],
    mostReported: [],
    topProblemsByArea: [
      { marketArea: hostile, complaints: 4, problems: [{ number: 7, title: hostile, stage: 'Use', complaints: 4 }] },
    ],
    biggestSuccess: { number: 7, title: hostile, stage: 'Use', from: 9, to: 4 },
    losses: { customers: 10, value: 1000, reasons: [{ reason: hostile, customers: 10, value: 1000 }] },
    format: { locale: 'en-US', currency: 'EUR' },
  };
}

const now = new Date('2026-02-01T00:00:00Z');

describe('the State of the Customer drawn for Slack, Teams and the PDF', () => {
  it('escapes customer words in Slack so they cannot ping, link or run', () => {
    const message = stateOfTheCustomerSummaryToSlack(stateOfTheCustomerOutline(report(3), now, false));
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil');
    expect(json).not.toContain('<script>');
  });

  it('keeps the summary within one message however many segments there are, and says how many more', () => {
    const outline = stateOfTheCustomerOutline(report(400), now, false);
    const message = stateOfTheCustomerSummaryToSlack(outline);
    expect(message.blocks.length).toBeLessThanOrEqual(blockKitLimits.blocksPerMessage);
    expect(JSON.stringify(message.blocks)).toContain('and 397 more in the full report');
    const full = stateOfTheCustomerToSlack(stateOfTheCustomerOutline(report(400), now, true));
    for (const block of full.blocks)
      if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(blockKitLimits.sectionText);
  });

  it('says when no priorities are set, and shows each with its complaints against the baseline', () => {
    const without = JSON.stringify(stateOfTheCustomerSummaryToSlack(stateOfTheCustomerOutline(report(1), now, false)));
    expect(without).toContain('No priorities are set.');
    const withPriorities = stateOfTheCustomerOutline(
      {
        ...report(1),
        priorities: [
          {
            number: 3,
            title: 'Stop double charges',
            owner: { platform: 'slack', userId: 'U1', name: 'Billing' },
            stopDoing: 'Monthly newsletters',
            about: ['issue #7 Double charges'],
            startedOn: '2026-09-07',
            quietWeeks: 4,
            baseline: 31,
            weeks: [
              { weekStart: '2026-11-09', complaints: 6 },
              { weekStart: '2026-11-16', complaints: 4 },
            ],
            thisWeekSoFar: 1,
            weeksBelow: 3,
            ready: false,
            done: false,
            doneAt: null,
          },
        ],
      },
      now,
      true,
    );
    const text = JSON.stringify(stateOfTheCustomerToSlack(withPriorities).blocks);
    expect(text).toContain(
      '*Stop double charges* (Billing): 31 complaints a week before it started, 4 last week; 3 of 4 weeks below the baseline',
    );
  });

  it('escapes customer words on the Teams card', () => {
    const card = JSON.stringify(stateOfTheCustomerCard(stateOfTheCustomerOutline(report(2), now, false)));
    expect(card).toContain('\\\\<!channel\\\\>');
    expect(card).toContain('\\\\*bold\\\\*');
    expect(card).not.toMatch(/[^\\]<script>/);
  });

  it('prints text the PDF fonts can draw, without control characters', () => {
    expect(pdfSafe('a\u0000b\nc\u200bd € − 東')).toBe('ab cd € - ?');
    expect(pdfSafe(hostile)).toBe(hostile);
  });
});
