// A subscription's worth to the customer asset: its annual recurring amount in the
// organisation's currency. Other currencies count only at a rate the company set.
import type { PreviousAttributes, StripeItem, StripeSubscription } from './stripeObjects.js';
import type { StripeSettings } from './settings.js';

// Stripe's zero-decimal currencies: amounts are already in major units (docs.stripe.com/currencies).
const zeroDecimal = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

const perYear = { day: 365, week: 52, month: 12, year: 1 } as const;

export type RecurringValue = { ok: true; value: number } | { ok: false; reason: string };

function itemsAnnual(items: StripeItem[], currency: string): RecurringValue {
  let minor = 0;
  for (const item of items) {
    const { price } = item;
    if (!price.recurring) continue; // a one-off price on a subscription is not recurring revenue
    if (price.recurring.usage_type === 'metered') return { ok: false, reason: `price ${price.id} is metered: what it earns is known only once usage is billed` };
    if (price.unit_amount === null) return { ok: false, reason: `price ${price.id} has no unit amount (tiered or metered prices are not counted)` };
    if (price.currency.toUpperCase() !== currency) return { ok: false, reason: `price ${price.id} is in ${price.currency.toUpperCase()}, its subscription in ${currency}` };
    minor += price.unit_amount * (item.quantity ?? 1) * (perYear[price.recurring.interval] / price.recurring.interval_count);
  }
  return { ok: true, value: zeroDecimal.has(currency) ? minor : minor / 100 };
}

function inOrgCurrency(result: RecurringValue, currency: string, settings: StripeSettings): RecurringValue {
  if (!result.ok || currency === settings.orgCurrency) return result.ok ? { ok: true, value: round(result.value) } : result;
  const rate = settings.fxRates[currency];
  if (rate === undefined) return { ok: false, reason: `it is billed in ${currency}, not ${settings.orgCurrency}, and STRIPE_FX_RATES has no rate for ${currency}` };
  return { ok: true, value: round(result.value * rate) };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** price.unit_amount × quantity × intervals per year, over every recurring item. */
export function annualValue(subscription: StripeSubscription, settings: StripeSettings): RecurringValue {
  const currency = subscription.currency.toUpperCase();
  return inOrgCurrency(itemsAnnual(subscription.items.data, currency), currency, settings);
}

/**
 * The annual value before a customer.subscription.updated, when its previous_attributes say the
 * amount changed (items, or the legacy single-item plan/quantity); null when it did not.
 */
export function previousAnnualValue(subscription: StripeSubscription, previous: PreviousAttributes, settings: StripeSettings): RecurringValue | null {
  if (!previous.items && !previous.plan && previous.quantity === undefined) return null;
  let items = previous.items?.data ?? subscription.items.data;
  if (!previous.items && items.length === 1) {
    const [only] = items as [StripeItem];
    const plan = previous.plan;
    items = [
      {
        ...only,
        quantity: previous.quantity ?? only.quantity,
        price: plan ? { id: plan.id, currency: plan.currency, unit_amount: plan.amount, product: plan.product, recurring: { interval: plan.interval, interval_count: plan.interval_count } } : only.price,
      },
    ];
  }
  const currency = subscription.currency.toUpperCase();
  return inOrgCurrency(itemsAnnual(items, currency), currency, settings);
}
