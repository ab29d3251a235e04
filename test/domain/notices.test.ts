// The outbox in real PostgreSQL, sent by `sendDueNotices` through a fake platform sender
// (the sender is the edge to Slack or Teams; everything behind it is real). Time moves by
// an injected clock, so leases and back-offs are checked without waiting.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendDueNotices, UndeliverableNotice, type Notice, type NoticeDeps, type NoticeDraft, type NoticeSender } from '../../src/domain/notices.js';
import { noticeLeaseMs } from '../../src/services.js';
import { openDatabase, type Database, type Db } from '../../src/store/database.js';
import { queueNotices } from '../../src/store/issueStore.js';
import { noticeStore } from '../../src/store/noticeStore.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const minute = 60_000;

let test: TestDatabase;
let db: Db;
/** Now, as the workers see it. Starts a little after the rows' own creation time. */
let now: Date;
const clock = () => now;
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  test = await freshDatabase();
  db = test.database.prisma;
});
afterAll(() => test?.drop());

beforeEach(async () => {
  await db.notice.deleteMany();
});

/** A platform that records what it was asked to send; `fail` decides per attempt whether it throws. */
function fakeSlack(fail: (notice: Notice, attempt: number) => Error | null = () => null) {
  const calls: Array<{ key: string; mayAlreadyBeSent: boolean; attempts: number }> = [];
  const sender: NoticeSender = {
    platform: 'slack',
    async send(notice, options) {
      calls.push({ key: notice.key, mayAlreadyBeSent: options.mayAlreadyBeSent, attempts: notice.attempts });
      // Like a real API call: other work runs while we wait for the platform.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const error = fail(notice, calls.filter((call) => call.key === notice.key).length);
      if (error) throw error;
      return `ts-${notice.key}`;
    },
  };
  return { sender, calls };
}

function worker(name: string, sender: NoticeSender, database: Db = db): NoticeDeps {
  return { notices: noticeStore(database), senders: [sender], worker: name, leaseMs: noticeLeaseMs, clock, log: () => {} };
}

function thanks(key: string): NoticeDraft {
  return { key, platform: 'slack', target: `U-${key}`, toUser: true, content: { kind: 'hopeThanks', issueNumber: 1, title: 'Refunds are slow', whatChanged: 'Refunds now take two days.', feedbackNumbers: [1] } };
}

async function queue(drafts: NoticeDraft[]): Promise<void> {
  await db.$transaction((tx) => queueNotices(tx, drafts));
  now = new Date(Date.now() + 1000);
}

async function row(key: string) {
  return db.notice.findUniqueOrThrow({ where: { key } });
}

