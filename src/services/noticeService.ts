// The outbox: thanks, announcements and call lists, sent by whichever platform adapters are
// connected, one run at a time per process.
import { sendDueNotices, undeliveredNotices, type NoticeDeps, type NoticeSender } from '../domain/notices.js';
import type { People, Person, Platform } from '../domain/people.js';
import type { Log } from '../logger.js';
import type { Db } from '../store/database.js';
import { noticeStore } from '../store/noticeStore.js';

/** A notice is one message, but Slack's Retry-After can hold it a while; then another worker may look and retry. */
export const noticeLeaseMs = 5 * 60_000;

export function createNoticeService(db: Db, deps: { people: People; worker: string; clock: () => Date; log: Log }) {
  const senders: NoticeSender[] = [];
  const noticeDeps: NoticeDeps = {
    notices: noticeStore(db),
    senders,
    worker: deps.worker,
    leaseMs: noticeLeaseMs,
    clock: deps.clock,
    log: deps.log,
  };
  let sending: Promise<unknown> = Promise.resolve();
  /** Sends what the outbox holds; calls made while a run is going wait for it rather than race it. */
  const sendNotices = () =>
    (sending = sending
      .then(() => sendDueNotices(noticeDeps))
      .catch((error) => deps.log('sending notices failed', { error: String(error) })));
  return {
    addNoticeSender: (sender: NoticeSender) => senders.push(sender),
    sendNotices,
    /** Passes an outcome through, sending the notices it queued once it succeeded. */
    thenSend: <T extends { ok: boolean }>(result: T): T => {
      if (result.ok) void sendNotices();
      return result;
    },
    /** For the CCO: notices the outbox gave up on, newest first. */
    undeliveredNotices: (by: Person) => undeliveredNotices(noticeDeps.notices, deps.people, by),
    /** Nothing more is sent to a platform the app was removed from. */
    giveUpPlatform: (platform: Platform, why: string) => noticeDeps.notices.giveUpPlatform(platform, why, deps.clock()),
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
