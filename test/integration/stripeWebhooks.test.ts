// Stripe's webhooks into the running bot over real HTTP, signed as Stripe signs them, with the
// real SDK reading customers and products from a stand-in that speaks Stripe's wire format,
// on a fresh PostgreSQL database. What is checked is what a leader reads in the digest.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import type { Movement, ReasonTally } from '../../src/domain/assets.js';
import { addDays, type WeekStart } from '../../src/domain/weeks.js';
import {
  couponObject,
  customerObject,
  discountObject,
  eventObject,
  productObject,
  startStripeStandIn,
  stripeId,
  subscriptionObject,
  expandOf,
  type ItemSpec,
  type StripeStandIn,
  type SubscriptionSpec,
} from '../support/stripeStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const secret = 'whsec_test_standIn';
const signer = new Stripe('sk_test_signer');
let standIn: StripeStandIn;
let db: TestDatabase;
let bot: RunningBot;
let week: WeekStart;
let teamPlan: string;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  db = await freshDatabase();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      ORG_TIMEZONE: 'UTC',
      ORG_CURRENCY: 'USD',
      STRIPE_API_KEY: standIn.apiKey,
      STRIPE_WEBHOOK_SECRET: secret,
      STRIPE_API_URL: standIn.url,
      STRIPE_REASON_MAP: '{"missing_features":"Missing features"}',
    }),
    { log: () => {} },
  );
  week = bot.services.lastWeek();
  const product = productObject('Team plan');
  teamPlan = product.id;
  standIn.addProduct(product);
});

afterAll(async () => {
  await bot?.stop();
  await db?.drop();
  await standIn?.close();
});

/** A moment in the week just ended: day 0 is its Monday. */
const inWeek = (day: number, hour = 9) => new Date(`${addDays(week, day)}T${String(hour).padStart(2, '0')}:00:00Z`);

function newCustomer(fields: Parameters<typeof customerObject>[0]) {
  const customer = customerObject(fields);
  standIn.addCustomer(customer);
  return customer.id as string;
}

