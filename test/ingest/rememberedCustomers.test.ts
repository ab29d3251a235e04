// An import remembers the customers it stored so it need not send them again, and must not
// remember without end: a file with a million customers would otherwise hold them all.
import { describe, expect, it } from 'vitest';
import { rememberedCustomers } from '../../src/ingest/rememberedCustomers.js';

const details = (index: number) => ({
  name: `Customer ${index}, Ltd`,
  segment: `Segment ${index % 20}`,
  contact: null,
  marketArea: null,
});

describe('the customers an import remembers', () => {
  it('stays within its budget however many customers pass through, and still remembers recent ones', () => {
    const budget = 100_000;
    const cache = rememberedCustomers(budget);
    let largest = 0;
    for (let index = 0; index < 50_000; index++) {
      cache.set(`cust-${index}`, details(index));
      largest = Math.max(largest, cache.bytes);
    }
    expect(largest).toBeLessThanOrEqual(budget);
    // Far fewer than were seen, but not emptied either: the last one stored is there.
    expect(cache.size).toBeLessThan(5_000);
    expect(cache.size).toBeGreaterThan(200);
    expect(cache.get('cust-49999')).toEqual(details(49_999));
  });

  it('keeps part of a file that cycles through more customers than fit', () => {
    const cache = rememberedCustomers(100_000);
    const customers = 2_000;
    let hits = 0;
    for (let round = 0; round < 5; round++)
      for (let index = 0; index < customers; index++) {
        if (round > 0 && cache.get(`cust-${index}`)) hits++;
        cache.set(`cust-${index}`, details(index));
      }
    expect(hits).toBeGreaterThan(0);
  });

  it('keeps a contact or market area a later row leaves out, as the stored customer does', () => {
    const cache = rememberedCustomers();
    cache.set('c1', { name: 'Acme', segment: 'Retail', contact: 'ann@acme.test', marketArea: 'North' });
    cache.set('c1', { name: 'Acme Ltd', segment: 'Retail', contact: null, marketArea: null });
    expect(cache.get('c1')).toEqual({
      name: 'Acme Ltd',
      segment: 'Retail',
      contact: 'ann@acme.test',
      marketArea: 'North',
    });
    expect(cache.get('c2')).toBeUndefined();
  });
});
