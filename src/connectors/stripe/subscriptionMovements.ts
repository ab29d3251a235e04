// Turns what we know of a customer's Stripe subscriptions into customer movements. Every
// movement is decided from the subscriptions' own dates, never from the order events
// arrived in, and each has an external id fixed by the subscription (or the event) it
// comes from, so a late, repeated or backfilled event adds nothing twice.
import type { StripeFeedback } from './settings.js';
import type { StripeSubscription } from './stripeObjects.js';

/** One stretch of paying, from becoming paying to its end, and why it ended. */
export type PayingLife = Pick<
  SubscriptionState,
  'activeFrom' | 'endedAt' | 'startValue' | 'currentValue' | 'cancellationReason' | 'feedback' | 'comment'
>;

export interface SubscriptionState {
  id: string;
  /** Lives before the current one: an unpaid subscription paid again starts a new life, with its own movement ids. */
  earlierLives: PayingLife[];
  stripeCustomerId: string;
  observedAt: Date;
  observedRank: number;
  status: StripeSubscription['status'];
  activeFrom: Date | null;
  endedAt: Date | null;
  startValue: number;
  currentValue: number;
  cancellationReason: string | null;
  feedback: string | null;
  comment: string | null;
}

export interface CustomerFacts {
  customerId: string;
  name: string;
  segment: string;
  contact?: string;
}

/** The documented fields of services.recordCustomerEvents. */
export interface MovementRow {
  external_id: string;
  customer_id: string;
  customer_name: string;
  segment: string;
  customer_contact?: string;
  kind: 'won' | 'lost' | 'expanded' | 'contracted' | 'reactivated';
  value: number;
  occurred_at: string;
  reason?: string;
  verbatim?: string;
}

/** Where a snapshot came from; breaks ties between snapshots taken in the same second. */
export const observedRank = {
  'customer.subscription.created': 0,
  'customer.subscription.updated': 1,
  'customer.subscription.deleted': 2,
  backfill: 3,
} as const;

// A trial is not yet a customer: paying starts at the trial's end (or the start when there was none).
// past_due is still a customer: Stripe is retrying the charge. unpaid is Stripe having given up
// (invoices stay open, nothing is charged): the customer is lost for failed payment then, and won
// back should they pay and the subscription turn active again. incomplete, incomplete_expired and
// paused (a trial that ended without a way to pay) never paid, so they were never customers.
const payingStatuses = new Set<StripeSubscription['status']>(['active', 'past_due']);

/** Paying now: became paying and has not ended. */
export function isPaying(state: Pick<SubscriptionState, 'status' | 'activeFrom' | 'endedAt'>): boolean {
  return payingStatuses.has(state.status) && state.activeFrom !== null && state.endedAt === null;
}

const at = (seconds: number) => new Date(seconds * 1000);

export function snapshotOf(
  subscription: StripeSubscription,
  customerId: string,
  observed: { at: Date; rank: number },
  values: { start: number; current: number },
): SubscriptionState {
  const paidFrom = at(Math.max(subscription.start_date, subscription.trial_end ?? 0));
  // Stripe says when a subscription was canceled, not when it turned unpaid: the event that tells us is when.
  const endedAt =
    subscription.status === 'canceled'
      ? subscription.ended_at
        ? at(subscription.ended_at)
        : observed.at
      : subscription.status === 'unpaid'
        ? observed.at
        : null;
  // A canceled subscription was a paying one only if it outlived its trial; an unpaid one was paid before.
  const activeFrom =
    payingStatuses.has(subscription.status) || subscription.status === 'unpaid' || (endedAt && endedAt > paidFrom)
      ? paidFrom
      : null;
  const details = subscription.cancellation_details;
  return {
    id: subscription.id,
    earlierLives: [],
    stripeCustomerId: customerId,
    observedAt: observed.at,
    observedRank: observed.rank,
    status: subscription.status,
    activeFrom,
    endedAt,
    startValue: values.start,
    currentValue: values.current,
    cancellationReason: details?.reason ?? (subscription.status === 'unpaid' ? 'payment_failed' : null),
    feedback: details?.feedback ?? null,
    comment: details?.comment ?? null,
  };
}

