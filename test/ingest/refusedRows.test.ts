// Every way a row is refused, each with the reason a person fixing the file would need,
// and the rows around it still kept: values and dates read strictly, never coerced.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCustomerEvents, type CustomerEventInput } from '../../src/domain/customerEvents.js';
import { importCustomerEventCsv } from '../../src/ingest/customerEventImport.js';

const good = {
  external_id: 'ev-1',
  customer_id: 'c-1',
  customer_name: 'Acme',
  segment: 'Retail',
  kind: 'won',
  value: '1200.50',
  occurred_at: '2026-11-17T10:00:00Z',
};

const tomorrowPlusOne = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe('a JSON or CSV row is refused, with its reason, when', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['value is true', { value: true }, /^value must be a number/],
    ['value is hexadecimal', { value: '0x10' }, /^value must be a number such as 1200 or 1200\.50 .*not "0x10"/],
    ['value is blank', { value: ' ' }, /^value is required/],
    ['value is negative', { value: '-5' }, /^value must be zero or more/],
    ['value is a negative number', { value: -5 }, /^value must be zero or more/],
    ['value has 3 decimals', { value: '10.125' }, /^value must have at most 2 decimals/],
    ['value has 3 decimals as a number', { value: 10.125 }, /^value must have at most 2 decimals/],
    ['value uses an exponent', { value: '1e3' }, /^value must be a number such as 1200 or 1200\.50 .*not "1e3"/],
    ['value does not fit Decimal(14,2)', { value: '1000000000000' }, /^value is too large/],
    ['value is missing', { value: undefined }, /^value is required/],
    ['occurred_at is a bare number', { occurred_at: '12' }, /^occurred_at must be an ISO 8601 date or date-time/],
    [
      'occurred_at is Unix seconds',
      { occurred_at: 1_763_000_000 },
      /^occurred_at must be an ISO 8601 date or date-time/,
    ],
    [
      'occurred_at is 30 February',
      { occurred_at: '2026-02-30' },
      /^occurred_at is not a real calendar date \(2026-02-30\)/,
    ],
    [
      'occurred_at is before year 1',
      { occurred_at: '0000-12-31' },
      /^occurred_at is (not a real calendar date|before 1900)/,
    ],
    ['occurred_at is before 1900', { occurred_at: '1899-12-31T23:00:00Z' }, /^occurred_at is before 1900/],
    [
      'occurred_at is more than a day ahead',
      { occurred_at: tomorrowPlusOne },
      /^occurred_at is more than a day in the future/,
    ],
    [
      'occurred_at has hour 25',
      { occurred_at: '2026-11-17T25:00:00Z' },
      /^occurred_at has a time of day that does not exist/,
    ],
    ['occurred_at is words', { occurred_at: 'last tuesday' }, /^occurred_at must be an ISO 8601/],
    ['a name holds NUL', { customer_name: 'Ac\u0000me' }, /^customer_name contains a NUL character/],
    ['a reason holds NUL', { reason: '\u0000' }, /^reason contains a NUL character/],
    ['kind is unknown', { kind: 'churned' }, /^kind must be one of: won, lost/],
    ['external_id is missing', { external_id: undefined }, /^external_id is required/],
    [
      "external_id is in the Stripe connector's space",
      { external_id: 'stripe:sub_1:start' },
      /^external_id starts with "stripe:", which is kept for the bot's Stripe connector/,
    ],
  ])('%s', (_case, change, reason) => {
    const result = validateCustomerEvents([
      { ...good, external_id: 'before' },
      { ...good, ...change },
      { ...good, external_id: 'after' },
    ]);
    expect(result.rejected).toEqual([{ row: 2, reason: expect.stringMatching(reason) }]);
    expect(result.valid.map((event) => event.external_id)).toEqual(['before', 'after']);
  });

  it.each<[string, unknown, number, string]>([
    ['a plain decimal string', '1200.50', 1200.5, '2026-11-17T10:00:00.000Z'],
    ['a JSON number', 99.99, 99.99, '2026-11-17T10:00:00.000Z'],
    ['the largest Decimal(14,2)', '999999999999.99', 999_999_999_999.99, '2026-11-17T10:00:00.000Z'],
  ])('keeps %s as value', (_case, value, stored, at) => {
    const [event] = validateCustomerEvents([{ ...good, value }]).valid;
    expect(event?.value).toBe(stored);
    expect(event?.occurred_at.toISOString()).toBe(at);
  });

  it.each([
    ['a bare date, read as UTC midnight', '2026-02-28', '2026-02-28T00:00:00.000Z'],
    ['a date-time with an offset', '2026-11-17T10:00:00+02:00', '2026-11-17T08:00:00.000Z'],
    ['a date-time without an offset, read as UTC', '2026-11-17 10:00', '2026-11-17T10:00:00.000Z'],
    ['29 February of a leap year', '2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('keeps %s as occurred_at', (_case, occurredAt, iso) => {
    expect(validateCustomerEvents([{ ...good, occurred_at: occurredAt }]).valid[0]?.occurred_at.toISOString()).toBe(
      iso,
    );
  });

  it('keeps cells starting with =, +, - or @ exactly as typed', () => {
    const names = ['=HYPERLINK("http://x","y")', '+33 1 23 45 67 89', '-Acme-', '@here'];
    const result = validateCustomerEvents(
      names.map((name, index) => ({ ...good, external_id: `f-${index}`, customer_name: name })),
    );
    expect(result.valid.map((event) => event.customer_name)).toEqual(names);
  });
});

