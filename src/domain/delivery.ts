// Posting the Monday digest exactly once per (week, channel). Each delivery is claimed
// in the database before anything is posted; a claim left behind by a crashed process
// is taken over after a lease, and the platform is asked whether the post already
// landed before posting again.
import { composeDigest, type Digest, type DigestSettings, type DigestStore } from './digest.js';
import type { StoryWriter } from './departures.js';
import type { Platform } from './people.js';
import type { WeekStart } from './weeks.js';

export interface Channel {
  platform: Platform;
  channelId: string;
}

export interface Subscription extends Channel {
  subscribedAt: Date;
}

export type Claim = 'claimed' | 'takenOver' | 'alreadyPosted' | 'heldByAnother';

/** What a channel subscribes to: the Monday digest, announcements of what changed, or early warnings. */
export type ChannelPurpose = 'digest' | 'hope' | 'warnings';

export interface DeliveryStore {
  subscriptions(purpose?: ChannelPurpose): Promise<Subscription[]>;
  subscribe(channel: Channel, by: string, purpose?: ChannelPurpose): Promise<'subscribed' | 'alreadySubscribed'>;
  unsubscribe(channel: Channel, purpose?: ChannelPurpose): Promise<'unsubscribed' | 'notSubscribed'>;
  /** Ends every subscription (digest and announcements) of one channel, or of a whole platform; returns how many ended. */
  endSubscriptions(where: Channel | { platform: Platform }): Promise<number>;
  claimDelivery(weekStart: WeekStart, channel: Channel, worker: string, now: Date, leaseMs: number): Promise<Claim>;
  recordPosted(weekStart: WeekStart, channel: Channel, worker: string, messageId: string, now: Date): Promise<void>;
  /** Ends this worker's lease at once, so the next run takes the delivery over and looks before posting. */
  expireClaim(weekStart: WeekStart, channel: Channel, worker: string): Promise<void>;
  /** When the first delivery for the week was claimed, if any was. */
  runStartedAt(weekStart: WeekStart): Promise<Date | null>;
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
  weekStart: WeekStart;
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

export async function deliverWeeklyDigest(
  deps: DeliveryDeps,
  weekStart: WeekStart,
  options: { channelsAtOnce?: number } = {},
): Promise<DeliveryReport> {
  const clock = deps.clock ?? (() => new Date());
  const runStartedAt = (await deps.deliveries.runStartedAt(weekStart)) ?? clock();
  // Channels subscribed after this week's run began wait for next Monday.
  const channels = (await deps.deliveries.subscriptions()).filter(
    (subscription) => subscription.subscribedAt <= runStartedAt,
  );
  let digest: Promise<Digest> | undefined;

  async function deliverTo({ platform, channelId }: Channel): Promise<Outcome> {
    const poster = deps.posters.find((candidate) => candidate.platform === platform);
    if (!poster) return { kind: 'skipped' };
    const channel = { platform, channelId };
    const claim = await deps.deliveries.claimDelivery(weekStart, channel, deps.worker, clock(), deps.leaseMs);
    if (claim === 'alreadyPosted' || claim === 'heldByAnother') return { kind: claim };
    try {
      digest ??= composeDigest(deps.digests, weekStart, deps.settings, deps.storyWriter);
      const messageId = await poster.postDigest(channelId, await digest, { mayAlreadyBePosted: claim === 'takenOver' });
      await deps.deliveries.recordPosted(weekStart, channel, deps.worker, messageId, clock());
      return { kind: 'posted' };
    } catch (error) {
      // The post may have landed before the failure (a timeout too), so the retry must look first: expire rather than delete the claim.
      await deps.deliveries.expireClaim(weekStart, channel, deps.worker).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      deps.log?.('digest delivery failed; it will be retried', { weekStart, platform, channelId, error: message });
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

  const report: DeliveryReport = { weekStart, posted: [], alreadyPosted: [], heldByAnother: [], failed: [] };
  channels.forEach(({ platform, channelId }, index) => {
    const outcome = outcomes[index]!;
    if (outcome.kind === 'failed') report.failed.push({ platform, channelId, error: outcome.error });
    else if (outcome.kind !== 'skipped') report[outcome.kind].push({ platform, channelId });
  });
  return report;
}

/** Finishes a week whose run was interrupted; does nothing for a week whose run has not begun. */
export async function resumeWeeklyDigest(deps: DeliveryDeps, weekStart: WeekStart): Promise<DeliveryReport | null> {
  if (!(await deps.deliveries.runStartedAt(weekStart))) return null;
  return deliverWeeklyDigest(deps, weekStart);
}
