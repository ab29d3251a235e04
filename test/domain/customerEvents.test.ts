import { describe, expect, it } from 'vitest';
import {
  recordCustomerEventBatch,
  validateCustomerEvents,
  type CustomerEventInput,
} from '../../src/domain/customerEvents.js';

const good = {
  external_id: 'ev-1',
  customer_id: 'c-1',
  customer_name: 'Acme',
  segment: 'Retail',
  kind: 'won',
  value: '1200.50',
  occurred_at: '2026-11-17T10:00:00Z',
};

describe('validating customer events', () => {
  it('keeps valid rows and names each refused row with its reason', () => {
    const result = validateCustomerEvents(
      [good, { ...good, external_id: 'ev-2', kind: 'churned' }, { ...good, external_id: 'ev-3', value: -5 }],
      1,
    );
    expect(result.valid.map((event) => event.external_id)).toEqual(['ev-1']);
    expect(result.rejected).toEqual([
      {
        row: 2,
        reason: expect.stringContaining('kind must be one of: won, lost, expanded, contracted, referral, reactivated'),
      },
      { row: 3, reason: expect.stringContaining('value must be zero or more') },
    ]);
  });

  it('treats blank optional cells as absent and numbers rows from the given first row', () => {
    const result = validateCustomerEvents(
      [
        { ...good, reason: '', verbatim: '' },
        { ...good, occurred_at: 'last tuesday' },
      ],
      2,
    );
    expect(result.valid[0]).not.toHaveProperty('reason');
    expect(result.rejected).toEqual([{ row: 3, reason: expect.stringContaining('occurred_at') }]);
  });

  it('refuses a row that is not an object', () => {
    expect(validateCustomerEvents(['hello']).rejected[0]?.row).toBe(1);
  });
});

describe('recording a batch', () => {
  it('stores an event sent twice in one batch once and reports the rest as duplicates', async () => {
    const stored: CustomerEventInput[][] = [];
    const recordCustomerEvents = async (events: CustomerEventInput[]) => {
      stored.push(events);
      return events.length;
    };
    const result = await recordCustomerEventBatch({ recordCustomerEvents }, [good, good]);
    expect(stored[0]).toHaveLength(1);
    expect(result).toEqual({ stored: 1, duplicates: 1, rejected: [] });
  });
});