describe('a CSV file', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'refused-rows-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const header = 'external_id,customer_id,customer_name,segment,kind,value,occurred_at,reason,verbatim';
  const row = (id: string, name = 'Acme') => `${id},c-${id},${name},Retail,won,10,2026-11-17,,`;

  async function importText(text: string | Buffer) {
    const file = path.join(folder, `f-${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(file, text);
    const written: CustomerEventInput[] = [];
    const write = async (events: CustomerEventInput[]) => {
      written.push(...events);
      return events.length;
    };
    const summary = await importCustomerEventCsv(file, { write, chunkRows: 2 });
    return { summary, stored: written.map((event) => event.external_id) };
  }

  it.each<[string, string[], number, RegExp]>([
    [
      'a row with an extra column',
      [row('a'), `${row('b')},surplus`, row('c')],
      3,
      /^has 10 cells but the header names 9 columns/,
    ],
    [
      'a row with too few columns',
      [row('a'), 'b,c-b,Acme,Retail,won', row('c')],
      3,
      /^has 5 cells but the header names 9 columns/,
    ],
    [
      'a quote that is never closed',
      [row('a'), row('b', '"Acme, Inc'), row('c'), row('d')],
      3,
      /^opens a quote that is never closed/,
    ],
    [
      'a quote closed in the middle of a cell',
      [row('a'), row('b', '"Acme"Inc'), row('c'), row('d', '"Fine, Ltd"')],
      3,
      /^has a quote that is not closed where it should be/,
    ],
    ['a NUL inside a cell', [row('a'), row('b', 'Ac\u0000me'), row('c')], 3, /^customer_name contains a NUL character/],
    ['a date before year 1', [row('a'), 'b,c-b,Acme,Retail,won,10,0000-01-01,,', row('c')], 3, /^occurred_at /],
  ])('refuses only %s, by its line, and loads the rows after it', async (_case, rows, line, reason) => {
    const { summary, stored } = await importText([header, ...rows, ''].join('\n'));
    expect(summary.refused).toEqual([{ row: line, reason: expect.stringMatching(reason) }]);
    expect(stored).toEqual(rows.map((text) => text.split(',')[0]).filter((id) => id !== 'b'));
  });

  it('numbers lines as an editor does when a quoted cell spans two lines', async () => {
    const { summary, stored } = await importText(
      [
        header,
        'a,c-a,Acme,Retail,won,10,2026-11-17,,"two',
        'lines"',
        'b,c-b,Acme,Retail,upsold,10,2026-11-17,,',
        '',
      ].join('\r\n'),
    );
    expect(stored).toEqual(['a']);
    expect(summary.refused).toEqual([{ row: 4, reason: expect.stringMatching(/^kind must be one of/) }]);
  });

  it('reads lines ending in a lone CR (older Mac spreadsheets) and skips lines of only spaces', async () => {
    const { summary, stored } = await importText(
      [header, row('a'), '  \t', 'b,c-b,"Acme,\r\nInc",Retail,won,10,2026-11-17,,', row('c'), ''].join('\r'),
    );
    expect(stored).toEqual(['a', 'b', 'c']);
    expect(summary.refused).toEqual([]);
    expect(summary.rows).toBe(3);
  });

  it('is refused whole, before anything is stored, when it is not UTF-8', async () => {
    const latin1 = Buffer.from([header, row('a'), row('b', 'Société Générale'), ''].join('\n'), 'latin1');
    const file = path.join(folder, 'latin1.csv');
    await writeFile(file, latin1);
    const written: CustomerEventInput[] = [];
    const write = async (events: CustomerEventInput[]) => {
      written.push(...events);
      return events.length;
    };
    await expect(importCustomerEventCsv(file, { write })).rejects.toThrow(/is not UTF-8 text/);
    expect(written).toEqual([]);
  });

  it('is refused whole when its header misses a required column', async () => {
    await expect(
      importText(['external_id,customer_id,customer_name,segment,kind,value', 'a,c,Acme,Retail,won,1', ''].join('\n')),
    ).rejects.toThrow(/missing: occurred_at/);
  });
});
