// Stripe subscriptions in, customer movements out: one path for webhook events and for
// the backfill, so both store the same movements under the same external ids.
import type Stripe from 'stripe';
import type { RecordedBatch } from '../../domain/customerEvents.js';
import { violatedUniqueIndex } from '../../ingest/customerEventWriter.js';
import { annualValue, previousAnnualValue } from './recurringValue.js';
import type { StripeSettings } from './settings.js';
import { discountReader } from './subscriptionDiscounts.js';
import {
  customerIdOf,
  expandedCustomer,
  previousAttributes,
  stripeCustomer,
  stripeSubscription,
  subscriptionEventTypes,
  type PreviousAttributes,
  type StripeCustomer,
  type StripeSubscription,
  type SubscriptionEventType,
} from './stripeObjects.js';
import type { SubscriptionStore } from './subscriptionStore.js';
import {
  amountChange,
  isOlder,
  isPaying,
  mergeSnapshot,
  movementIds,
  observedRank,
  snapshotOf,
  subscriptionMovements,
  type CustomerFacts,
} from './subscriptionMovements.js';

export interface StripeConnectorDeps {
  stripe: Stripe;
  store: SubscriptionStore;
  /** services.recordCustomerEvents: the one way movements are stored. */
  recordCustomerEvents: (rows: unknown[]) => Promise<RecordedBatch>;
  settings: StripeSettings;
  log: (message: string, details?: Record<string, unknown>) => void;
}

export type SnapshotOutcome =
  | { kind: 'recorded'; stored: number; duplicates: number }
  /** Stripe sent this before something we already applied: the newer state stands. */
  | { kind: 'stale' }
  /** Not counted, with the reason (another currency without a rate, a price without an amount). */
  | { kind: 'skipped'; reason: string };

export type EventOutcome = SnapshotOutcome | { kind: 'ignored'; reason: string };

export interface BackfillProgress {
  read: number;
  stored: number;
  skipped: number;
}

export interface BackfillSummary extends BackfillProgress {
  duplicates: number;
  stale: number;
  /** Why subscriptions were not counted, and how many each time. */
  skippedReasons: Record<string, number>;
}

const unsegmented = 'Unsegmented';
/** The partial unique index that lets a Stripe customer be won once (see its migration). */
const oneWinIndex = 'customer_event_stripe_one_win';
/** Tellings of one customer's life before giving up (Stripe then sends the event again). */
const maxTellings = 4;