export function isOlder(
  incoming: Pick<SubscriptionState, 'observedAt' | 'observedRank'>,
  stored: Pick<SubscriptionState, 'observedAt' | 'observedRank'>,
): boolean {
  const difference = incoming.observedAt.getTime() - stored.observedAt.getTime();
  return difference < 0 || (difference === 0 && incoming.observedRank < stored.observedRank);
}

/**
 * A newer snapshot over what we knew: becoming paying and ending are facts that stay, and the start
 * value is kept. The first end stands with its reason (an unpaid subscription canceled later was lost
 * when Stripe gave up on it), except that an unpaid one paying again starts a new paying life.
 */
export function mergeSnapshot(stored: SubscriptionState | undefined, incoming: SubscriptionState): SubscriptionState {
  if (!stored) return incoming;
  if (stored.endedAt && stored.status === 'unpaid' && payingStatuses.has(incoming.status))
    return {
      ...incoming,
      earlierLives: [...stored.earlierLives, lifeOf(stored)],
      activeFrom: incoming.observedAt,
      endedAt: null,
      startValue: incoming.currentValue,
      cancellationReason: null,
      feedback: null,
      comment: null,
    };
  const endedBefore = stored.endedAt !== null;
  return {
    ...incoming,
    earlierLives: stored.earlierLives,
    activeFrom: stored.activeFrom ?? incoming.activeFrom,
    endedAt: stored.endedAt ?? incoming.endedAt,
    startValue: stored.activeFrom ? stored.startValue : incoming.startValue,
    ...(endedBefore
      ? { cancellationReason: stored.cancellationReason, feedback: stored.feedback, comment: stored.comment }
      : {}),
  };
}

function lifeOf(state: PayingLife): PayingLife {
  const { activeFrom, endedAt, startValue, currentValue, cancellationReason, feedback, comment } = state;
  return { activeFrom, endedAt, startValue, currentValue, cancellationReason, feedback, comment };
}

/** Movement ids of a subscription's paying life: the first under its Stripe id, each return from unpaid under its own. */
function lifeKey(id: string, life: number): string {
  return life ? `${id}:paid-again-${life}` : id;
}

/** Failed or disputed payments are told apart from customers who chose to leave; otherwise Stripe's feedback, in the company's words. */
export function lossReason(
  state: PayingLife,
  reasonMap: Record<StripeFeedback, string>,
): { reason?: string; verbatim?: string } {
  const verbatim = state.comment?.trim() ? state.comment.trim().slice(0, 5000) : undefined;
  if (state.cancellationReason === 'payment_failed') return { reason: 'Payment failed', verbatim };
  if (state.cancellationReason === 'payment_disputed') return { reason: 'Payment disputed', verbatim };
  const mapped =
    state.feedback && state.feedback in reasonMap ? reasonMap[state.feedback as StripeFeedback] : undefined;
  return { reason: mapped, verbatim };
}

/** Every id subscriptionMovements may give rows of these subscriptions, to ask the store which are recorded. */
export function movementIds(subscriptions: Pick<SubscriptionState, 'id' | 'earlierLives'>[]): string[] {
  return subscriptions.flatMap(({ id, earlierLives }) =>
    Array.from({ length: earlierLives.length + 1 }, (_, life) =>
      ['start', 'start:counted', 'end', 'end:counted', 'end:uncounted'].map(
        (suffix) => `stripe:${lifeKey(id, life)}:${suffix}`,
      ),
    ).flat(),
  );
}

type Kind = MovementRow['kind'];
const counts = (kind: Kind | undefined) => kind === 'won' || kind === 'reactivated';

/**
 * A customer's first paying subscription is won; paying again after all ended is reactivated;
 * another one while paying is expanded; one ending while others go on is contracted; the last
 * ending is lost. Ids name the subscription, so recomputing with more knowledge adds only what is new.
 *
 * Stored movements are never rewritten, so `recorded` (id -> kind already stored) is the story so
 * far: a subscription heard of late (out of order, or a backfill reading newest first) fits around
 * it. The customer is won once; what would be a second win is growth of the customer already won.
 */
