// The import's COPY writer on real PostgreSQL, chunk after chunk as a long file arrives: a
// customer named again with the same details is not written again, and any change still lands.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCustomerEvents } from '../../src/domain/customerEvents.js';
import { pgCopyWriter } from '../../src/ingest/customerEventWriter.js';
import { rememberedCustomers } from '../../src/ingest/rememberedCustomers.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

let db: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  db = await freshDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

let next = 0;
function chunk(...rows: Array<{ customer: string; name: string; segment?: string; contact?: string }>) {
  const { valid, rejected } = validateCustomerEvents(
    rows.map((row) => ({
      external_id: `cw-${next++}`,
      customer_id: row.customer,
      customer_name: row.name,
      segment: row.segment ?? 'Retail',
      kind: 'expanded',
      value: 10,
      occurred_at: '2026-11-17',
      ...(row.contact ? { customer_contact: row.contact } : {}),
    })),
  );
  expect(rejected).toEqual([]);
  return valid;
}

describe('the COPY writer of npm run import', () => {
  it('stores every event, and the latest details of each customer, across chunks', async () => {
    const writer = pgCopyWriter(pool);
    try {
      expect(await writer.write(chunk({ customer: 'cw-a', name: 'Acme' }, { customer: 'cw-b', name: 'Beta' }))).toBe(2);
      // Nothing new about either customer: only the events are written.
      expect(await writer.write(chunk({ customer: 'cw-a', name: 'Acme' }, { customer: 'cw-b', name: 'Beta' }))).toBe(2);
      expect(await writer.write(chunk({ customer: 'cw-a', name: 'Acme', contact: 'ops@acme.test' }))).toBe(1);
      // A later row without a contact keeps the one given; a new name or segment is taken.
      expect(await writer.write(chunk({ customer: 'cw-a', name: 'Acme' }))).toBe(1);
      expect(await writer.write(chunk({ customer: 'cw-b', name: 'Beta Ltd', segment: 'Enterprise' }))).toBe(1);
      expect(await writer.write(chunk({ customer: 'cw-a', name: 'Acme', contact: '+1 555 0100' }))).toBe(1);
    } finally {
      await writer.close();
    }
    const customers = await db.database.prisma.customer.findMany({
      where: { externalId: { in: ['cw-a', 'cw-b'] } },
      orderBy: { externalId: 'asc' },
      select: { externalId: true, name: true, segment: true, contact: true },
    });
    expect(customers).toEqual([
      { externalId: 'cw-a', name: 'Acme', segment: 'Retail', contact: '+1 555 0100' },
      { externalId: 'cw-b', name: 'Beta Ltd', segment: 'Enterprise', contact: null },
    ]);
    expect(await db.database.prisma.customerEvent.count({ where: { externalId: { startsWith: 'cw-' } } })).toBe(8);
  });

  it('a customer changed by someone else meanwhile is not changed back by a row that repeats what this import said', async () => {
    const writer = pgCopyWriter(pool);
    try {
      await writer.write(chunk({ customer: 'cw-c', name: 'Gamma' }));
      await db.database.prisma.customer.update({
        where: { externalId: 'cw-c' },
        data: { name: 'Gamma (renamed in CRM)' },
      });
      await writer.write(chunk({ customer: 'cw-c', name: 'Gamma' }));
    } finally {
      await writer.close();
    }
    expect((await db.database.prisma.customer.findUnique({ where: { externalId: 'cw-c' } }))?.name).toBe(
      'Gamma (renamed in CRM)',
    );
  });

  it('still stores a change to a customer it had to forget to stay within its memory budget', async () => {
    // Room for a handful of customers only, so most are forgotten along the way.
    const remembered = rememberedCustomers(1_000);
    const writer = pgCopyWriter(pool, 5, remembered);
    const many = Array.from({ length: 50 }, (_, index) => ({ customer: `cw-m${index}`, name: `Many ${index}` }));
    try {
      expect(await writer.write(chunk(...many))).toBe(50);
      expect(remembered.bytes).toBeLessThanOrEqual(1_000);
      expect(await writer.write(chunk({ customer: 'cw-m0', name: 'Many 0 renamed' }, ...many.slice(1)))).toBe(50);
      expect(remembered.bytes).toBeLessThanOrEqual(1_000);
    } finally {
      await writer.close();
    }
    const stored = await db.database.prisma.customer.findMany({
      where: { externalId: { startsWith: 'cw-m' } },
      select: { name: true },
    });
    expect(stored).toHaveLength(50);
    expect(stored.map((customer) => customer.name)).toContain('Many 0 renamed');
  });
});
