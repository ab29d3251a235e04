// Messages the bot owes people, kept in an outbox. A notice is written in the same
// transaction as the change that causes it (an issue resolved, an issue reopened), then a
// worker sends it; a crash between the two loses nothing, and a claim with a lease plus a
// look in the conversation before a retry keeps it from arriving twice.
import type { NoticeKindsOfCampaigns } from './campaignNotices.js';
import type { Permission, Person, Platform } from './people.js';
import type { PriorityNoticeContent } from './priorityNotices.js';
import type { FeedbackSource } from './storedFeedback.js';
import type { WarningNoticeContent } from './warningNotices.js';

export type NoticeContent =
  | {
      kind: 'hopeAnnouncement';
      issueNumber: number;
      title: string;
      stageName: string;
      categoryName: string;
      whatChanged: string;
      reports: number;
      sources: FeedbackSource[];
    }
  | { kind: 'hopeThanks'; issueNumber: number; title: string; whatChanged: string; feedbackNumbers: number[] }
  | {
      kind: 'issueReopened';
      issueNumber: number;
      title: string;
      whatChanged: string;
      resolvedAt: string;
      feedbackNumber: number;
      feedbackSummary: string;
    }
  | NoticeKindsOfCampaigns
  | WarningNoticeContent
  | PriorityNoticeContent;

export interface NoticeDraft {
  /** Unique per message owed, so writing it twice owes it once. */
  key: string;
  platform: Platform;
  target: string;
  toUser: boolean;
  content: NoticeContent;
}

export interface Notice extends NoticeDraft {
  id: string;
  attempts: number;
  createdAt: Date;
}

/** Why the outbox stopped trying a notice. */
export type GiveUpReason = 'refused' | 'tooManyAttempts' | 'platformRemoved';

/** A notice the outbox gave up on, for the CCO to see: what, to whom, why and when. */
export interface UndeliveredNotice {
  id: string;
  platform: Platform;
  target: string;
  toUser: boolean;
  content: NoticeContent;
  attempts: number;
  because: GiveUpReason;
  /** What the platform last answered, as it said it. */
  lastError: string;
  createdAt: Date;
  givenUpAt: Date;
}

export interface NoticeStore {
  /**
   * Takes up to `limit` due notices on these platforms, for `leaseMs`; a notice whose lease ran
   * out is taken again. Only the oldest unsent notice of each conversation can be taken: a later
   * one waits while an earlier one backs off or is being sent by any worker.
   */
  claimDue(worker: string, now: Date, leaseMs: number, limit: number, platforms: Platform[]): Promise<Notice[]>;
  /** Extends this worker's claim; false when another worker has taken the notice over (then it must not send). */
  renewClaim(id: string, worker: string, until: Date): Promise<boolean>;
  markSent(id: string, worker: string, messageId: string, now: Date): Promise<void>;
  giveUp(id: string, worker: string, because: GiveUpReason, error: string, now: Date): Promise<void>;
  retryLater(id: string, worker: string, notBefore: Date, error: string): Promise<void>;
  /** Gives up every unsent notice on a platform the app was removed from; returns how many. */
  giveUpPlatform(platform: Platform, error: string, now: Date): Promise<number>;
  /** Given-up notices, most recent first, and how many there are in all. */
  undelivered(limit: number): Promise<{ notices: UndeliveredNotice[]; total: number }>;
}

/** Thrown by a sender when the platform will never take this message (the person left, the channel is archived). */
export class UndeliverableNotice extends Error {}

export interface NoticeSender {
  platform: Platform;
  /** Sends and returns the message id. After an earlier attempt, looks first and returns what is already there. */
  send(notice: Notice, options: { mayAlreadyBeSent: boolean }): Promise<string>;
}

export interface NoticeDeps {
  notices: NoticeStore;
  senders: NoticeSender[];
  worker: string;
  leaseMs: number;
  clock: () => Date;
  log: (message: string, context?: Record<string, unknown>) => void;
}

/** What one run did, for logs and metrics. */
export interface NoticeRun {
  sent: number;
  givenUp: number;
  retrying: number;
}

/** Tries per notice before the outbox gives up: with the back-off below, about two hours of trying. */
export const maxNoticeAttempts = 8;
/** Conversations sent to at once: a conversation that never answers holds one lane, not the outbox. */
export const conversationsAtOnce = 4;