export function subscriptionMovements(
  subscriptions: SubscriptionState[],
  customer: CustomerFacts,
  reasonMap: Record<StripeFeedback, string>,
  recorded: ReadonlyMap<string, Kind> = new Map(),
): MovementRow[] {
  type Life = PayingLife & { key: string };
  type Point = { at: Date; starts: boolean; subscription: Life; period: number };
  const points: Point[] = [];
  const lives = subscriptions.flatMap((state) =>
    [...state.earlierLives, state].map((life, index) => ({ ...lifeOf(life), key: lifeKey(state.id, index) })),
  );
  for (const subscription of lives) {
    if (!subscription.activeFrom) continue;
    points.push({ at: subscription.activeFrom, starts: true, subscription, period: 0 });
    if (subscription.endedAt) points.push({ at: subscription.endedAt, starts: false, subscription, period: 0 });
  }
  // A switch (one ends as another starts) keeps the customer: starts go first at the same instant.
  points.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      Number(b.starts) - Number(a.starts) ||
      a.subscription.key.localeCompare(b.subscription.key),
  );

  // Paying periods: from a start with nothing paying to the end that leaves nothing paying.
  const countedLater = new Map<number, number>(); // period -> index of the last recorded start that counted the customer
  let period = 0;
  let open = 0;
  points.forEach((point, index) => {
    if (point.starts && open++ === 0) period += 1;
    if (!point.starts) open -= 1;
    point.period = period;
    const id = `stripe:${point.subscription.key}:${point.starts ? 'start' : 'end'}`;
    if (counts(recorded.get(id)) || counts(recorded.get(`${id}:counted`))) countedLater.set(period, index);
  });

  const base = {
    customer_id: customer.customerId,
    customer_name: customer.name,
    segment: customer.segment,
    ...(customer.contact ? { customer_contact: customer.contact } : {}),
  };
  const rows: MovementRow[] = [];
  let paying = 0;
  // What the stored story says: counted as a customer now, and won at some time.
  let counted = false;
  let won = [...recorded.values()].includes('won');
  const add = (externalId: string, kind: Kind, value: number, at: Date, extra: Partial<MovementRow> = {}) => {
    const kept = recorded.get(externalId) ?? kind;
    rows.push({
      ...base,
      external_id: externalId,
      kind: kept,
      value,
      occurred_at: at.toISOString(),
      ...(kept === 'lost' ? extra : {}),
    });
    if (counts(kept)) counted = true;
    if (kept === 'won') won = true;
    if (kept === 'lost') counted = false;
    return kept;
  };
  points.forEach((point, index) => {
    const { subscription } = point;
    const laterInPeriod = (countedLater.get(point.period) ?? -1) > index;
    const at = `stripe:${subscription.key}:${point.starts ? 'start' : 'end'}`;
    if (point.starts) {
      paying += 1;
      add(at, counted || laterInPeriod ? 'expanded' : won ? 'reactivated' : 'won', subscription.startValue, point.at);
    } else {
      paying -= 1;
      add(
        at,
        paying === 0 && counted ? 'lost' : 'contracted',
        subscription.currentValue,
        point.at,
        lossReason(subscription, reasonMap),
      );
    }
    // Where the stored story and what is now known part (an end heard of after a later start was told
    // as growth, say), a movement of no value brings the count of customers back in line.
    if (recorded.has(`${at}:counted`) || (paying > 0 && !counted && !laterInPeriod))
      add(`${at}:counted`, won ? 'reactivated' : 'won', 0, point.at);
    if (recorded.has(`${at}:uncounted`) || (paying === 0 && counted))
      add(`${at}:uncounted`, 'lost', 0, point.at, lossReason(subscription, reasonMap));
  });
  return rows.map(
    (row) =>
      Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as unknown as MovementRow,
  );
}

/** An amount change inside one paying subscription, from an update event (or a backfill that saw a different amount). */
export function amountChange(
  externalId: string,
  customer: CustomerFacts,
  before: number,
  after: number,
  occurredAt: Date,
): MovementRow | null {
  const difference = Math.round((after - before) * 100) / 100;
  if (difference === 0) return null;
  return {
    external_id: externalId,
    customer_id: customer.customerId,
    customer_name: customer.name,
    segment: customer.segment,
    ...(customer.contact ? { customer_contact: customer.contact } : {}),
    kind: difference > 0 ? 'expanded' : 'contracted',
    value: Math.abs(difference),
    occurred_at: occurredAt.toISOString(),
  };
}
