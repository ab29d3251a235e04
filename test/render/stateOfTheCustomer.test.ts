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

  it('says the priorities are not set when none were given, and shows them when they are', () => {
    const without = JSON.stringify(stateOfTheCustomerSummaryToSlack(stateOfTheCustomerOutline(report(1), now, false)));
    expect(without).toContain('priorities are not set in this bot yet');
    const withPriorities = stateOfTheCustomerOutline(
      {
        ...report(1),
        priorities: [
          {
            title: 'Stop double charges',
            owner: 'Billing',
            baselineComplaints: 31,
            currentComplaints: 4,
            quietWeeks: 3,
            quietWeeksNeeded: 4,
            done: false,
          },
        ],
      },
      now,
      true,
    );
    const text = JSON.stringify(stateOfTheCustomerToSlack(withPriorities).blocks);
    expect(text).toContain(
      '*Stop double charges* (Billing): complaints 4 against a baseline of 31, 3 of 4 quiet weeks',
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
