// `npm run connect:stripe -- --since 2025-01-01` run for real, as a child process, against a
// stand-in speaking Stripe's wire format (two pages and a 429 with Retry-After) and a fresh
// PostgreSQL database; then the bot's webhooks for the same subscriptions store nothing twice.
import { execFile } from 'node:child_process';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { addDays, weekJustEnded } from '../../src/domain/weeks.js';
import {
  customerObject,
  eventObject,
  expandOf,
  productObject,
  startStripeStandIn,
  subscriptionObject,
  type StripeStandIn,
} from '../support/stripeStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const secret = 'whsec_backfill';
const week = weekJustEnded(new Date(), 'UTC');
const inWeek = (day: number) => new Date(`${addDays(week, day)}T09:00:00Z`);
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

let standIn: StripeStandIn;
let db: TestDatabase;
const subs: Record<string, any> = {};

beforeAll(async () => {
  standIn = await startStripeStandIn({ pageSizeCap: 2 });
  db = await freshDatabase();
  const product = productObject('Starter');
  standIn.addProduct(product);
  const customer = (name: string, fields: Parameters<typeof customerObject>[0] = {}) => {
    const made = customerObject({ name, ...fields });
    standIn.addCustomer(made);
    return made.id as string;
  };
  subs.acme = subscriptionObject({
    customer: customer('Acme Ltd', { metadata: { segment: 'Enterprise' } }),
    status: 'active',
    created: inWeek(1),
    items: [{ product: product.id, unitAmount: 10_000 }],
  });
  const globex = subscriptionObject({
    customer: customer('Globex', { email: 'it@globex.test' }),
    status: 'active',
    created: inWeek(-30),
    items: [{ product: product.id, unitAmount: 4_000 }],
  });
  subs.globex = {
    ...globex,
    status: 'canceled',
    ended_at: seconds(inWeek(2)),
    cancellation_details: { reason: 'cancellation_requested', feedback: 'unused', comment: 'We never set it up.' },
  };
  subs.initech = subscriptionObject({
    customer: customer('Initech'),
    status: 'trialing',
    created: inWeek(3),
    trialEnd: new Date(Date.now() + 14 * 86_400_000),
    items: [{ product: product.id, unitAmount: 2_000 }],
  });
  subs.hooli = subscriptionObject({
    customer: customer('Hooli'),
    status: 'active',
    created: inWeek(4),
    items: [{ product: product.id, unitAmount: 50_000, interval: 'year' }],
  });
  // Left and came back: Stripe lists the newest first, so the return is read before the first subscription.
  const umbrella = customer('Umbrella');
  const firstTerm = subscriptionObject({
    customer: umbrella,
    status: 'active',
    created: inWeek(-20),
    items: [{ product: product.id, unitAmount: 3_000 }],
  });
  subs.umbrellaFirst = {
    ...firstTerm,
    status: 'canceled',
    ended_at: seconds(inWeek(-10)),
    cancellation_details: { reason: 'cancellation_requested', feedback: 'too_expensive', comment: null },
  };
  subs.umbrellaBack = subscriptionObject({
    customer: umbrella,
    status: 'active',
    created: inWeek(5),
    items: [{ product: product.id, unitAmount: 2_500 }],
  });
  // Before --since: never read.
  subs.old = subscriptionObject({
    customer: customer('Old Co'),
    status: 'active',
    created: new Date('2024-06-01T00:00:00Z'),
    items: [{ product: product.id, unitAmount: 1_000 }],
  });
  for (const subscription of Object.values(subs)) standIn.addSubscription(subscription);
});