describe('sending notices', () => {
  it('sends each due notice once and records it as sent', async () => {
    await queue([thanks('a'), thanks('b'), thanks('c')]);
    const slack = fakeSlack();

    const run = await sendDueNotices(worker('w1', slack.sender));

    expect(run).toEqual({ sent: 3, undeliverable: 0, retrying: 0 });
    expect(slack.calls.map((call) => call.key).sort()).toEqual(['a', 'b', 'c']);
    expect(slack.calls.every((call) => !call.mayAlreadyBeSent)).toBe(true);
    for (const key of ['a', 'b', 'c']) {
      expect(await row(key)).toMatchObject({ status: 'sent', messageId: `ts-${key}`, attempts: 1, sentAt: now, lastError: null });
    }

    later(24 * 60 * minute);
    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, undeliverable: 0, retrying: 0 });
    expect(slack.calls).toHaveLength(3);
  });

  it('queues a notice written twice only once', async () => {
    await queue([thanks('same')]);
    await queue([thanks('same')]);
    expect(await db.notice.count()).toBe(1);
  });

  it('sends each of 50 notices exactly once when two workers run at the same time', async () => {
    await queue(Array.from({ length: 50 }, (_, index) => thanks(`n${index}`)));
    // The second worker is another process: its own connections to the database.
    let other: Database | undefined;
    try {
      other = await openDatabase({ databaseUrl: test.url, pgliteDir: 'unused' });
      const slack = fakeSlack();

      const runs = await Promise.all([
        sendDueNotices(worker('w1', slack.sender), { batchSize: 5 }),
        sendDueNotices(worker('w2', slack.sender, other.prisma), { batchSize: 5 }),
      ]);

      expect(runs[0]!.sent + runs[1]!.sent).toBe(50);
      // Both really took part, so the test shows them sharing the outbox rather than one finding it empty.
      expect(runs[0]!.sent).toBeGreaterThan(0);
      expect(runs[1]!.sent).toBeGreaterThan(0);
      const keys = slack.calls.map((call) => call.key);
      expect(keys).toHaveLength(50);
      expect(new Set(keys).size).toBe(50);
      expect(await db.notice.count({ where: { status: 'sent' } })).toBe(50);
    } finally {
      await other?.close();
    }
  });

  it('retries a notice whose send failed, not before the back-off, and warns the sender it may already be there', async () => {
    await queue([thanks('flaky')]);
    const slack = fakeSlack((_notice, attempt) => (attempt === 1 ? new Error('socket hang up') : null));

    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, undeliverable: 0, retrying: 1 });
    expect(await row('flaky')).toMatchObject({ status: 'sending', attempts: 1, lastError: 'socket hang up' });

    later(30_000);
    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, undeliverable: 0, retrying: 0 });
    expect(slack.calls).toHaveLength(1);

    later(31_000);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 1, undeliverable: 0, retrying: 0 });
    expect(slack.calls).toEqual([
      { key: 'flaky', mayAlreadyBeSent: false, attempts: 1 },
      { key: 'flaky', mayAlreadyBeSent: true, attempts: 2 },
    ]);
    expect(await row('flaky')).toMatchObject({ status: 'sent', attempts: 2, messageId: 'ts-flaky', lastError: null });
  });

  it('marks a notice the platform will never take as undeliverable and never tries it again', async () => {
    await queue([thanks('gone'), thanks('fine')]);
    const slack = fakeSlack((notice) => (notice.key === 'gone' ? new UndeliverableNotice('user_not_found') : null));

    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 1, undeliverable: 1, retrying: 0 });
    expect(await row('gone')).toMatchObject({ status: 'undeliverable', lastError: 'user_not_found', sentAt: null });

    later(7 * 24 * 60 * minute);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 0, undeliverable: 0, retrying: 0 });
    expect(slack.calls.filter((call) => call.key === 'gone')).toHaveLength(1);
  });

  it('lets another worker take over a notice whose worker crashed mid-send, after the lease, warning it may already be there', async () => {
    await queue([thanks('orphan')]);
    const crashed = `crashed-${randomUUID()}`;
    const claimed = await noticeStore(db).claimDue(crashed, now, noticeLeaseMs, 10);
    expect(claimed.map((notice) => notice.key)).toEqual(['orphan']);
    const slack = fakeSlack();

    later(noticeLeaseMs / 2);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 0, undeliverable: 0, retrying: 0 });
    expect(slack.calls).toHaveLength(0);

    later(noticeLeaseMs);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 1, undeliverable: 0, retrying: 0 });
    expect(slack.calls).toEqual([{ key: 'orphan', mayAlreadyBeSent: true, attempts: 2 }]);
    expect(await row('orphan')).toMatchObject({ status: 'sent', claimedBy: 'w2', messageId: 'ts-orphan' });

    // The crashed worker waking up late cannot overwrite what the other one recorded.
    await noticeStore(db).markSent(claimed[0]!.id, crashed, 'ts-late', now);
    expect(await row('orphan')).toMatchObject({ status: 'sent', claimedBy: 'w2', messageId: 'ts-orphan' });
  });

  it('keeps each notice of a slow batch its own, so a second worker does not send it again', async () => {
    await queue([thanks('first'), thanks('second')]);
    const other = fakeSlack();
    const sentBy: string[] = [];
    // Rate limits hold each send most of a lease: the batch as a whole outlives the lease it was claimed with.
    const slow: NoticeSender = {
      platform: 'slack',
      async send(notice) {
        later(noticeLeaseMs * 0.8);
        sentBy.push(`w1:${notice.key}`);
        await sendDueNotices(worker('w2', other.sender));
        return `ts-${notice.key}`;
      },
    };
    await sendDueNotices(worker('w1', slow));

    expect(sentBy.sort()).toEqual(['w1:first', 'w1:second']);
    expect(other.calls).toEqual([]);
    expect(await row('second')).toMatchObject({ status: 'sent', claimedBy: 'w1' });
  });
});
