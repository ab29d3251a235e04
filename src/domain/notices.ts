// Messages the bot owes people, kept in an outbox. A notice is written in the same
// transaction as the change that causes it (an issue resolved, an issue reopened), then a
// worker sends it; a crash between the two loses nothing, and a claim with a lease plus a
// look in the conversation before a retry keeps it from arriving twice.
import type { NoticeKindsOfCampaigns } from './campaigns.js';
import type { FeedbackSource } from './feedback.js';
import type { Platform } from './people.js';

export type NoticeContent =
  | { kind: 'hopeAnnouncement'; issueNumber: number; title: string; stageName: string; categoryName: string; whatChanged: string; reports: number; sources: FeedbackSource[] }
  | { kind: 'hopeThanks'; issueNumber: number; title: string; whatChanged: string; feedbackNumbers: number[] }
  | { kind: 'issueReopened'; issueNumber: number; title: string; whatChanged: string; resolvedAt: string; feedbackNumber: number; feedbackSummary: string }
  | NoticeKindsOfCampaigns;

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

export interface NoticeStore {
  /** Takes up to `limit` notices that are due, for `leaseMs`; a notice whose lease ran out is taken again. */
  claimDue(worker: string, now: Date, leaseMs: number, limit: number): Promise<Notice[]>;
  markSent(id: string, worker: string, messageId: string, now: Date): Promise<void>;
  markUndeliverable(id: string, worker: string, reason: string): Promise<void>;
  retryLater(id: string, worker: string, notBefore: Date, error: string): Promise<void>;
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

export interface NoticeRun {
  sent: number;
  undeliverable: number;
  retrying: number;
}

/** Back-off after a failure: 1, 2, 4 ... minutes, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** Sends what is due until nothing is, or `maxBatches` batches were tried. */
export async function sendDueNotices(deps: NoticeDeps, options: { batchSize?: number; maxBatches?: number } = {}): Promise<NoticeRun> {
  const run: NoticeRun = { sent: 0, undeliverable: 0, retrying: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? 100); batch++) {
    const due = await deps.notices.claimDue(deps.worker, deps.clock(), deps.leaseMs, options.batchSize ?? 20);
    if (!due.length) break;
    for (const notice of due) {
      const sender = deps.senders.find((candidate) => candidate.platform === notice.platform);
      if (!sender) {
        await deps.notices.retryLater(notice.id, deps.worker, new Date(deps.clock().getTime() + retryDelayMs(notice.attempts)), `${notice.platform} is not connected`);
        run.retrying++;
        continue;
      }
      try {
        // attempts counts this claim too: above one, an earlier attempt may have landed.
        const messageId = await sender.send(notice, { mayAlreadyBeSent: notice.attempts > 1 });
        await deps.notices.markSent(notice.id, deps.worker, messageId, deps.clock());
        run.sent++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (error instanceof UndeliverableNotice) {
          await deps.notices.markUndeliverable(notice.id, deps.worker, reason);
          deps.log('notice cannot be delivered', { key: notice.key, reason });
          run.undeliverable++;
        } else {
          await deps.notices.retryLater(notice.id, deps.worker, new Date(deps.clock().getTime() + retryDelayMs(notice.attempts)), reason);
          deps.log('notice failed; it will be retried', { key: notice.key, attempts: notice.attempts, reason });
          run.retrying++;
        }
      }
    }
  }
  return run;
}
