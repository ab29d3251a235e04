// The parts of Stripe's event, subscription and customer objects the connector reads,
// checked at the edge with zod. Everything else Stripe sends passes through untouched.
import { z } from 'zod';

const timestamp = z.number().int().nonnegative();
const id = (prefix: string) => z.string().startsWith(prefix);

const recurring = z.object({
  interval: z.enum(['day', 'week', 'month', 'year']),
  interval_count: z.number().int().positive(),
  usage_type: z.enum(['licensed', 'metered']).optional(),
});

export const stripePrice = z.object({
  id: z.string(),
  currency: z.string(),
  unit_amount: z.number().int().nullable(),
  product: z.union([z.string(), z.object({ id: z.string(), name: z.string().optional() }).loose()]),
  recurring: recurring.nullable(),
});
export type StripePrice = z.infer<typeof stripePrice>;

/** The legacy `plan` (still sent beside `price`, and in previous_attributes of old integrations). */
export const stripePlan = z.object({
  id: z.string(),
  currency: z.string(),
  amount: z.number().int().nullable(),
  interval: recurring.shape.interval,
  interval_count: recurring.shape.interval_count,
  product: stripePrice.shape.product,
});

const item = z
  .object({ id: z.string(), quantity: z.number().int().nonnegative().optional(), price: stripePrice })
  .loose();
export type StripeItem = z.infer<typeof item>;
const itemList = z.object({ object: z.literal('list'), data: z.array(item) }).loose();

export const stripeCustomer = z
  .object({
    id: id('cus_'),
    object: z.literal('customer'),
    name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).default({}),
  })
  .loose();
export type StripeCustomer = z.infer<typeof stripeCustomer>;

const deletedCustomer = z.object({ id: id('cus_'), object: z.literal('customer'), deleted: z.literal(true) }).loose();

export const stripeSubscription = z
  .object({
    id: id('sub_'),
    object: z.literal('subscription'),
    customer: z.union([z.string(), stripeCustomer, deletedCustomer]),
    status: z.enum([
      'incomplete',
      'incomplete_expired',
      'trialing',
      'active',
      'past_due',
      'canceled',
      'unpaid',
      'paused',
    ]),
    created: timestamp,
    start_date: timestamp,
    trial_end: timestamp.nullish(),
    ended_at: timestamp.nullish(),
    currency: z.string(),
    cancellation_details: z
      .object({ comment: z.string().nullish(), feedback: z.string().nullish(), reason: z.string().nullish() })
      .nullish(),
    items: itemList,
  })
  .loose();
export type StripeSubscription = z.infer<typeof stripeSubscription>;

/** What changed in a customer.subscription.updated: the old values of the fields that changed. */
export const previousAttributes = z
  .object({
    status: stripeSubscription.shape.status.optional(),
    items: itemList.optional(),
    plan: stripePlan.optional(),
    quantity: z.number().int().nonnegative().optional(),
    discounts: z.array(z.union([z.string(), z.object({ id: z.string() }).loose()])).optional(),
  })
  .loose();
export type PreviousAttributes = z.infer<typeof previousAttributes>;

export const subscriptionEventTypes = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;
export type SubscriptionEventType = (typeof subscriptionEventTypes)[number];

export const stripeEvent = z
  .object({
    id: id('evt_'),
    object: z.literal('event'),
    type: z.string(),
    created: timestamp,
    data: z.object({ object: z.unknown(), previous_attributes: z.unknown().optional() }).loose(),
  })
  .loose();

export function customerIdOf(subscription: StripeSubscription): string {
  return typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
}

/** The expanded customer, when the subscription came with one (backfill lists expand it). */
export function expandedCustomer(subscription: StripeSubscription): StripeCustomer | null {
  const parsed = stripeCustomer.safeParse(subscription.customer);
  return parsed.success ? parsed.data : null;
}
