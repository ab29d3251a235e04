// A subscription's worth to the customer asset: its annual recurring amount in the
// organisation's currency. Other currencies count only at a rate the company set.
import type { PreviousAttributes, StripeItem, StripeSubscription } from './stripeObjects.js';
import type { StripeSettings } from './settings.js';
import { noDiscounts, type DiscountSet, type StripeCoupon } from './subscriptionDiscounts.js';

// Stripe's zero-decimal currencies: amounts are already in major units (docs.stripe.com/currencies).
const zeroDecimal = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

const perYear = { day: 365, week: 52, month: 12, year: 1 } as const;

export type RecurringValue = { ok: true; value: number } | { ok: false; reason: string };

/** How much a coupon takes off one bill of `minor` (in minor units) in `currency`, or why it cannot be told. */
function couponOff(
  coupon: StripeCoupon,
  minor: number,
  currency: string,
): { ok: true; off: number } | { ok: false; reason: string } {
  if (coupon.percent_off != null) return { ok: true, off: (minor * coupon.percent_off) / 100 };
  if (coupon.amount_off == null) return { ok: true, off: 0 };
  const amount =
    coupon.currency?.toUpperCase() === currency
      ? coupon.amount_off
      : coupon.currency_options?.[currency.toLowerCase()]?.amount_off;
  if (amount === undefined)
    return {
      ok: false,
      reason: `coupon ${coupon.id} takes an amount in ${coupon.currency?.toUpperCase() ?? 'no currency'} off a subscription in ${currency}`,
    };
  return { ok: true, off: Math.min(amount, minor) };
}

// Only a discount that lasts for good changes what a customer is worth a year; one for the first
// bill or some months is an offer that ends, and the customer then pays the full amount.
const lasting = (discounts: Array<{ coupon: StripeCoupon }> = []) =>
  discounts.filter(({ coupon }) => coupon.duration === 'forever');
const productOf = (price: StripeItem['price']) =>
  typeof price.product === 'string' ? price.product : price.product.id;

function itemsAnnual(items: StripeItem[], currency: string, discounts: DiscountSet): RecurringValue {
  type Line = { product: string; perYear: number; bill: number };
  const lines: Line[] = [];
  for (const item of items) {
    const { price } = item;
    if (!price.recurring) continue; // a one-off price on a subscription is not recurring revenue
    if (price.recurring.usage_type === 'metered')
      return { ok: false, reason: `price ${price.id} is metered: what it earns is known only once usage is billed` };
    if (price.unit_amount === null)
      return { ok: false, reason: `price ${price.id} has no unit amount (tiered or metered prices are not counted)` };
    if (price.currency.toUpperCase() !== currency)
      return {
        ok: false,
        reason: `price ${price.id} is in ${price.currency.toUpperCase()}, its subscription in ${currency}`,
      };
    const line = {
      product: productOf(price),
      perYear: perYear[price.recurring.interval] / price.recurring.interval_count,
      bill: price.unit_amount * (item.quantity ?? 1),
    };
    // Stripe takes an item's own discounts off first, then the subscription's.
    for (const { coupon } of lasting(discounts.items[item.id])) {
      const off = couponOff(coupon, line.bill, currency);
      if (!off.ok) return off;
      line.bill -= off.off;
    }
    lines.push(line);
  }
  for (const { coupon } of lasting(discounts.subscription)) {
    const eligible = lines.filter((line) => !coupon.applies_to || coupon.applies_to.products.includes(line.product));
    const subtotal = eligible.reduce((sum, line) => sum + line.bill, 0);
    const off = couponOff(coupon, subtotal, currency);
    if (!off.ok) return off;
    // Shared over the lines it applies to, in proportion, so each keeps its own billing period.
    for (const line of eligible) line.bill -= subtotal ? (off.off * line.bill) / subtotal : 0;
  }
  const minor = lines.reduce((sum, line) => sum + line.bill * line.perYear, 0);
  return { ok: true, value: zeroDecimal.has(currency) ? minor : minor / 100 };
}

function inOrgCurrency(result: RecurringValue, currency: string, settings: StripeSettings): RecurringValue {
  if (!result.ok || currency === settings.orgCurrency)
    return result.ok ? { ok: true, value: round(result.value) } : result;
  const rate = settings.fxRates[currency];
  if (rate === undefined)
    return {
      ok: false,
      reason: `it is billed in ${currency}, not ${settings.orgCurrency}, and STRIPE_FX_RATES has no rate for ${currency}`,
    };
  return { ok: true, value: round(result.value * rate) };
}

const round = (value: number) => Math.round(value * 100) / 100;

/** price.unit_amount × quantity × intervals per year, over every recurring item, less the discounts that last. */
export function annualValue(
  subscription: StripeSubscription,
  settings: StripeSettings,
  discounts: DiscountSet = noDiscounts,
): RecurringValue {
  const currency = subscription.currency.toUpperCase();
  return inOrgCurrency(itemsAnnual(subscription.items.data, currency, discounts), currency, settings);
}

/**
 * The annual value before a customer.subscription.updated, when its previous_attributes say the
 * amount changed (items, or the legacy single-item plan/quantity); null when it did not.
 */
export function previousAnnualValue(
  subscription: StripeSubscription,
  previous: PreviousAttributes,
  settings: StripeSettings,
  discounts: DiscountSet = noDiscounts,
): RecurringValue | null {
  if (!previous.items && !previous.plan && previous.quantity === undefined && !previous.discounts) return null;
  let before = discounts;
  if (previous.discounts) {
    // previous_attributes name the discounts then by id; one since removed cannot be read back.
    const ids = previous.discounts.map((entry) => (typeof entry === 'string' ? entry : entry.id));
    const known = discounts.subscription.filter((discount) => ids.includes(discount.id));
    if (known.length < ids.length) return { ok: false, reason: 'a discount since removed cannot be read back' };
    before = { ...discounts, subscription: known };
  }
  let items = previous.items?.data ?? subscription.items.data;
  if (!previous.items && items.length === 1) {
    const [only] = items as [StripeItem];
    const plan = previous.plan;
    items = [
      {
        ...only,
        quantity: previous.quantity ?? only.quantity,
        price: plan
          ? {
              id: plan.id,
              currency: plan.currency,
              unit_amount: plan.amount,
              product: plan.product,
              recurring: { interval: plan.interval, interval_count: plan.interval_count },
            }
          : only.price,
      },
    ];
  }
  const currency = subscription.currency.toUpperCase();
  return inOrgCurrency(itemsAnnual(items, currency, before), currency, settings);
}
