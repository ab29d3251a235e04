// Posting the digest of a period exactly once per (period, channel). Each delivery is claimed
// in the database before anything is posted; a claim left behind by a crashed process
// is taken over after a lease, and the platform is asked whether the post already
// landed before posting again.
import { composeDigest, type Digest, type DigestSettings, type DigestStore } from './digest.js';
import type { StoryWriter } from './departures.js';
import type { Platform } from './people.js';
import type { Period, PeriodKind } from './periods.js';

export interface Channel {
  platform: Platform;
  channelId: string;
}

export interface Subscription extends Channel {
  subscribedAt: Date;
}

export type Claim = 'claimed' | 'takenOver' | 'alreadyPosted' | 'heldByAnother';

/** What a channel subscribes to: a digest (weekly, monthly, quarterly, yearly), announcements of what changed, or early warnings. */
export type ChannelPurpose = 'digest' | 'monthlyDigest' | 'quarterlyDigest' | 'yearlyDigest' | 'hope' | 'warnings';

/** The subscription that receives the digest of each period of `kind`; `digest` is the weekly one, as it always was. */
export const digestPurposes: Record<PeriodKind, ChannelPurpose> = {
  week: 'digest',
  month: 'monthlyDigest',
  quarter: 'quarterlyDigest',
  year: 'yearlyDigest',
};

export interface DeliveryStore {
  subscriptions(purpose?: ChannelPurpose): Promise<Subscription[]>;
  subscribe(channel: Channel, by: string, purpose?: ChannelPurpose): Promise<'subscribed' | 'alreadySubscribed'>;
  unsubscribe(channel: Channel, purpose?: ChannelPurpose): Promise<'unsubscribed' | 'notSubscribed'>;
  /** Ends every subscription (digest and announcements) of one channel, or of a whole platform; returns how many ended. */
  endSubscriptions(where: Channel | { platform: Platform }): Promise<number>;
  claimDelivery(period: Period, channel: Channel, worker: string, now: Date, leaseMs: number): Promise<Claim>;
  recordPosted(period: Period, channel: Channel, worker: string, messageId: string, now: Date): Promise<void>;
  /** Ends this worker's lease at once, so the next run takes the delivery over and looks before posting. */
  expireClaim(period: Period, channel: Channel, worker: string): Promise<void>;
  /** When the first delivery for the period was claimed, if any was. */
  runStartedAt(period: Period): Promise<Date | null>;
}

export interface DigestPoster {
  platform: Platform;
  /**
   * Posts the digest and returns the message id. With `mayAlreadyBePosted`, a crashed
   * run may have posted some of it: the poster looks first and posts only what is missing.
   */
  postDigest(channelId: string, digest: Digest, options: { mayAlreadyBePosted: boolean }): Promise<string>;
}

export interface DeliveryReport {
  period: Period;
  posted: Channel[];
  alreadyPosted: Channel[];
  heldByAnother: Channel[];
  failed: Array<Channel & { error: string }>;
}

export interface DeliveryDeps {
  deliveries: DeliveryStore;
  digests: DigestStore;
  settings: DigestSettings;
  posters: DigestPoster[];
  /** Identifies this process in claims, for logs and takeovers. */
  worker: string;
  /** How long a claim protects a delivery in progress before another process may take it over. */
  leaseMs: number;
  clock?: () => Date;
  log?: (message: string, context: Record<string, unknown>) => void;
  /** Writes "Why customers left" stories; the template when absent. */
  storyWriter?: StoryWriter;
}

/** Channels posted to at once: a channel that never answers holds one lane, not the whole Monday run. */
export const channelsAtOnce = 4;

type Outcome = { kind: 'posted' | 'alreadyPosted' | 'heldByAnother' | 'skipped' } | { kind: 'failed'; error: string };

/** Posts the digest of `period` to every channel subscribed to that kind of period, each exactly once. */
export async function deliverDigest(
  deps: DeliveryDeps,
  period: Period,
  options: { channelsAtOnce?: number } = {},
): Promise<DeliveryReport> {
  const clock = deps.clock ?? (() => new Date());
  const runStartedAt = (await deps.deliveries.runStartedAt(period)) ?? clock();
  // Channels subscribed after this period's run began wait for the next period.
  const channels = (await deps.deliveries.subscriptions(digestPurposes[period.kind])).filter(
    (subscription) => subscription.subscribedAt <= runStartedAt,
  );
  let digest: Promise<Digest> | undefined;

  async function deliverTo({ platform, channelId }: Channel): Promise<Outcome> {
    const poster = deps.posters.find((candidate) => candidate.platform === platform);
    if (!poster) return { kind: 'skipped' };
    const channel = { platform, channelId };
    const claim = await deps.deliveries.claimDelivery(period, channel, deps.worker, clock(), deps.leaseMs);
    if (claim === 'alreadyPosted' || claim === 'heldByAnother') return { kind: claim };
    try {
      digest ??= composeDigest(deps.digests, period, deps.settings, deps.storyWriter);
      const messageId = await poster.postDigest(channelId, await digest, { mayAlreadyBePosted: claim === 'takenOver' });
      await deps.deliveries.recordPosted(period, channel, deps.worker, messageId, clock());
      return { kind: 'posted' };
    } catch (error) {
      // The post may have landed before the failure (a timeout too), so the retry must look first: expire rather than delete the claim.
      await deps.deliveries.expireClaim(period, channel, deps.worker).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      deps.log?.('digest delivery failed; it will be retried', {
        period: period.name,
        platform,
        channelId,
        error: message,
      });
      return { kind: 'failed', error: message };
    }
  }

  // A few lanes take the next channel as they come free; the report keeps the subscription order.
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < channels.length; index = next++)
      outcomes[index] = await deliverTo(channels[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(options.channelsAtOnce ?? channelsAtOnce, channels.length) }, lane));

  const report: DeliveryReport = { period, posted: [], alreadyPosted: [], heldByAnother: [], failed: [] };
  channels.forEach(({ platform, channelId }, index) => {
    const outcome = outcomes[index]!;
    if (outcome.kind === 'failed') report.failed.push({ platform, channelId, error: outcome.error });
    else if (outcome.kind !== 'skipped') report[outcome.kind].push({ platform, channelId });
  });
  return report;
}

/** Finishes a period whose run was interrupted; does nothing for a period whose run has not begun. */
export async function resumeDigest(deps: DeliveryDeps, period: Period): Promise<DeliveryReport | null> {
  if (!(await deps.deliveries.runStartedAt(period))) return null;
  return deliverDigest(deps, period);
}