/** Back-off after a failure: 1, 2, 4 ... minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

type Outcome = keyof NoticeRun | 'skipped';

/** Waits for `promise` or `ms`, whichever comes first, leaving no timer behind. */
async function firstOf(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

async function sendOne(deps: NoticeDeps, sender: NoticeSender, notice: Notice): Promise<Outcome> {
  const now = () => deps.clock();
  // A notice whose workers kept dying mid-send (a crash it causes, say) is given up too, before another try.
  if (notice.attempts > maxNoticeAttempts) {
    await deps.notices.giveUp(
      notice.id,
      deps.worker,
      'tooManyAttempts',
      `tried ${notice.attempts - 1} times without hearing back`,
      now(),
    );
    deps.log('notice given up', { key: notice.key, attempts: notice.attempts - 1, because: 'tooManyAttempts' });
    return 'givenUp';
  }
  // A claimed notice can wait for a free lane, and rate limits can outlast a lease: each send renews its own claim first.
  if (!(await deps.notices.renewClaim(notice.id, deps.worker, new Date(now().getTime() + deps.leaseMs))))
    return 'skipped';
  try {
    // attempts counts this claim too: above one, an earlier attempt may have landed.
    const messageId = await sender.send(notice, { mayAlreadyBeSent: notice.attempts > 1 });
    await deps.notices.markSent(notice.id, deps.worker, messageId, now());
    return 'sent';
  } catch (error) {
    // A timeout lands here like any other failure: the post may have landed, so the next attempt looks first.
    const reason = error instanceof Error ? error.message : String(error);
    const because: GiveUpReason | undefined =
      error instanceof UndeliverableNotice
        ? 'refused'
        : notice.attempts >= maxNoticeAttempts
          ? 'tooManyAttempts'
          : undefined;
    if (because) {
      await deps.notices.giveUp(notice.id, deps.worker, because, reason, now());
      deps.log('notice given up', { key: notice.key, attempts: notice.attempts, because, reason });
      return 'givenUp';
    }
    await deps.notices.retryLater(
      notice.id,
      deps.worker,
      new Date(now().getTime() + retryDelayMs(notice.attempts)),
      reason,
    );
    deps.log('notice failed; it will be retried', { key: notice.key, attempts: notice.attempts, reason });
    return 'retrying';
  }
}

/**
 * Sends what is due until nothing is, or `maxBatches` claims were made. A claim takes at most
 * the oldest unsent notice of each conversation, so a conversation hears its notices in order;
 * up to `conversationsAtOnce` are sent together, and more are claimed whenever one is free, so
 * a conversation that never answers delays only itself.
 */
export async function sendDueNotices(
  deps: NoticeDeps,
  options: { batchSize?: number; maxBatches?: number; conversationsAtOnce?: number; pollMs?: number } = {},
): Promise<NoticeRun> {
  const run: NoticeRun = { sent: 0, givenUp: 0, retrying: 0 };
  const platforms = [...new Set(deps.senders.map((sender) => sender.platform))];
  if (!platforms.length) return run;
  const lanes = options.conversationsAtOnce ?? conversationsAtOnce;
  const inFlight = new Set<Promise<void>>();
  let finished = 0;
  const send = async (notice: Notice) => {
    const sender = deps.senders.find((candidate) => candidate.platform === notice.platform)!;
    try {
      const outcome = await sendOne(deps, sender, notice);
      if (outcome !== 'skipped') run[outcome]++;
    } catch (error) {
      // The database failed us: the claim runs out and a later run takes the notice again.
      deps.log('sending a notice failed in the outbox itself', {
        key: notice.key,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  for (let batch = 0; batch < (options.maxBatches ?? 500); batch++) {
    if (inFlight.size >= lanes) await Promise.race(inFlight);
    const finishedBeforeClaim = finished;
    // Claim only as many as there are free lanes: a claimed notice never sits out its lease behind a stuck conversation.
    const due = await deps.notices.claimDue(
      deps.worker,
      deps.clock(),
      deps.leaseMs,
      Math.min(options.batchSize ?? 20, lanes - inFlight.size),
      platforms,
    );
    if (!due.length) {
      // A send that finished while the claim was looking freed its conversation's next notice, which that claim could
      // not see yet: stopping (or waiting) now would leave it for the next run, a minute on.
      if (finished !== finishedBeforeClaim) continue;
      if (!inFlight.size) break;
      // A notice that goes frees the next one of its conversation; one written meanwhile should not wait for a slow one.
      await firstOf(Promise.race(inFlight), options.pollMs ?? 1000);
      continue;
    }
    for (const notice of due) {
      const job: Promise<void> = send(notice).finally(() => {
        inFlight.delete(job);
        finished++;
      });
      inFlight.add(job);
    }
  }
  await Promise.all(inFlight);
  return run;
}

/** The notices the outbox gave up on, for the CCO only: they name people and say what went wrong. */
export async function undeliveredNotices(
  notices: Pick<NoticeStore, 'undelivered'>,
  people: { may(person: Person, action: 'seeUndeliveredNotices'): Promise<Permission> },
  by: Person,
  limit = 15,
): Promise<{ ok: true; notices: UndeliveredNotice[]; total: number } | { ok: false; message: string }> {
  const permission = await people.may(by, 'seeUndeliveredNotices');
  if (!permission.allowed) return { ok: false, message: permission.message };
  return { ok: true, ...(await notices.undelivered(limit)) };
}
