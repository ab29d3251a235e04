// Posting the Monday digest exactly once per (week, channel). Each delivery is claimed
// in the database before anything is posted; a claim left behind by a crashed process
// is taken over after a lease, and the platform is asked whether the post already
// landed before posting again.
import { composeDigest, type Digest, type DigestSettings, type DigestStore } from './digest.js';
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

/** What a channel subscribes to: the Monday digest, or announcements of what changed. */
export type ChannelPurpose = 'digest' | 'hope';

export interface DeliveryStore {
  subscriptions(purpose?: ChannelPurpose): Promise<Subscription[]>;
  subscribe(channel: Channel, by: string, purpose?: ChannelPurpose): Promise<'subscribed' | 'alreadySubscribed'>;
  unsubscribe(channel: Channel, purpose?: ChannelPurpose): Promise<'unsubscribed' | 'notSubscribed'>;
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
}

export async function deliverWeeklyDigest(deps: DeliveryDeps, weekStart: WeekStart): Promise<DeliveryReport> {
  const clock = deps.clock ?? (() => new Date());
  const runStartedAt = (await deps.deliveries.runStartedAt(weekStart)) ?? clock();
  // Channels subscribed after this week's run began wait for next Monday.
  const channels = (await deps.deliveries.subscriptions()).filter((subscription) => subscription.subscribedAt <= runStartedAt);
  const report: DeliveryReport = { weekStart, posted: [], alreadyPosted: [], heldByAnother: [], failed: [] };
  let digest: Promise<Digest> | undefined;

  for (const { platform, channelId } of channels) {
    const poster = deps.posters.find((candidate) => candidate.platform === platform);
    if (!poster) continue;
    const channel = { platform, channelId };
    const claim = await deps.deliveries.claimDelivery(weekStart, channel, deps.worker, clock(), deps.leaseMs);
    if (claim === 'alreadyPosted') report.alreadyPosted.push(channel);
    if (claim === 'heldByAnother') report.heldByAnother.push(channel);
    if (claim !== 'claimed' && claim !== 'takenOver') continue;
    try {
      digest ??= composeDigest(deps.digests, weekStart, deps.settings);
      const messageId = await poster.postDigest(channelId, await digest, { mayAlreadyBePosted: claim === 'takenOver' });
      await deps.deliveries.recordPosted(weekStart, channel, deps.worker, messageId, clock());
      report.posted.push(channel);
    } catch (error) {
      // The post may have landed before the failure, so the retry must look first: expire rather than delete the claim.
      await deps.deliveries.expireClaim(weekStart, channel, deps.worker).catch(() => {});
      const message = error instanceof Error ? error.message : String(error);
      deps.log?.('digest delivery failed; it will be retried', { weekStart, platform, channelId, error: message });
      report.failed.push({ ...channel, error: message });
    }
  }
  return report;
}

/** Finishes a week whose run was interrupted; does nothing for a week whose run has not begun. */
export async function resumeWeeklyDigest(deps: DeliveryDeps, weekStart: WeekStart): Promise<DeliveryReport | null> {
  if (!(await deps.deliveries.runStartedAt(weekStart))) return null;
  return deliverWeeklyDigest(deps, weekStart);
}
