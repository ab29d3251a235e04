// What the bot has seen of Stripe subscriptions, one row each, in PostgreSQL.
import type { Db } from '../../store/database.js';
import type { MovementRow, PayingLife, SubscriptionState } from './subscriptionMovements.js';

/** A PayingLife as JSON keeps it: dates as ISO strings. */
type StoredLife = Omit<PayingLife, 'activeFrom' | 'endedAt'> & { activeFrom: string | null; endedAt: string | null };

export interface SubscriptionStore {
  forCustomer(stripeCustomerId: string): Promise<SubscriptionState[]>;
  /** Keeps `state` unless a newer snapshot was saved meanwhile (another process, or a later event). */
  save(state: SubscriptionState): Promise<void>;
  /** The kinds already stored under these movement ids: stored movements are never rewritten, so later ones fit around them. */
  recordedKinds(externalIds: string[]): Promise<Map<string, MovementRow['kind']>>;
}

export function subscriptionStore(db: Db): SubscriptionStore {
  return {
    async forCustomer(stripeCustomerId) {
      const rows = await db.stripeSubscription.findMany({ where: { stripeCustomerId } });
      return rows.map((row) => ({
        ...row,
        status: row.status as SubscriptionState['status'],
        startValue: Number(row.startValue),
        currentValue: Number(row.currentValue),
        earlierLives: (row.earlierLives as StoredLife[]).map((life) => ({
          ...life,
          activeFrom: life.activeFrom ? new Date(life.activeFrom) : null,
          endedAt: life.endedAt ? new Date(life.endedAt) : null,
        })),
      }));
    },
    async recordedKinds(externalIds) {
      if (!externalIds.length) return new Map();
      const rows = await db.customerEvent.findMany({
        where: { externalId: { in: externalIds } },
        select: { externalId: true, kind: true },
      });
      return new Map(rows.map((row) => [row.externalId, row.kind as MovementRow['kind']]));
    },

    async save(state) {
      // One statement, so two processes saving the same subscription keep the newer snapshot.
      await db.$executeRaw`
        INSERT INTO stripe_subscription (id, stripe_customer_id, observed_at, observed_rank, status, active_from, ended_at,
                                         start_value, current_value, cancellation_reason, feedback, comment, earlier_lives)
        VALUES (${state.id}, ${state.stripeCustomerId}, ${state.observedAt}, ${state.observedRank}, ${state.status}, ${state.activeFrom},
                ${state.endedAt}, ${state.startValue}, ${state.currentValue}, ${state.cancellationReason}, ${state.feedback}, ${state.comment},
                ${JSON.stringify(state.earlierLives)}::jsonb)
        ON CONFLICT (id) DO UPDATE SET
          stripe_customer_id = EXCLUDED.stripe_customer_id, observed_at = EXCLUDED.observed_at, observed_rank = EXCLUDED.observed_rank,
          status = EXCLUDED.status, active_from = EXCLUDED.active_from, ended_at = EXCLUDED.ended_at, start_value = EXCLUDED.start_value,
          current_value = EXCLUDED.current_value, cancellation_reason = EXCLUDED.cancellation_reason, feedback = EXCLUDED.feedback,
          comment = EXCLUDED.comment, earlier_lives = EXCLUDED.earlier_lives
        WHERE (stripe_subscription.observed_at, stripe_subscription.observed_rank) <= (EXCLUDED.observed_at, EXCLUDED.observed_rank)`;
    },
  };
}
