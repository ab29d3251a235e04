// How Stripe subscriptions become customer movements and what they are worth, without HTTP:
// the rules a CCO relies on when reading the digest.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { annualValue } from '../../src/connectors/stripe/recurringValue.js';
import { defaultStripeReasonMap, type StripeSettings } from '../../src/connectors/stripe/settings.js';
import { stripeSubscription } from '../../src/connectors/stripe/stripeObjects.js';
import { stripeCoupon, type DiscountSet } from '../../src/connectors/stripe/subscriptionDiscounts.js';
import {
  isPaying,
  mergeSnapshot,
  snapshotOf,
  subscriptionMovements,
  type SubscriptionState,
} from '../../src/connectors/stripe/subscriptionMovements.js';
import { couponObject, subscriptionObject, type ItemSpec } from '../support/stripeStandIn.js';

const settings: StripeSettings = {
  orgCurrency: 'USD',
  segmentField: 'segment',
  reasonMap: defaultStripeReasonMap,
  fxRates: { EUR: 1.1 },
};

function annualValueOf(items: ItemSpec[], currency = 'usd') {
  const subscription = stripeSubscription.parse(
    subscriptionObject({
      customer: 'cus_1',
      status: 'active',
      created: new Date('2026-01-05T00:00:00Z'),
      currency,
      items,
    }),
  );
  return annualValue(subscription, settings);
}

describe('the annual recurring amount of a subscription', () => {
  it('adds every item: unit amount × quantity × billing periods a year, in major units', () => {
    expect(
      annualValueOf([
        { product: 'prod_1', unitAmount: 1_000, quantity: 3 },
        { product: 'prod_2', unitAmount: 500, interval: 'week' },
      ]),
    ).toEqual({ ok: true, value: 360 + 260 });
    expect(annualValueOf([{ product: 'prod_1', unitAmount: 60_000, interval: 'year', intervalCount: 2 }])).toEqual({
      ok: true,
      value: 300,
    });
    expect(annualValueOf([{ product: 'prod_1', unitAmount: 3_000, interval: 'month', intervalCount: 3 }])).toEqual({
      ok: true,
      value: 120,
    });
  });

  it('reads zero-decimal currencies as major units, and converts only at a configured rate', () => {
    expect(annualValueOf([{ product: 'prod_1', unitAmount: 1_000, currency: 'eur' }], 'eur')).toEqual({
      ok: true,
      value: 132,
    });
    const yen = annualValueOf([{ product: 'prod_1', unitAmount: 1_000, currency: 'jpy' }], 'jpy');
    expect(yen).toEqual({ ok: false, reason: 'it is billed in JPY, not USD, and STRIPE_FX_RATES has no rate for JPY' });
    expect(
      annualValue(
        stripeSubscription.parse(
          subscriptionObject({
            customer: 'cus_1',
            status: 'active',
            created: new Date(),
            currency: 'jpy',
            items: [{ product: 'p', unitAmount: 1_000, currency: 'jpy' }],
          }),
        ),
        { ...settings, fxRates: { JPY: 0.01 } },
      ),
    ).toEqual({ ok: true, value: 120 });
  });
});

describe('discounts on the annual recurring amount', () => {
  const subscription = stripeSubscription.parse(
    subscriptionObject({
      customer: 'cus_1',
      status: 'active',
      created: new Date('2026-01-05T00:00:00Z'),
      items: [
        { product: 'prod_seats', unitAmount: 10_000 },
        { product: 'prod_support', unitAmount: 5_000 },
      ],
    }),
  );
  const [seats, support] = subscription.items.data.map((item) => ({ id: item.id })) as [{ id: string }, { id: string }];
  const coupon = (fields: Parameters<typeof couponObject>[0]) => ({
    id: 'di_1',
    coupon: stripeCoupon.parse(couponObject(fields)),
  });
  const valueWith = (discounts: Partial<DiscountSet>) =>
    annualValue(subscription, settings, { subscription: [], items: {}, ...discounts });

  it('a discount for good lowers it: a percentage of every bill, or an amount off each bill', () => {
    expect(valueWith({})).toEqual({ ok: true, value: 1800 });
    expect(valueWith({ subscription: [coupon({ percentOff: 25, duration: 'forever' })] })).toEqual({
      ok: true,
      value: 1350,
    });
    expect(valueWith({ subscription: [coupon({ amountOff: 3_000, duration: 'forever' })] })).toEqual({
      ok: true,
      value: 1440,
    });
    // Never below nothing.
    expect(valueWith({ subscription: [coupon({ amountOff: 90_000, duration: 'forever' })] })).toEqual({
      ok: true,
      value: 0,
    });
  });

  it('an offer for the first bill or some months leaves it at what the customer pays once the offer ends', () => {
    expect(valueWith({ subscription: [coupon({ percentOff: 50, duration: 'once' })] })).toEqual({
      ok: true,
      value: 1800,
    });
    expect(
      valueWith({ subscription: [coupon({ percentOff: 50, duration: 'repeating', durationInMonths: 6 })] }),
    ).toEqual({ ok: true, value: 1800 });
  });

  it('an item discount applies to its item first; a coupon for some products only to those', () => {
    expect(valueWith({ items: { [seats.id]: [coupon({ percentOff: 50, duration: 'forever' })] } })).toEqual({
      ok: true,
      value: 1200,
    });
    expect(
      valueWith({
        items: { [support.id]: [coupon({ amountOff: 1_000, duration: 'forever' })] },
        subscription: [coupon({ percentOff: 10, duration: 'forever' })],
      }),
    ).toEqual({
      ok: true,
      value: (1200 + 480) * 0.9,
    });
    expect(
      valueWith({ subscription: [coupon({ percentOff: 100, duration: 'forever', products: ['prod_support'] })] }),
    ).toEqual({ ok: true, value: 1200 });
  });

  it('an amount off in another currency than the subscription is not guessed at', () => {
    const result = valueWith({ subscription: [coupon({ amountOff: 1_000, currency: 'eur', duration: 'forever' })] });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/takes an amount in EUR off a subscription in USD/);
  });
});

