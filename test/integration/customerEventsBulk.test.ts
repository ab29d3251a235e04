// Batches the size other systems really send, over real HTTP, on real PostgreSQL and on
// the embedded PGlite: 10,000 new customers in one request, and concurrent requests
// touching the same customers all answered 200 with every event stored once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const token = 'bulk-token';

function batch(prefix: string, count: number, customerOf: (index: number) => string, week: string) {
  return Array.from({ length: count }, (_, index) => ({
    external_id: `${prefix}-${index}`,
    customer_id: customerOf(index),
    customer_name: `Customer ${customerOf(index)}`,
    segment: `Segment ${index % 5}`,
    kind: index % 4 ? 'won' : 'lost',
    value: (index % 500) + 0.5,
    occurred_at: `${week}T08:00:00Z`,
    ...(index % 4 ? {} : { reason: 'Price' }),
  }));
}

async function post(bot: RunningBot, events: unknown[]) {
  const response = await fetch(`${bot.url}/api/customer-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(events),
  });
  return {
    status: response.status,
    body: (await response.json()) as { stored: number; duplicates: number; rejected: unknown[]; error?: string },
  };
}

interface Backend {
  bot: () => RunningBot;
  /** Reads the database the bot wrote to; PGlite has one process at a time, so the bot steps aside meanwhile. */
  read: <T>(query: (prisma: Db) => Promise<T>) => Promise<T>;
  stop: () => Promise<void>;
}

const config = (database: Record<string, string>) =>
  loadConfig({ ...database, PORT: '0', HOST: '127.0.0.1', EVENTS_API_TOKEN: token, ORG_TIMEZONE: 'UTC' });

const backends: Array<[string, () => Promise<Backend>]> = [
  [
    'PostgreSQL',
    async () => {
      const db: TestDatabase = await freshDatabase();
      const bot = await startBot(config({ DATABASE_URL: db.url }), { log: () => {} });
      return {
        bot: () => bot,
        read: (query) => query(db.database.prisma),
        stop: async () => {
          await bot.stop();
          await db.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    async () => {
      const folder = await mkdtemp(path.join(tmpdir(), 'bulk-pglite-'));
      const settings = config({ PGLITE_DIR: folder });
      let bot = await startBot(settings, { log: () => {} });
      return {
        bot: () => bot,
        async read(query) {
          await bot.stop();
          const database = await openDatabase({ pgliteDir: folder });
          try {
            return await query(database.prisma);
          } finally {
            await database.close();
            bot = await startBot(settings, { log: () => {} });
          }
        },
        stop: async () => {
          await bot.stop();
          await rm(folder, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(backends)('POST /api/customer-events on %s', (_name, start) => {
  let running: Backend;
  beforeAll(async () => {
    running = await start();
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('stores 10,000 events for 10,000 new customers in one batch', async () => {
    const week = running.bot().services.lastWeek();
    const { status, body } = await post(
      running.bot(),
      batch('one', 10_000, (index) => `new-${index}`, week),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ stored: 10_000, duplicates: 0, rejected: [] });
    const counts = await running.read(async (prisma) => [
      await prisma.customer.count({ where: { externalId: { startsWith: 'new-' } } }),
      await prisma.customerEvent.count({ where: { externalId: { startsWith: 'one-' } } }),
    ]);
    expect(counts).toEqual([10_000, 10_000]);
  }, 300_000);

  it('answers 200 to 4 concurrent batches touching the same customers and stores every event once', async () => {
    const week = running.bot().services.lastWeek();
    // Each batch lists the same 2,000 customers in a different order, and shares half its events with the next batch.
    const orders = [
      (i: number) => i,
      (i: number) => 1999 - i,
      (i: number) => (i * 7) % 2000,
      (i: number) => (i * 13 + 5) % 2000,
    ];
    const batches = orders.map((order, b) => [
      ...batch(`own${b}`, 2000, (i) => `shared-${order(i)}`, week),
      ...batch(`overlap${(b + 1) % 4}`, 1000, (i) => `shared-${order(i)}`, week),
      ...batch(`overlap${b}`, 1000, (i) => `shared-${order(i)}`, week),
    ]);
    const answers = await Promise.all(batches.map((events) => post(running.bot(), events)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    // 8,000 own events and 4,000 shared ones, each stored exactly once whoever got there first.
    expect(answers.reduce((sum, answer) => sum + answer.body.stored, 0)).toBe(12_000);
    const counts = await running.read(async (prisma) => [
      await prisma.customerEvent.count({
        where: { OR: [{ externalId: { startsWith: 'own' } }, { externalId: { startsWith: 'overlap' } }] },
      }),
      await prisma.customer.count({ where: { externalId: { startsWith: 'shared-' } } }),
    ]);
    expect(counts).toEqual([12_000, 2000]);
  }, 300_000);
});