/** Posts an event as Stripe does: pretty-printed JSON, signed over exactly those bytes. */
async function deliver(
  event: Record<string, unknown>,
  options: { secret?: string; timestamp?: number; body?: string } = {},
) {
  const payload = JSON.stringify(event, null, 2);
  const header = signer.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? secret,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  const response = await fetch(`${bot.url}/connectors/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: options.body ?? payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function thisWeek(): Promise<{ total: Movement; lostReasons: ReasonTally[] }> {
  const digest = await bot.services.digestFor(week);
  const section = digest.sections.find((candidate) => candidate.kind === 'customerAsset');
  if (section?.kind !== 'customerAsset') throw new Error('the digest has no customer asset section');
  return { total: section.report.total.current, lostReasons: section.report.total.topLostReasons };
}

async function movementsOf(customerId: string) {
  const events = await db.database.prisma.customerEvent.findMany({
    where: { customer: { externalId: customerId } },
    orderBy: { occurredAt: 'asc' },
  });
  return events.map((event) => ({
    kind: event.kind,
    value: Number(event.value),
    day: event.occurredAt.toISOString().slice(0, 10),
    reason: event.reason,
    verbatim: event.verbatim,
  }));
}

const eventCount = () => db.database.prisma.customerEvent.count();
const monthly = (unitAmount: number, quantity = 1): ItemSpec => ({ product: teamPlan, unitAmount, quantity });
function subscription(spec: Omit<SubscriptionSpec, 'items'> & { items?: ItemSpec[] }) {
  return subscriptionObject({ items: [monthly(10_000, 2)], ...spec });
}

describe('a customer from trial to growth, in the digest', () => {
  let acme: string;
  let sub: ReturnType<typeof subscription>;

  it('a trial is not yet a customer: nothing is counted', async () => {
    acme = newCustomer({ name: 'Acme Ltd', email: 'ops@acme.test', metadata: { segment: 'Enterprise' } });
    sub = subscription({ customer: acme, status: 'trialing', created: inWeek(0), trialEnd: inWeek(1) });
    const answer = await deliver(eventObject('customer.subscription.created', sub, inWeek(0)));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: true, kind: 'recorded', stored: 0 });
    expect((await thisWeek()).total.won).toEqual({ customers: 0, value: 0 });
  });

  it('the trial turning active is a win worth the annual recurring amount, in the customer segment', async () => {
    const active = { ...sub, status: 'active' };
    const answer = await deliver(
      eventObject('customer.subscription.updated', active, inWeek(1), { status: 'trialing' }),
    );
    expect(answer.body).toMatchObject({ kind: 'recorded', stored: 1 });
    // $100 a month × 2 seats × 12 months.
    expect((await thisWeek()).total.won).toEqual({ customers: 1, value: 2400 });
    const digest = await bot.services.digestFor(week);
    const assets = digest.sections.find((section) => section.kind === 'customerAsset');
    expect(assets?.kind === 'customerAsset' && assets.report.segments.map((line) => line.segment)).toContain(
      'Enterprise',
    );
    const customer = await db.database.prisma.customer.findUnique({ where: { externalId: acme } });
    expect(customer).toMatchObject({ name: 'Acme Ltd', contact: 'ops@acme.test' });
  });

  it('more seats is expanded by the difference, fewer is contracted', async () => {
    const three = {
      ...sub,
      status: 'active',
      items: { ...sub.items, data: [{ ...sub.items.data[0], quantity: 3 }] },
      quantity: 3,
    };
    expect(
      (
        await deliver(
          eventObject('customer.subscription.updated', three, inWeek(2), { items: { ...sub.items }, quantity: 2 }),
        )
      ).body.stored,
    ).toBe(1);
    const one = { ...three, items: { ...sub.items, data: [{ ...sub.items.data[0], quantity: 1 }] }, quantity: 1 };
    expect(
      (await deliver(eventObject('customer.subscription.updated', one, inWeek(3), { items: three.items, quantity: 3 })))
        .body.stored,
    ).toBe(1);
    const { total } = await thisWeek();
    expect(total.expanded).toEqual({ customers: 1, value: 1200 });
    expect(total.contracted).toEqual({ customers: 1, value: 2400 });
  });
});

describe('customers who leave, and come back', () => {
  let globex: string;

  it('a cancellation is lost, with Stripe feedback as the company reason and the comment as the customer words', async () => {
    globex = newCustomer({ name: 'Globex', phone: '+1 555 0100' });
    const sub = subscription({ customer: globex, status: 'active', created: inWeek(-20), items: [monthly(5_000)] });
    const ended = {
      ...sub,
      status: 'canceled',
      ended_at: Math.floor(inWeek(3).getTime() / 1000),
      cancellation_details: {
        reason: 'cancellation_requested',
        feedback: 'too_expensive',
        comment: 'Your renewal quote doubled.',
      },
    };
    const answer = await deliver(eventObject('customer.subscription.deleted', ended, inWeek(3)));
    expect(answer.body).toMatchObject({ kind: 'recorded' });
    const { total, lostReasons } = await thisWeek();
    expect(total.lost).toEqual({ customers: 1, value: 600 });
    expect(lostReasons).toEqual([{ reason: 'Price', customers: 1, value: 600 }]);
    // Segment from the product name when the customer has no segment metadata; the phone is the contact.
    expect(await movementsOf(globex)).toEqual([
      { kind: 'won', value: 600, day: addDays(week, -20), reason: null, verbatim: null },
      { kind: 'lost', value: 600, day: addDays(week, 3), reason: 'Price', verbatim: 'Your renewal quote doubled.' },
    ]);
    const customer = await db.database.prisma.customer.findUnique({ where: { externalId: globex } });
    expect(customer).toMatchObject({ segment: 'Team plan', contact: '+1 555 0100' });
  });

  it('a cancellation for a failed payment says so rather than naming a reason the customer never gave', async () => {
    const initech = newCustomer({ name: 'Initech', email: 'billing@initech.test' });
    const sub = subscription({ customer: initech, status: 'active', created: inWeek(-40), items: [monthly(2_500)] });
    const ended = {
      ...sub,
      status: 'canceled',
      ended_at: Math.floor(inWeek(4).getTime() / 1000),
      cancellation_details: { reason: 'payment_failed', feedback: null, comment: null },
    };
    await deliver(eventObject('customer.subscription.deleted', ended, inWeek(4)));
    const { total, lostReasons } = await thisWeek();
    expect(total.lost).toEqual({ customers: 2, value: 900 });
    expect(lostReasons.map((line) => line.reason).sort()).toEqual(['Payment failed', 'Price']);
    const page = await (await fetch(`${bot.url}/?week=${week}`)).text();
    expect(page).toContain('Payment failed');
  });

  it('a lost customer subscribing again is reactivated, not won', async () => {
    const again = subscription({ customer: globex, status: 'active', created: inWeek(5), items: [monthly(7_500)] });
    expect((await deliver(eventObject('customer.subscription.created', again, inWeek(5)))).body.stored).toBe(1);
    const { total } = await thisWeek();
    expect(total.reactivated).toEqual({ customers: 1, value: 900 });
    expect(total.won.customers).toBe(1);
  });
});

describe('discounts', () => {
  it('a discount for good lowers the win and adding one later is contracted; a first-bill offer does not count', async () => {
    const customer = newCustomer({ name: 'Initrode' });
    const id = stripeId('sub');
    const coupon = (fields: Parameters<typeof couponObject>[0]) => {
      const made = couponObject(fields);
      standIn.addCoupon(made);
      return made;
    };
    const discount = (on: Record<string, unknown>, at: Date) => {
      const made = discountObject(on, { customer, subscription: id, start: at });
      standIn.addDiscount(made);
      return made.id as string;
    };
    const partner = discount(coupon({ percentOff: 20, duration: 'forever' }), inWeek(1));
    const welcome = discount(coupon({ percentOff: 50, duration: 'once' }), inWeek(1));
    const sub = subscription({
      id,
      customer,
      status: 'active',
      created: inWeek(1),
      items: [monthly(10_000)],
      discounts: [partner, welcome],
    });
    standIn.addSubscription(sub);
    standIn.requests.length = 0;
    // Events name discounts by id only: the connector reads them expanded, and each coupon once.
    expect((await deliver(eventObject('customer.subscription.created', sub, inWeek(1)))).body).toMatchObject({
      kind: 'recorded',
      stored: 1,
    });
    const reads = standIn.requests.filter((request) => request.path === `/v1/subscriptions/${id}`);
    expect(reads.map((request) => expandOf(request.query))).toEqual([['discounts', 'items.data.discounts']]);
    expect(standIn.requests.filter((request) => request.path.startsWith('/v1/coupons/'))).toHaveLength(2);

    const loyalty = discount(coupon({ amountOff: 1_000, duration: 'forever' }), inWeek(2));
    const later = { ...sub, discounts: [partner, welcome, loyalty] };
    standIn.addSubscription(later);
    expect(
      (await deliver(eventObject('customer.subscription.updated', later, inWeek(2), { discounts: [partner, welcome] })))
        .body,
    ).toMatchObject({ kind: 'recorded', stored: 1 });
    expect(await movementsOf(customer)).toEqual([
      { kind: 'won', value: 960, day: addDays(week, 1), reason: null, verbatim: null },
      { kind: 'contracted', value: 120, day: addDays(week, 2), reason: null, verbatim: null },
    ]);
  });
});

describe('what Stripe may send that must not count', () => {
  it('refuses a body whose signature does not match, and stores nothing', async () => {
    const before = await eventCount();
    const customer = newCustomer({ name: 'Hooli' });
    const event = eventObject(
      'customer.subscription.created',
      subscription({ customer, status: 'active', created: inWeek(2) }),
      inWeek(2),
    );
    const wrongSecret = await deliver(event, { secret: 'whsec_someone_else' });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body.error).toMatch(/does not match.*Nothing was stored/);
    // Signed for one body, sent with another: the bytes are what is verified.
    const tampered = await deliver(event, { body: JSON.stringify(event) });
    expect(tampered.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a replayed event whose signature timestamp is outside the tolerance', async () => {
    const before = await eventCount();
    const customer = newCustomer({ name: 'Vandelay' });
    const event = eventObject(
      'customer.subscription.created',
      subscription({ customer, status: 'active', created: inWeek(2) }),
      inWeek(2),
    );
    const replay = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 60 * 60 });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toMatch(/too old.*Nothing was stored/);
    expect(await eventCount()).toBe(before);
  });

  it('stores the same event once however often Stripe sends it', async () => {
    const customer = newCustomer({ name: 'Pied Piper' });
    const event = eventObject(
      'customer.subscription.created',
      subscription({ customer, status: 'active', created: inWeek(2), items: [monthly(1_000)] }),
      inWeek(2),
    );
    expect((await deliver(event)).body).toMatchObject({ stored: 1, duplicates: 0 });
    expect((await deliver(event)).body).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await movementsOf(customer)).toEqual([
      { kind: 'won', value: 120, day: addDays(week, 2), reason: null, verbatim: null },
    ]);
  });

  it('an update arriving before its creation: won at the first amount, expanded by the change, and the late creation adds nothing', async () => {
    const customer = newCustomer({ name: 'Umbrella', metadata: { segment: 'Public sector' } });
    const created = subscription({ customer, status: 'active', created: inWeek(1), items: [monthly(5_000)] });
    const bigger = {
      ...created,
      items: {
        ...created.items,
        data: [{ ...created.items.data[0], price: { ...created.items.data[0].price, unit_amount: 8_000 } }],
      },
    };
    expect(
      (await deliver(eventObject('customer.subscription.updated', bigger, inWeek(2), { items: created.items }))).body
        .stored,
    ).toBe(2);
    expect((await deliver(eventObject('customer.subscription.created', created, inWeek(1)))).body).toMatchObject({
      kind: 'stale',
    });
    expect(await movementsOf(customer)).toEqual([
      { kind: 'won', value: 600, day: addDays(week, 1), reason: null, verbatim: null },
      { kind: 'expanded', value: 360, day: addDays(week, 2), reason: null, verbatim: null },
    ]);
  });

  it('a cancellation arriving before an earlier update: lost once, and the late update neither grows nor brings back the customer', async () => {
    const customer = newCustomer({ name: 'Soylent' });
    const sub = subscription({ customer, status: 'active', created: inWeek(-10), items: [monthly(3_000, 2)] });
    const ended = {
      ...sub,
      status: 'canceled',
      ended_at: Math.floor(inWeek(4).getTime() / 1000),
      cancellation_details: { reason: 'cancellation_requested', feedback: 'missing_features', comment: 'No SSO.' },
    };
    await deliver(eventObject('customer.subscription.deleted', ended, inWeek(4)));
    const more = { ...sub, items: { ...sub.items, data: [{ ...sub.items.data[0], quantity: 4 }] } };
    expect(
      (await deliver(eventObject('customer.subscription.updated', more, inWeek(3), { items: sub.items }))).body,
    ).toMatchObject({ kind: 'stale' });
    // The CCO's own name for Stripe's "missing_features", from STRIPE_REASON_MAP.
    expect(await movementsOf(customer)).toEqual([
      { kind: 'won', value: 720, day: addDays(week, -10), reason: null, verbatim: null },
      { kind: 'lost', value: 720, day: addDays(week, 4), reason: 'Missing features', verbatim: 'No SSO.' },
    ]);
  });

  it('two subscriptions told out of order: the customer is won once, and the other subscription is growth', async () => {
    const customer = newCustomer({ name: 'Wonka' });
    const first = subscription({ customer, status: 'active', created: inWeek(1), items: [monthly(5_000)] });
    const second = subscription({ customer, status: 'active', created: inWeek(3), items: [monthly(2_000)] });
    expect((await deliver(eventObject('customer.subscription.created', second, inWeek(3)))).body.stored).toBe(1);
    expect((await deliver(eventObject('customer.subscription.created', first, inWeek(1)))).body.stored).toBe(1);
    // The win already told stands; the subscription heard of later adds its value, not a second win.
    expect(await movementsOf(customer)).toEqual([
      { kind: 'expanded', value: 600, day: addDays(week, 1), reason: null, verbatim: null },
      { kind: 'won', value: 240, day: addDays(week, 3), reason: null, verbatim: null },
    ]);
    const ended = { ...first, status: 'canceled', ended_at: Math.floor(inWeek(4).getTime() / 1000) };
    await deliver(eventObject('customer.subscription.deleted', ended, inWeek(4)));
    expect((await movementsOf(customer)).map((row) => row.kind)).toEqual(['expanded', 'won', 'contracted']);
  });

  it('a subscription in another currency without a rate is not counted, and the answer says why', async () => {
    const before = await eventCount();
    const customer = newCustomer({ name: 'Euro GmbH' });
    const sub = subscription({
      customer,
      status: 'active',
      created: inWeek(2),
      currency: 'eur',
      items: [{ ...monthly(9_000), currency: 'eur' }],
    });
    const answer = await deliver(eventObject('customer.subscription.created', sub, inWeek(2)));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ kind: 'skipped' });
    expect(answer.body.reason).toMatch(/billed in EUR, not USD.*STRIPE_FX_RATES/);
    expect(await eventCount()).toBe(before);
  });

  it('a customer Stripe no longer knows is still counted, under its Stripe id', async () => {
    const gone = 'cus_DeletedLongAgo1';
    const answer = await deliver(
      eventObject(
        'customer.subscription.created',
        subscription({ customer: gone, status: 'active', created: inWeek(2), items: [monthly(1_000)] }),
        inWeek(2),
      ),
    );
    expect(answer.body).toMatchObject({ kind: 'recorded', stored: 1 });
    expect(await db.database.prisma.customer.findUnique({ where: { externalId: gone } })).toMatchObject({
      name: gone,
      segment: 'Team plan',
      contact: null,
    });
  });

  it('a bot without STRIPE_WEBHOOK_SECRET says how to connect Stripe and stores nothing', async () => {
    const unconnected = await startBot(
      loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', ORG_TIMEZONE: 'UTC' }),
      { log: () => {} },
    );
    try {
      const before = await eventCount();
      const customer = newCustomer({ name: 'Nobody' });
      const payload = JSON.stringify(
        eventObject(
          'customer.subscription.created',
          subscription({ customer, status: 'active', created: inWeek(2) }),
          inWeek(2),
        ),
      );
      const response = await fetch(`${unconnected.url}/connectors/stripe/webhook`, {
        method: 'POST',
        headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }) },
        body: payload,
      });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /set STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET.*Nothing was stored/,
      );
      expect(await eventCount()).toBe(before);
    } finally {
      await unconnected.stop();
    }
  }, 90_000);

  it('events other than a subscription life are acknowledged and ignored', async () => {
    const answer = await deliver(eventObject('invoice.paid', { id: 'in_123', object: 'invoice' }, inWeek(2)));
    expect(answer).toMatchObject({ status: 200, body: { kind: 'ignored' } });
  });
});

describe('payments that fail', () => {
  const update = (sub: Record<string, any>, status: string, day: number, was: string) =>
    deliver(eventObject('customer.subscription.updated', { ...sub, status }, inWeek(day), { status: was }));

  it('past due is still a customer while Stripe retries the charge', async () => {
    const customer = newCustomer({ name: 'Late Payer' });
    const sub = subscription({ customer, status: 'active', created: inWeek(-30), items: [monthly(1_000)] });
    await deliver(eventObject('customer.subscription.created', sub, inWeek(-30)));
    expect((await update(sub, 'past_due', 2, 'active')).status).toBe(200);
    expect((await movementsOf(customer)).map((row) => row.kind)).toEqual(['won']);
  });

  it('unpaid (Stripe gave up) is lost for failed payment that day, and paying again is reactivated', async () => {
    const customer = newCustomer({ name: 'Bounced Card' });
    const sub = subscription({ customer, status: 'active', created: inWeek(-30), items: [monthly(1_000)] });
    await deliver(eventObject('customer.subscription.created', sub, inWeek(-30)));
    await update(sub, 'past_due', 1, 'active');
    expect((await update(sub, 'unpaid', 3, 'past_due')).body).toMatchObject({ kind: 'recorded', stored: 1 });
    // A dashboard cancel of the unpaid subscription later changes nothing: it was lost when Stripe gave up.
    const canceled = {
      ...sub,
      status: 'canceled',
      ended_at: Math.floor(inWeek(4).getTime() / 1000),
      cancellation_details: { reason: 'cancellation_requested', feedback: null, comment: null },
    };
    expect((await deliver(eventObject('customer.subscription.deleted', canceled, inWeek(4)))).body.stored).toBe(0);
    expect(await movementsOf(customer)).toEqual([
      { kind: 'won', value: 120, day: addDays(week, -30), reason: null, verbatim: null },
      { kind: 'lost', value: 120, day: addDays(week, 3), reason: 'Payment failed', verbatim: null },
    ]);

    const payer = newCustomer({ name: 'Paid In The End' });
    const other = subscription({ customer: payer, status: 'active', created: inWeek(-30), items: [monthly(2_000)] });
    await deliver(eventObject('customer.subscription.created', other, inWeek(-30)));
    await update(other, 'unpaid', 2, 'past_due');
    expect((await update(other, 'active', 5, 'unpaid')).body).toMatchObject({ kind: 'recorded', stored: 1 });
    expect((await movementsOf(payer)).map((row) => [row.kind, row.day, row.reason])).toEqual([
      ['won', addDays(week, -30), null],
      ['lost', addDays(week, 2), 'Payment failed'],
      ['reactivated', addDays(week, 5), null],
    ]);
  });

  it('a first payment that never went through (incomplete, then incomplete_expired) was never a customer', async () => {
    const customer = newCustomer({ name: 'Never Paid' });
    const sub = subscription({ customer, status: 'incomplete', created: inWeek(1), items: [monthly(1_000)] });
    await deliver(eventObject('customer.subscription.created', sub, inWeek(1)));
    expect((await update(sub, 'incomplete_expired', 2, 'incomplete')).status).toBe(200);
    expect(await movementsOf(customer)).toEqual([]);
  });
});