const day = (n: number) => new Date(Date.UTC(2026, 0, n));
function state(
  id: string,
  from: number | null,
  to: number | null,
  value: number,
  cancellation: Partial<SubscriptionState> = {},
): SubscriptionState {
  return {
    id,
    stripeCustomerId: 'cus_1',
    observedAt: day(30),
    observedRank: 1,
    status: to ? 'canceled' : 'active',
    activeFrom: from ? day(from) : null,
    endedAt: to ? day(to) : null,
    startValue: value,
    currentValue: value,
    cancellationReason: null,
    feedback: null,
    comment: null,
    earlierLives: [],
    ...cancellation,
  };
}
const customer = { customerId: 'cus_1', name: 'Acme', segment: 'Enterprise' };
const kinds = (states: SubscriptionState[]) =>
  subscriptionMovements(states, customer, defaultStripeReasonMap).map((row) => [
    row.kind,
    row.value,
    row.occurred_at.slice(0, 10),
  ]);

describe('a customer life across several subscriptions', () => {
  it('a second subscription while paying is expanded; one ending while another goes on is contracted; the last ending is lost', () => {
    expect(kinds([state('sub_a', 1, 20, 100, { feedback: 'unused' }), state('sub_b', 5, 10, 40)])).toEqual([
      ['won', 100, '2026-01-01'],
      ['expanded', 40, '2026-01-05'],
      ['contracted', 40, '2026-01-10'],
      ['lost', 100, '2026-01-20'],
    ]);
  });

  it('switching plans on the same day keeps the customer; coming back after leaving is reactivated', () => {
    expect(kinds([state('sub_a', 1, 5, 100), state('sub_b', 5, 8, 150), state('sub_c', 12, null, 90)])).toEqual([
      ['won', 100, '2026-01-01'],
      ['expanded', 150, '2026-01-05'],
      ['contracted', 100, '2026-01-05'],
      ['lost', 150, '2026-01-08'],
      ['reactivated', 90, '2026-01-12'],
    ]);
  });

  it('a trial that never paid is no movement at all', () => {
    expect(kinds([state('sub_a', null, 3, 100)])).toEqual([]);
  });

  it('a lost customer carries the company reason and their words; a failed payment is said as such', () => {
    const [, lost] = subscriptionMovements(
      [state('sub_a', 1, 9, 100, { feedback: 'too_expensive', comment: ' Too dear. ' })],
      customer,
      defaultStripeReasonMap,
    );
    expect(lost).toMatchObject({ kind: 'lost', reason: 'Price', verbatim: 'Too dear.' });
    const [, failed] = subscriptionMovements(
      [state('sub_a', 1, 9, 100, { cancellationReason: 'payment_failed', feedback: 'other' })],
      customer,
      defaultStripeReasonMap,
    );
    expect(failed).toMatchObject({ kind: 'lost', reason: 'Payment failed' });
  });
});