export function createStripeConnector(deps: StripeConnectorDeps) {
  const { stripe, store, settings } = deps;
  const productNames = new Map<string, string | null>();
  const readDiscounts = discountReader(stripe);
  // One customer at a time in this process: each decision reads the customer's other subscriptions.
  const queues = new Map<string, Promise<unknown>>();

  function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => queues.get(key) === settled && queues.delete(key));
    return next;
  }

  async function productName(subscription: StripeSubscription): Promise<string | null> {
    const product = subscription.items.data.find((item) => item.price.recurring)?.price.product;
    if (!product) return null;
    if (typeof product !== 'string') return product.name ?? null;
    if (!productNames.has(product)) {
      const found = await stripe.products.retrieve(product);
      productNames.set(product, 'name' in found && typeof found.name === 'string' ? found.name : null);
    }
    return productNames.get(product) ?? null;
  }

  // A customer Stripe no longer knows still left or joined: the movement is kept under its id.
  async function retrieveCustomer(id: string): Promise<unknown> {
    try {
      return await stripe.customers.retrieve(id);
    } catch (error) {
      if ((error as { code?: string }).code === 'resource_missing') return null;
      throw error;
    }
  }

  async function customerFacts(subscription: StripeSubscription): Promise<CustomerFacts> {
    const id = customerIdOf(subscription);
    let customer: StripeCustomer | null = expandedCustomer(subscription);
    if (!customer) {
      const parsed = stripeCustomer.safeParse(await retrieveCustomer(id));
      customer = parsed.success ? parsed.data : null;
    }
    const segment =
      customer?.metadata[settings.segmentField]?.trim() || (await productName(subscription))?.trim() || unsegmented;
    const name = customer?.name?.trim() || customer?.email?.trim() || id;
    const contact = customer?.email?.trim() || customer?.phone?.trim() || undefined;
    return {
      customerId: id,
      name: name.slice(0, 300),
      segment: segment.slice(0, 100),
      ...(contact ? { contact: contact.slice(0, 300) } : {}),
    };
  }

  /** The customer's life from every subscription we know of, around the movements already stored. */
  async function recordTimeline(
    customerId: string,
    facts: CustomerFacts,
  ): Promise<{ stored: number; duplicates: number }> {
    const total = { stored: 0, duplicates: 0 };
    // Another process may be telling the same customer's life from another subscription at this
    // moment, each seeing only its own. The database takes one win per customer; and where a movement
    // id was stored by the other with another kind, its story is the one that stands. Either way the
    // life is told again around what is now stored, until nothing we tell disagrees with it.
    for (let attempt = 1; ; attempt++) {
      const known = await store.forCustomer(customerId);
      const recorded = await store.recordedKinds(movementIds(known));
      const rows = subscriptionMovements(known, facts, settings.reasonMap, recorded);
      if (!rows.length) return total;
      let result: RecordedBatch;
      try {
        result = await deps.recordCustomerEvents(rows);
      } catch (error) {
        if (attempt < maxTellings && violatedUniqueIndex(error) === oneWinIndex) continue;
        throw error;
      }
      if (result.rejected.length)
        deps.log('stripe movements refused', { customer: customerId, rejected: result.rejected });
      total.stored += result.stored;
      // A row stored by an earlier telling is not one that was already there.
      total.duplicates = Math.max(0, rows.length - result.rejected.length - total.stored);
      if (result.duplicates === 0 || attempt >= maxTellings) return total;
      const stored = await store.recordedKinds(rows.map((row) => row.external_id));
      if (rows.every((row) => stored.get(row.external_id) === row.kind)) return total;
    }
  }

  type Saved = { kind: 'saved'; customerId: string; facts: CustomerFacts; stored: number; duplicates: number };

  /** Keeps what this snapshot says of its subscription, and records the amount change it shows, if any. */
  async function saveSnapshot(
    subscription: StripeSubscription,
    observed: { at: Date; rank: number },
    update?: { eventId: string; previous: PreviousAttributes },
  ): Promise<Saved | Exclude<SnapshotOutcome, { kind: 'recorded' }>> {
    const customerId = customerIdOf(subscription);
    const discounts = await readDiscounts(subscription);
    const current = annualValue(subscription, settings, discounts);
    if (!current.ok) {
      deps.log('stripe subscription not counted', { subscription: subscription.id, reason: current.reason });
      return { kind: 'skipped', reason: current.reason };
    }
    const known = await store.forCustomer(customerId);
    const stored = known.find((state) => state.id === subscription.id);
    if (stored && isOlder({ observedAt: observed.at, observedRank: observed.rank }, stored)) return { kind: 'stale' };

    const draft = snapshotOf(subscription, customerId, observed, { start: current.value, current: current.value });
    const payingNow = isPaying(draft);
    let change: { id: string; before: number } | null = null;
    if (update) {
      const told = previousAnnualValue(subscription, update.previous, settings, discounts);
      // A discount since removed: the amount we knew before is the amount before.
      const before =
        told && !told.ok && update.previous.discounts && stored?.activeFrom
          ? { ok: true as const, value: stored.currentValue }
          : told;
      const wasPaying = isPaying({ ...draft, status: update.previous.status ?? subscription.status });
      // Only a change to a subscription that was already paying; trial -> active is the win itself.
      if (before?.ok && wasPaying && payingNow && draft.activeFrom! < observed.at)
        change = { id: `stripe:${update.eventId}:change`, before: before.value };
    } else if (stored?.activeFrom && !stored.endedAt && payingNow && stored.currentValue !== current.value) {
      // A backfill seeing an amount we never heard change (a webhook missed while the bot was away).
      change = {
        id: `stripe:${subscription.id}:resync:${Math.round(stored.currentValue * 100)}-${Math.round(current.value * 100)}`,
        before: stored.currentValue,
      };
    }
    // Seen first through a change: it started at the old amount, and the change is its own movement.
    const startValue = change && !stored?.activeFrom ? change.before : current.value;
    const merged = mergeSnapshot(stored, { ...draft, startValue });
    const facts = await customerFacts(subscription);
    const changeRow = change ? amountChange(change.id, facts, change.before, current.value, observed.at) : null;
    // The change before the snapshot that no longer shows it: should storing fail, the next try sees it again.
    const recorded = changeRow ? await deps.recordCustomerEvents([changeRow]) : { stored: 0, duplicates: 0 };
    await store.save(merged);
    return { kind: 'saved', customerId, facts, stored: recorded.stored, duplicates: recorded.duplicates };
  }

  async function applySnapshot(
    subscription: StripeSubscription,
    observed: { at: Date; rank: number },
    update?: { eventId: string; previous: PreviousAttributes },
  ): Promise<SnapshotOutcome> {
    return oneAtATime(customerIdOf(subscription), async () => {
      const saved = await saveSnapshot(subscription, observed, update);
      if (saved.kind !== 'saved') return saved;
      // Saved first: should recording fail, Stripe's retry finds the same snapshot and records the same ids.
      const told = await recordTimeline(saved.customerId, saved.facts);
      return { kind: 'recorded', stored: saved.stored + told.stored, duplicates: saved.duplicates + told.duplicates };
    });
  }

  return {
    /** A verified webhook event; anything but a subscription's life is acknowledged and ignored. */
    async handleEvent(event: {
      id: string;
      type: string;
      created: number;
      data: { object: unknown; previous_attributes?: unknown };
    }): Promise<EventOutcome> {
      if (!subscriptionEventTypes.includes(event.type as SubscriptionEventType))
        return { kind: 'ignored', reason: `${event.type} is not a subscription's life` };
      const subscription = stripeSubscription.safeParse(event.data.object);
      if (!subscription.success)
        return {
          kind: 'ignored',
          reason: `the subscription in ${event.id} is not in the expected shape: ${subscription.error.issues[0]?.message}`,
        };
      const type = event.type as SubscriptionEventType;
      const previous =
        type === 'customer.subscription.updated'
          ? previousAttributes.safeParse(event.data.previous_attributes ?? {})
          : undefined;
      return applySnapshot(
        subscription.data,
        { at: new Date(event.created * 1000), rank: observedRank[type] },
        previous?.success ? { eventId: event.id, previous: previous.data } : undefined,
      );
    },

    /**
     * Every subscription created since `since`, as it is now; re-running stores nothing twice.
     * Stripe lists the newest first, so subscriptions are all read before any customer's life is
     * told: a customer who left and came back is won, lost and reactivated, not won twice.
     */
    async backfill(since: Date, onProgress: (progress: BackfillProgress) => void = () => {}): Promise<BackfillSummary> {
      const summary: BackfillSummary = { read: 0, stored: 0, skipped: 0, duplicates: 0, stale: 0, skippedReasons: {} };
      const customers = new Map<string, CustomerFacts>();
      const pages = stripe.subscriptions.list({
        status: 'all',
        created: { gte: Math.floor(since.getTime() / 1000) },
        expand: ['data.customer', 'data.discounts', 'data.items.data.discounts'],
        limit: 100,
      });
      for await (const raw of pages) {
        summary.read += 1;
        const parsed = stripeSubscription.safeParse(raw);
        const outcome = parsed.success
          ? await oneAtATime(customerIdOf(parsed.data), () =>
              saveSnapshot(parsed.data, { at: new Date(), rank: observedRank.backfill }),
            )
          : ({ kind: 'skipped', reason: 'not in the expected shape' } as const);
        if (outcome.kind === 'saved') {
          customers.set(outcome.customerId, outcome.facts);
          summary.stored += outcome.stored;
          summary.duplicates += outcome.duplicates;
        } else if (outcome.kind === 'stale') summary.stale += 1;
        else {
          summary.skipped += 1;
          summary.skippedReasons[outcome.reason] = (summary.skippedReasons[outcome.reason] ?? 0) + 1;
        }
        if (summary.read % 25 === 0) onProgress(summary);
      }
      for (const [customerId, facts] of customers) {
        const result = await oneAtATime(customerId, () => recordTimeline(customerId, facts));
        summary.stored += result.stored;
        summary.duplicates += result.duplicates;
      }
      onProgress(summary);
      return summary;
    },
  };
}

export type StripeConnector = ReturnType<typeof createStripeConnector>;
