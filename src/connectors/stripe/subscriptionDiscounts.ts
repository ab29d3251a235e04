// The coupons behind a subscription's discounts, read in the shapes Stripe sends them: events
// carry discount ids only (expand[]=discounts gives the objects), the coupon sits in
// discount.source.coupon since 2025-09-30 (discount.coupon before), and older API versions
// also send the single `discount`. Only what the annual value needs is kept.
import type Stripe from 'stripe';
import { z } from 'zod';
import type { StripeSubscription } from './stripeObjects.js';

export const stripeCoupon = z
  .object({
    id: z.string(),
    object: z.literal('coupon'),
    percent_off: z.number().min(0).max(100).nullish(),
    amount_off: z.number().int().nonnegative().nullish(),
    currency: z.string().nullish(),
    currency_options: z.record(z.string(), z.object({ amount_off: z.number().int().nonnegative() }).loose()).nullish(),
    duration: z.string(),
    applies_to: z
      .object({ products: z.array(z.string()) })
      .loose()
      .nullish(),
  })
  .loose();
export type StripeCoupon = z.infer<typeof stripeCoupon>;

const couponRef = z.union([z.string(), stripeCoupon]);
const discountObject = z
  .object({
    id: z.string(),
    object: z.literal('discount'),
    source: z.object({ coupon: couponRef.nullish() }).loose().nullish(),
    /** Before API version 2025-09-30. */
    coupon: couponRef.nullish(),
  })
  .loose();
const discountList = z.array(z.union([z.string(), discountObject])).nullish();
const withDiscounts = z
  .object({
    discounts: discountList,
    /** Before API version 2025-03-31. */
    discount: discountObject.nullish(),
    items: z.object({ data: z.array(z.object({ id: z.string(), discounts: discountList }).loose()) }).loose(),
  })
  .loose();

/** The coupons of a subscription and of each of its items, by discount id, in the order Stripe applies them. */
export interface DiscountSet {
  subscription: Array<{ id: string; coupon: StripeCoupon }>;
  items: Record<string, Array<{ id: string; coupon: StripeCoupon }>>;
}

export const noDiscounts: DiscountSet = { subscription: [], items: {} };

type Listed = NonNullable<z.infer<typeof discountList>>;

function discountsOf(subscription: unknown): { subscription: Listed; items: Record<string, Listed> } | null {
  const parsed = withDiscounts.safeParse(subscription);
  if (!parsed.success) return null;
  const listed = [...(parsed.data.discounts ?? [])];
  const legacy = parsed.data.discount;
  if (legacy && !listed.some((entry) => (typeof entry === 'string' ? entry : entry.id) === legacy.id))
    listed.unshift(legacy);
  return {
    subscription: listed,
    items: Object.fromEntries(parsed.data.items.data.map((item) => [item.id, item.discounts ?? []])),
  };
}

const hasIds = (found: { subscription: Listed; items: Record<string, Listed> }) =>
  [found.subscription, ...Object.values(found.items)].some((list) => list.some((entry) => typeof entry === 'string'));

/** Reads coupons through the API only when the subscription came without them (a webhook's ids), each coupon once per process. */
export function discountReader(stripe: Stripe) {
  const coupons = new Map<string, Promise<StripeCoupon>>();
  const coupon = (id: string) => {
    if (!coupons.has(id)) {
      const read = stripe.coupons.retrieve(id).then((found) => stripeCoupon.parse(found));
      read.catch(() => coupons.delete(id));
      coupons.set(id, read);
    }
    return coupons.get(id)!;
  };
  async function resolve(list: Listed): Promise<Array<{ id: string; coupon: StripeCoupon }>> {
    const resolved = [];
    for (const entry of list) {
      if (typeof entry === 'string') throw new Error(`discount ${entry} was not expanded`);
      const ref = entry.source?.coupon ?? entry.coupon;
      if (ref) resolved.push({ id: entry.id, coupon: typeof ref === 'string' ? await coupon(ref) : ref });
    }
    return resolved;
  }
  return async (subscription: StripeSubscription): Promise<DiscountSet> => {
    let found = discountsOf(subscription);
    if (!found || (!found.subscription.length && Object.values(found.items).every((list) => !list.length)))
      return noDiscounts;
    if (hasIds(found)) {
      // Discounts cannot be read by id: the subscription is read again with them expanded.
      const again = await stripe.subscriptions
        .retrieve(subscription.id, { expand: ['discounts', 'items.data.discounts'] })
        .catch((error: { code?: string }) => {
          // Gone from Stripe (a test-mode clean-up): its discounts cannot be known, and the list price stands.
          if (error.code === 'resource_missing') return null;
          throw error;
        });
      if (!again) return noDiscounts;
      found = discountsOf(again);
      if (!found || hasIds(found)) throw new Error(`Stripe did not expand the discounts of ${subscription.id}`);
    }
    const items: DiscountSet['items'] = {};
    for (const [item, list] of Object.entries(found.items)) if (list.length) items[item] = await resolve(list);
    return { subscription: await resolve(found.subscription), items };
  };
}