describe('movements already stored stand', () => {
  const told = (entries: Array<[string, 'won' | 'expanded']>) => new Map(entries);
  const kindsAround = (states: SubscriptionState[], recorded: Map<string, 'won' | 'expanded'>) =>
    subscriptionMovements(states, customer, defaultStripeReasonMap, recorded).map((row) => [
      row.kind,
      row.value,
      row.occurred_at.slice(0, 10),
    ]);

  it('a subscription heard of after a later one was told as the win is growth, not a second win', () => {
    expect(
      kindsAround([state('sub_a', 1, null, 100), state('sub_b', 5, null, 40)], told([['stripe:sub_b:start', 'won']])),
    ).toEqual([
      ['expanded', 100, '2026-01-01'],
      ['won', 40, '2026-01-05'],
    ]);
  });

  it('an earlier stay heard of after the return was told as the win: counted once, left once, back once', () => {
    const rows = kindsAround(
      [state('sub_a', 1, 3, 100), state('sub_b', 5, null, 40)],
      told([['stripe:sub_b:start', 'won']]),
    );
    expect(rows.filter(([kind]) => kind === 'won')).toHaveLength(1);
    expect(rows).toEqual([
      ['reactivated', 100, '2026-01-01'],
      ['lost', 100, '2026-01-03'],
      ['won', 40, '2026-01-05'],
    ]);
  });

  it('an end heard of late that leaves a later start told as growth: the customer is counted again, at no value', () => {
    const recorded = told([
      ['stripe:sub_a:start', 'won'],
      ['stripe:sub_b:start', 'expanded'],
    ]);
    expect(kindsAround([state('sub_a', 1, 3, 100), state('sub_b', 5, null, 40)], recorded)).toEqual([
      ['won', 100, '2026-01-01'],
      ['lost', 100, '2026-01-03'],
      ['expanded', 40, '2026-01-05'],
      ['reactivated', 0, '2026-01-05'],
    ]);
  });
});

describe('Stripe settings', () => {
  it('STRIPE_REASON_MAP renames some reasons and keeps the other defaults', () => {
    const config = loadConfig({ STRIPE_REASON_MAP: '{"unused":"Never got started"}' });
    expect(config.STRIPE_REASON_MAP).toMatchObject({ unused: 'Never got started', too_expensive: 'Price' });
  });

  it.each([
    ['STRIPE_REASON_MAP', '{"too_pricey":"Price"}', /STRIPE_REASON_MAP.*keys must be Stripe feedback values/s],
    ['STRIPE_REASON_MAP', 'Price', /STRIPE_REASON_MAP: must be JSON/],
    ['STRIPE_FX_RATES', '{"eur":1.1}', /STRIPE_FX_RATES.*ISO 4217 in capitals/s],
    ['STRIPE_FX_RATES', '{"EUR":0}', /STRIPE_FX_RATES.*rates must be above zero/s],
    ['STRIPE_WEBHOOK_SECRET', 'whsec_1', /STRIPE_API_KEY: is needed with STRIPE_WEBHOOK_SECRET/],
  ])('refuses to start with %s=%s, naming the problem', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('a subscription whose payments fail', () => {
  const snapshot = (status: SubscriptionState['status'], day: number) =>
    snapshotOf(
      stripeSubscription.parse(
        subscriptionObject({
          id: 'sub_late',
          customer: 'cus_1',
          status,
          created: day1,
          items: [{ product: 'prod_1', unitAmount: 1_000, quantity: 1 }],
        }),
      ),
      'cus_1',
      { at: dayOf(day), rank: 1 },
      { start: 120, current: 120 },
    );
  const day1 = new Date(Date.UTC(2026, 0, 1));
  const dayOf = (n: number) => new Date(Date.UTC(2026, 0, n));

  it('past due is still paying; unpaid ends the paying life that day, for failed payment', () => {
    expect(isPaying(snapshot('past_due', 3))).toBe(true);
    const unpaid = mergeSnapshot(snapshot('past_due', 3), snapshot('unpaid', 9));
    expect(unpaid).toMatchObject({ activeFrom: day1, endedAt: dayOf(9), cancellationReason: 'payment_failed' });
    expect(
      subscriptionMovements([unpaid], customer, defaultStripeReasonMap).map((row) => [row.kind, row.reason]),
    ).toEqual([
      ['won', undefined],
      ['lost', 'Payment failed'],
    ]);
  });

  it('paid again after unpaid is a new paying life: the customer is reactivated, under ids of its own', () => {
    const unpaid = mergeSnapshot(snapshot('active', 2), snapshot('unpaid', 9));
    const again = mergeSnapshot(unpaid, snapshot('active', 15));
    expect(again.earlierLives).toHaveLength(1);
    const rows = subscriptionMovements([again], customer, defaultStripeReasonMap);
    expect(rows.map((row) => [row.kind, row.occurred_at.slice(0, 10), row.external_id])).toEqual([
      ['won', '2026-01-01', 'stripe:sub_late:start'],
      ['lost', '2026-01-09', 'stripe:sub_late:end'],
      ['reactivated', '2026-01-15', 'stripe:sub_late:paid-again-1:start'],
    ]);
  });

  it('incomplete and incomplete_expired never paid, so they are no movement at all', () => {
    const expired = mergeSnapshot(snapshot('incomplete', 1), snapshot('incomplete_expired', 2));
    expect(subscriptionMovements([expired], customer, defaultStripeReasonMap)).toEqual([]);
  });
});