afterAll(async () => {
  await db?.drop();
  await standIn?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function connectStripe(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    STRIPE_API_KEY: standIn.apiKey,
    STRIPE_API_URL: standIn.url,
    ORG_TIMEZONE: 'UTC',
    ORG_CURRENCY: 'USD',
  };
  for (const name of Object.keys(env))
    if (name.startsWith('SLACK_') || name === 'PGLITE_DIR' || name === 'DEMO_DATA' || name === 'STRIPE_WEBHOOK_SECRET')
      delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/connectStripe.ts', ...args],
      { cwd: projectRoot, env, timeout: 150_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

const movements = async () =>
  (
    await db.database.prisma.customerEvent.findMany({ include: { customer: true }, orderBy: [{ occurredAt: 'asc' }] })
  ).map((event) => ({
    customer: event.customer.name,
    kind: event.kind,
    value: Number(event.value),
    day: event.occurredAt.toISOString().slice(0, 10),
    reason: event.reason,
    verbatim: event.verbatim,
  }));

describe('npm run connect:stripe', () => {
  it('explains its usage and stores nothing without --since', async () => {
    const run = await connectStripe();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--since must be a date such as 2025-01-01/);
    expect(await db.database.prisma.customerEvent.count()).toBe(0);
  }, 180_000);

  it('reads every page, waits out a 429 as Retry-After asks, and stores the movements', async () => {
    standIn.requests.length = 0;
    standIn.rateLimitOnce(1);
    const run = await connectStripe('--since', '2025-01-01');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Reading Stripe subscriptions created since 2025-01-01/);
    expect(run.stdout).toMatch(/Done: 6 subscriptions read, 7 new movements stored, 0 already stored, 0 not counted\./);

    const lists = standIn.requests.filter((request) => request.path === '/v1/subscriptions');
    expect(lists).toHaveLength(4); // refused with 429, then the three pages
    expect(lists[0]!.query.get('status')).toBe('all');
    expect(lists[0]!.query.get('created[gte]')).toBe(String(seconds(new Date('2025-01-01T00:00:00Z'))));
    expect(expandOf(lists[0]!.query)).toEqual(['data.customer', 'data.discounts', 'data.items.data.discounts']);
    // Customers came expanded in the list: none was read one by one.
    expect(standIn.requests.filter((request) => request.path.startsWith('/v1/customers/'))).toEqual([]);
    expect(lists[1]!.query.get('starting_after')).toBeNull();
    expect(lists[2]!.query.get('starting_after')).toMatch(/^sub_/);
    expect(lists[3]!.query.get('starting_after')).toMatch(/^sub_/);
    // Never sooner than the one second Stripe asked for.
    expect(lists[1]!.at - lists[0]!.at).toBeGreaterThanOrEqual(950);

    expect(await movements()).toEqual([
      { customer: 'Globex', kind: 'won', value: 480, day: addDays(week, -30), reason: null, verbatim: null },
      { customer: 'Umbrella', kind: 'won', value: 360, day: addDays(week, -20), reason: null, verbatim: null },
      { customer: 'Umbrella', kind: 'lost', value: 360, day: addDays(week, -10), reason: 'Price', verbatim: null },
      { customer: 'Acme Ltd', kind: 'won', value: 1200, day: addDays(week, 1), reason: null, verbatim: null },
      {
        customer: 'Globex',
        kind: 'lost',
        value: 480,
        day: addDays(week, 2),
        reason: 'Not using it',
        verbatim: 'We never set it up.',
      },
      { customer: 'Hooli', kind: 'won', value: 500, day: addDays(week, 4), reason: null, verbatim: null },
      { customer: 'Umbrella', kind: 'reactivated', value: 300, day: addDays(week, 5), reason: null, verbatim: null },
    ]);
  }, 180_000);

  it('stores nothing new when run again', async () => {
    const run = await connectStripe('--since', '2025-01-01');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Done: 6 subscriptions read, 0 new movements stored, 7 already stored/);
    expect(await db.database.prisma.customerEvent.count()).toBe(7);
  }, 180_000);
});

describe('webhooks after a backfill', () => {
  let bot: RunningBot;
  const signer = new Stripe('sk_test_signer');

  beforeAll(async () => {
    bot = await startBot(
      loadConfig({
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        ORG_TIMEZONE: 'UTC',
        STRIPE_API_KEY: standIn.apiKey,
        STRIPE_WEBHOOK_SECRET: secret,
        STRIPE_API_URL: standIn.url,
      }),
      { log: () => {} },
    );
  });
  afterAll(async () => bot?.stop());

  async function deliver(event: Record<string, unknown>) {
    const payload = JSON.stringify(event);
    const response = await fetch(`${bot.url}/connectors/stripe/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }),
      },
      body: payload,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('the events the backfill already told store nothing twice, and the digest shows each movement once', async () => {
    await deliver(eventObject('customer.subscription.created', subs.acme, inWeek(1)));
    await deliver(
      eventObject(
        'customer.subscription.created',
        { ...subs.globex, status: 'active', ended_at: null, cancellation_details: null },
        inWeek(-30),
      ),
    );
    await deliver(eventObject('customer.subscription.deleted', subs.globex, inWeek(2)));
    expect(await db.database.prisma.customerEvent.count()).toBe(7);

    const digest = await bot.services.digestFor(week);
    const assets = digest.sections.find((section) => section.kind === 'customerAsset');
    if (assets?.kind !== 'customerAsset') throw new Error('no customer asset section');
    expect(assets.report.total.current.won).toEqual({ customers: 2, value: 1700 });
    expect(assets.report.total.current.lost).toEqual({ customers: 1, value: 480 });
    expect(assets.report.total.topLostReasons).toEqual([{ reason: 'Not using it', customers: 1, value: 480 }]);
  });

  it('a change Stripe reports after the backfill still counts', async () => {
    const more = {
      ...subs.hooli,
      items: { ...subs.hooli.items, data: [{ ...subs.hooli.items.data[0], quantity: 3 }] },
    };
    const answer = await deliver(
      eventObject('customer.subscription.updated', more, new Date(Date.now() + 2000), { items: subs.hooli.items }),
    );
    expect(answer).toMatchObject({ kind: 'recorded', stored: 1 });
    expect(
      (await movements())
        .filter((movement) => movement.customer === 'Hooli')
        .map((movement) => [movement.kind, movement.value]),
    ).toEqual([
      ['won', 500],
      ['expanded', 1000],
    ]);
  });
});
