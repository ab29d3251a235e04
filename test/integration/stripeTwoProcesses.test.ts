// Two bots on one PostgreSQL, each hearing of a different first subscription of the same
// customer at the same moment (Stripe delivers to whichever process its load balancer picks).
// Each decides before it can see the other's subscription, so each would call its own the win.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays, type WeekStart } from '../../src/domain/weeks.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import {
  customerObject,
  eventObject,
  productObject,
  startStripeStandIn,
  subscriptionObject,
  type StripeStandIn,
} from '../support/stripeStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const secret = 'whsec_test_twoProcesses';
const signer = new Stripe('sk_test_signer');
let standIn: StripeStandIn;
let db: TestDatabase;
let bots: RunningBot[] = [];
let week: WeekStart;
let plan: string;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  db = await freshDatabase();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ORG_TIMEZONE: 'UTC',
    ORG_CURRENCY: 'USD',
    STRIPE_API_KEY: standIn.apiKey,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_API_URL: standIn.url,
  });
  bots = [await startBot(config, { log: () => {} }), await startBot(config, { log: () => {} })];
  week = bots[0]!.services.lastWeek();
  const product = productObject('Team plan');
  plan = product.id as string;
  standIn.addProduct(product);
}, 120_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await db?.drop();
  await standIn?.close();
});

const inWeek = (day: number) => new Date(`${addDays(week, day)}T09:00:00Z`);

async function deliver(bot: RunningBot, event: Record<string, unknown>) {
  const payload = JSON.stringify(event, null, 2);
  const response = await fetch(`${bot.url}/connectors/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }),
    },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('two bot processes hearing of the same new customer at once', () => {
  it('win the customer once; the other first subscription is growth', async () => {
    const customers = Array.from({ length: 20 }, (_, index) => {
      const customer = customerObject({ name: `Twin ${index}` });
      standIn.addCustomer(customer);
      // Neither process answers before both have read the customer: both decide at the same moment.
      standIn.holdCustomerReads(customer.id as string, 2);
      // Half of them have the earlier subscription delivered to the first bot, half to the second.
      const [early, late] = [inWeek(1), inWeek(2)];
      const subscriptions = [
        subscriptionObject({
          customer: customer.id,
          status: 'active',
          created: index % 2 ? early : late,
          items: [{ product: plan, unitAmount: 10_000, quantity: 1 }],
        }),
        subscriptionObject({
          customer: customer.id,
          status: 'active',
          created: index % 2 ? late : early,
          items: [{ product: plan, unitAmount: 5_000, quantity: 1 }],
        }),
      ];
      return { id: customer.id as string, subscriptions };
    });

    const answers = await Promise.all(
      customers.flatMap(({ subscriptions }) =>
        subscriptions.map((subscription, index) =>
          deliver(
            bots[index]!,
            eventObject('customer.subscription.created', subscription, new Date(subscription.created * 1000)),
          ),
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));

    const events = await db.database.prisma.customerEvent.findMany({
      where: { customer: { externalId: { in: customers.map(({ id }) => id) } } },
      include: { customer: true },
    });
    for (const { id } of customers) {
      const own = events.filter((event) => event.customer.externalId === id);
      // Won once, and both subscriptions' value counted ($1,200 and $600 a year): the one heard second grew the customer.
      expect({ customer: id, wins: own.filter((event) => event.kind === 'won').length }).toEqual({
        customer: id,
        wins: 1,
      });
      expect(own.every((event) => event.kind === 'won' || event.kind === 'expanded')).toBe(true);
      expect(own.reduce((sum, event) => sum + Number(event.value), 0)).toBe(1800);
    }
    const digest = await bots[1]!.services.digestFor(week);
    const assets = digest.sections.find((section) => section.kind === 'customerAsset');
    expect(assets?.kind === 'customerAsset' && assets.report.total.current.won.customers).toBe(customers.length);
  }, 120_000);
});
