import { periodOf } from '../../src/domain/periods.js';
import { describe, expect, it } from 'vitest';
import { buildCustomerAssetReport } from '../../src/domain/assets.js';
import { validateCustomerEvents } from '../../src/domain/customerEvents.js';
import { parseLapseWindow, parseValueTiers } from '../../src/domain/customerLife.js';
import type { Digest } from '../../src/domain/digest.js';
import { digestToSlack } from '../../src/render/digestSlack.js';
import { parseCcoCommand } from '../../src/typedCommands/cco.js';

const event = {
  external_id: 'ev-1',
  customer_id: 'c-1',
  customer_name: 'Acme',
  segment: 'Retail',
  occurred_at: '2026-11-17T10:00:00Z',
};

describe('signs of life and projected value on customer events', () => {
  it('takes an active event without a value, and a projected value on a won event', () => {
    const { valid, rejected } = validateCustomerEvents([
      { ...event, kind: 'active' },
      { ...event, external_id: 'ev-2', kind: 'won', value: 1200, projected_value: '5000.50' },
    ]);
    expect(rejected).toEqual([]);
    expect(valid.map((row) => [row.kind, row.value, row.projected_value])).toEqual([
      ['active', 0, undefined],
      ['won', 1200, 5000.5],
    ]);
  });

  it('refuses a movement without a value and a projection on anything but a win', () => {
    const { valid, rejected } = validateCustomerEvents([
      { ...event, kind: 'expanded' },
      { ...event, external_id: 'ev-2', kind: 'contracted', value: 10, projected_value: 100 },
      { ...event, external_id: 'ev-3', kind: 'won', value: 10, projected_value: '1e6' },
    ]);
    expect(valid).toEqual([]);
    expect(rejected).toEqual([
      { row: 1, reason: 'value is required' },
      { row: 2, reason: "projected_value is only for won events (a new customer's expected value), not contracted" },
      { row: 3, reason: expect.stringContaining('projected_value must be a number such as 1200') },
    ]);
  });
});

describe('/cco lapse and /cco tiers', () => {
  it('reads a segment and its window in days, weeks or months', () => {
    expect(parseLapseWindow('Retail 90 days')).toEqual({ ok: true, value: { segment: 'Retail', days: 90 } });
    expect(parseLapseWindow('Retail Banking 6 months')).toEqual({
      ok: true,
      value: { segment: 'Retail Banking', days: 180 },
    });
    expect(parseLapseWindow('"Small business": 2 weeks')).toEqual({
      ok: true,
      value: { segment: 'Small business', days: 14 },
    });
    expect(parseLapseWindow('Retail soon')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Nothing was changed'),
    });
    expect(parseLapseWindow('Retail 0 days')).toMatchObject({
      ok: false,
      message: expect.stringContaining('1 to 3660 days'),
    });
  });

  it('reads tiers by yearly value, thousands separators included, and refuses ties', () => {
    expect(parseValueTiers('Gold 10,000, Bronze 0, Silver 1000')).toEqual({
      ok: true,
      value: [
        { name: 'Bronze', minValue: 0 },
        { name: 'Silver', minValue: 1000 },
        { name: 'Gold', minValue: 10000 },
      ],
    });
    expect(parseValueTiers('Bronze 0, bronze 10')).toMatchObject({ ok: false });
    expect(parseValueTiers('Bronze 0, Silver 0')).toMatchObject({ ok: false });
    expect(parseValueTiers('Bronze, Silver 10')).toMatchObject({ ok: false });
  });

  it('lists when nothing follows, and leaves the words to the service otherwise', () => {
    expect(parseCcoCommand('lapse')).toEqual({ ok: true, command: { kind: 'lapse', action: 'list' } });
    expect(parseCcoCommand('tiers Bronze 0, Gold 10000')).toEqual({
      ok: true,
      command: { kind: 'tiers', action: 'set', text: 'Bronze 0, Gold 10000' },
    });
  });
});

describe('the digest with lapsed customers, tier moves and projected value', () => {
  const life = (tiersNamed: boolean) => ({
    tiersNamed,
    rows: [
      { segment: null, lapsed: 3, movedUpTier: 2, movedDownTier: 1, projectedValue: 9000, customersWithProjection: 1 },
      { segment: 'Retail', lapsed: 3, movedUpTier: 0, movedDownTier: 0, projectedValue: 0, customersWithProjection: 0 },
      {
        segment: 'Online',
        lapsed: 0,
        movedUpTier: 2,
        movedDownTier: 1,
        projectedValue: 9000,
        customersWithProjection: 1,
      },
    ],
  });
  const won = [
    { segment: null, kind: 'won' as const, periodIndex: 0, customers: 2, value: 2400 },
    { segment: 'Online', kind: 'won' as const, periodIndex: 0, customers: 2, value: 2400 },
  ];
  const slackOf = (tiersNamed: boolean) => {
    const report = buildCustomerAssetReport(periodOf('week', '2026-11-16'), won, [], life(tiersNamed));
    const digest: Digest = {
      period: periodOf('week', '2026-11-16'),
      title: 'week of 16–22 Nov 2026',
      words: { current: 'this week', previous: 'last week' },
      comparisons: ['last week', '4-week avg'],
      format: { locale: 'en-GB', currency: 'EUR' },
      sections: [{ kind: 'customerAsset', report }],
    };
    return { report, text: JSON.stringify(digestToSlack(digest)[0]!.blocks) };
  };

  it('shows a segment whose only news is lapsed customers, and says so in whole customers', () => {
    const { report, text } = slackOf(true);
    expect(report.segments.map((line) => line.segment)).toEqual(['Online', 'Retail']);
    expect(text).toContain("*Lapsed*: *3* customers went longer than their segment's window without a sign of life");
    expect(text).toContain('lapsed 3');
    expect(text).toContain('*Value tiers*: *2* moved up a tier · *1* moved down a tier');
  });

  it('puts the projected value beside the value won, saying for how many when not all', () => {
    const { text } = slackOf(true);
    expect(text).toContain('*Customers won*\\n*2* · €2,400 · projected €9,000 for 1 of them');
    expect(text).toContain('won 2 (€2,400, projected €9,000 for 1 of them)');
  });

  it('says nothing of tiers until the CCO names them', () => {
    const { text } = slackOf(false);
    expect(text).not.toContain('tier');
  });
});
