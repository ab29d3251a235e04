// A chunk that lost a deadlock or serialization race is rolled back whole, so it is run
// again; any other failure is reported at once rather than retried into the same wall.
import { describe, expect, it } from 'vitest';
import { validateCustomerEvents } from '../../src/domain/customerEvents.js';
import { writeCustomerEvents, type SqlTransaction } from '../../src/ingest/customerEventWriter.js';

const events = validateCustomerEvents([
  {
    external_id: 'e1',
    customer_id: 'c1',
    customer_name: 'Acme',
    segment: 'Retail',
    kind: 'won',
    value: 10,
    occurred_at: '2026-11-17',
  },
]).valid;

const pgDeadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
const prismaSerialization = Object.assign(new Error('raw query failed'), {
  code: 'P2010',
  meta: { driverAdapterError: { cause: { originalCode: '40001' } } },
});
const prismaUniqueViolation = Object.assign(new Error('raw query failed'), {
  code: 'P2010',
  meta: { driverAdapterError: { cause: { originalCode: '23505' } } },
});

function failing(...failures: Error[]): { transaction: SqlTransaction; calls: () => number } {
  let calls = 0;
  return {
    transaction: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return [1, 1];
    },
    calls: () => calls,
  };
}

describe('writing a chunk of events', () => {
  it('runs the chunk again after a deadlock (pg) or a serialization failure (Prisma)', async () => {
    const writer = failing(pgDeadlock, prismaSerialization);
    expect(await writeCustomerEvents(writer.transaction, events)).toBe(1);
    expect(writer.calls()).toBe(3);
  });

  it('gives up after 5 attempts and passes the last failure on', async () => {
    const writer = failing(pgDeadlock, pgDeadlock, pgDeadlock, pgDeadlock, pgDeadlock, pgDeadlock);
    await expect(writeCustomerEvents(writer.transaction, events)).rejects.toBe(pgDeadlock);
    expect(writer.calls()).toBe(5);
  });

  it('does not retry a failure that would happen again', async () => {
    const writer = failing(prismaUniqueViolation);
    await expect(writeCustomerEvents(writer.transaction, events)).rejects.toBe(prismaUniqueViolation);
    expect(writer.calls()).toBe(1);
  });
});
