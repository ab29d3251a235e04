// The outbox in real PostgreSQL, sent by `sendDueNotices` through a fake platform sender
// (the sender is the edge to Slack or Teams; everything behind it is real). Time moves by
// an injected clock, so leases and back-offs are checked without waiting.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  maxNoticeAttempts,
  retryDelayMs,
  sendDueNotices,
  UndeliverableNotice,
  type Notice,
  type NoticeDeps,
  type NoticeDraft,
  type NoticeSender,
} from '../../src/domain/notices.js';
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
  return {
    notices: noticeStore(database),
    senders: [sender],
    worker: name,
    leaseMs: noticeLeaseMs,
    clock,
    log: () => {},
  };
}

function thanks(key: string): NoticeDraft {
  return {
    key,
    platform: 'slack',
    target: `U-${key}`,
    toUser: true,
    content: {
      kind: 'hopeThanks',
      issueNumber: 1,
      title: 'Refunds are slow',
      whatChanged: 'Refunds now take two days.',
      feedbackNumbers: [1],
    },
  };
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

    expect(run).toEqual({ sent: 3, givenUp: 0, retrying: 0 });
    expect(slack.calls.map((call) => call.key).sort()).toEqual(['a', 'b', 'c']);
    expect(slack.calls.every((call) => !call.mayAlreadyBeSent)).toBe(true);
    for (const key of ['a', 'b', 'c']) {
      expect(await row(key)).toMatchObject({
        status: 'sent',
        messageId: `ts-${key}`,
        attempts: 1,
        sentAt: now,
        lastError: null,
      });
    }

    later(24 * 60 * minute);
    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, givenUp: 0, retrying: 0 });
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

    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, givenUp: 0, retrying: 1 });
    expect(await row('flaky')).toMatchObject({ status: 'sending', attempts: 1, lastError: 'socket hang up' });

    later(30_000);
    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 0, givenUp: 0, retrying: 0 });
    expect(slack.calls).toHaveLength(1);

    later(31_000);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 1, givenUp: 0, retrying: 0 });
    expect(slack.calls).toEqual([
      { key: 'flaky', mayAlreadyBeSent: false, attempts: 1 },
      { key: 'flaky', mayAlreadyBeSent: true, attempts: 2 },
    ]);
    expect(await row('flaky')).toMatchObject({ status: 'sent', attempts: 2, messageId: 'ts-flaky', lastError: null });
  });

  it('marks a notice the platform will never take as undeliverable and never tries it again', async () => {
    await queue([thanks('gone'), thanks('fine')]);
    const slack = fakeSlack((notice) => (notice.key === 'gone' ? new UndeliverableNotice('user_not_found') : null));

    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 1, givenUp: 1, retrying: 0 });
    expect(await row('gone')).toMatchObject({
      status: 'undeliverable',
      givenUpBecause: 'refused',
      givenUpAt: now,
      lastError: 'user_not_found',
      sentAt: null,
    });

    later(7 * 24 * 60 * minute);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 0, givenUp: 0, retrying: 0 });
    expect(slack.calls.filter((call) => call.key === 'gone')).toHaveLength(1);
  });

  it('lets another worker take over a notice whose worker crashed mid-send, after the lease, warning it may already be there', async () => {
    await queue([thanks('orphan')]);
    const crashed = `crashed-${randomUUID()}`;
    const claimed = await noticeStore(db).claimDue(crashed, now, noticeLeaseMs, 10, ['slack']);
    expect(claimed.map((notice) => notice.key)).toEqual(['orphan']);
    const slack = fakeSlack();

    later(noticeLeaseMs / 2);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 0, givenUp: 0, retrying: 0 });
    expect(slack.calls).toHaveLength(0);

    later(noticeLeaseMs);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 1, givenUp: 0, retrying: 0 });
    expect(slack.calls).toEqual([{ key: 'orphan', mayAlreadyBeSent: true, attempts: 2 }]);
    expect(await row('orphan')).toMatchObject({ status: 'sent', claimedBy: 'w2', messageId: 'ts-orphan' });

    // The crashed worker waking up late cannot overwrite what the other one recorded.
    await noticeStore(db).markSent(claimed[0]!.id, crashed, 'ts-late', now);
    expect(await row('orphan')).toMatchObject({ status: 'sent', claimedBy: 'w2', messageId: 'ts-orphan' });
  });

  it('claims no more than it can send at once, so another worker sends what a slow one could not start', async () => {
    await queue([thanks('first'), thanks('second')]);
    const other = fakeSlack();
    const sentBy: string[] = [];
    // Rate limits hold w1's only lane most of a lease; meanwhile another worker runs.
    const slow: NoticeSender = {
      platform: 'slack',
      async send(notice) {
        later(noticeLeaseMs * 0.8);
        sentBy.push(`w1:${notice.key}`);
        await sendDueNotices(worker('w2', other.sender));
        return `ts-${notice.key}`;
      },
    };
    await sendDueNotices(worker('w1', slow), { conversationsAtOnce: 1 });

    expect(sentBy).toEqual(['w1:first']);
    expect(other.calls.map((call) => call.key)).toEqual(['second']);
    expect(await row('first')).toMatchObject({ status: 'sent', claimedBy: 'w1', attempts: 1 });
    expect(await row('second')).toMatchObject({ status: 'sent', claimedBy: 'w2', attempts: 1 });
  });

  it('gives up a notice that keeps failing after the bounded number of tries, keeping its last error', async () => {
    await queue([thanks('flaky-for-ever'), thanks('fine')]);
    const slack = fakeSlack((notice, attempt) =>
      notice.key === 'flaky-for-ever' ? new Error(`socket hang up #${attempt}`) : null,
    );

    const runs = [];
    for (let attempt = 1; attempt <= maxNoticeAttempts + 2; attempt++) {
      runs.push(await sendDueNotices(worker('w1', slack.sender)));
      later(retryDelayMs(attempt) + 1000);
    }

    expect(slack.calls.filter((call) => call.key === 'flaky-for-ever')).toHaveLength(maxNoticeAttempts);
    expect(runs.reduce((total, run) => total + run.givenUp, 0)).toBe(1);
    expect(runs.reduce((total, run) => total + run.retrying, 0)).toBe(maxNoticeAttempts - 1);
    expect(await row('flaky-for-ever')).toMatchObject({
      status: 'undeliverable',
      givenUpBecause: 'tooManyAttempts',
      attempts: maxNoticeAttempts,
      lastError: `socket hang up #${maxNoticeAttempts}`,
      sentAt: null,
    });
    expect(await row('fine')).toMatchObject({ status: 'sent' });

    const undelivered = await noticeStore(db).undelivered(10);
    expect(undelivered.total).toBe(1);
    expect(undelivered.notices).toEqual([
      expect.objectContaining({
        target: 'U-flaky-for-ever',
        toUser: true,
        because: 'tooManyAttempts',
        attempts: maxNoticeAttempts,
        lastError: `socket hang up #${maxNoticeAttempts}`,
        content: expect.objectContaining({ kind: 'hopeThanks', title: 'Refunds are slow' }),
      }),
    ]);
  });

  it('keeps notices to one conversation in order, even when the first one has to wait for a retry', async () => {
    const toChannel = (key: string): NoticeDraft => ({ ...thanks(key), target: 'C-one', toUser: false });
    await queue([toChannel('part-1'), toChannel('part-2'), toChannel('part-3'), thanks('elsewhere')]);
    const slack = fakeSlack((notice, attempt) =>
      notice.key === 'part-1' && attempt === 1 ? new Error('socket hang up') : null,
    );

    // Conversations go side by side, so only the order within C-one is fixed.
    const inChannel = () => slack.calls.map((call) => call.key).filter((key) => key.startsWith('part-'));
    expect(await sendDueNotices(worker('w1', slack.sender))).toEqual({ sent: 1, givenUp: 0, retrying: 1 });
    // part-2 and part-3 were due all along, but may not overtake part-1.
    expect(inChannel()).toEqual(['part-1']);
    expect(slack.calls.map((call) => call.key)).toContain('elsewhere');

    later(retryDelayMs(1) + 1000);
    expect(await sendDueNotices(worker('w2', slack.sender))).toEqual({ sent: 3, givenUp: 0, retrying: 0 });
    expect(inChannel()).toEqual(['part-1', 'part-1', 'part-2', 'part-3']);
    expect(slack.calls).toHaveLength(5);
  });

  it("sends a conversation's next notice when the one before it goes while the outbox is looking for more", async () => {
    const toChannel = (key: string): NoticeDraft => ({ ...thanks(key), target: 'C-one', toUser: false });
    await queue([toChannel('first'), toChannel('second')]);
    let answerFirst: (() => void) | undefined;
    const firstMayGo = new Promise<void>((resolve) => (answerFirst = resolve));
    const sender: NoticeSender = {
      platform: 'slack',
      async send(notice) {
        if (notice.key === 'first') await firstMayGo;
        return `ts-${notice.key}`;
      },
    };
    const store = noticeStore(db);
    let claims = 0;
    const deps: NoticeDeps = {
      ...worker('w1', sender),
      notices: {
        ...store,
        // The second look finds nothing ('second' waits behind 'first'); 'first' is sent before that answer arrives.
        async claimDue(...args) {
          const due = await store.claimDue(...args);
          if (++claims === 2) {
            answerFirst!();
            await expect.poll(async () => (await row('first')).status).toBe('sent');
            await new Promise((resolve) => setImmediate(resolve));
          }
          return due;
        },
      },
    };

    expect(await sendDueNotices(deps)).toEqual({ sent: 2, givenUp: 0, retrying: 0 });
    expect(await row('second')).toMatchObject({ status: 'sent' });
  });

  it('sends to other conversations while one never answers', async () => {
    await queue([thanks('stuck'), ...Array.from({ length: 8 }, (_, index) => thanks(`other-${index}`))]);
    let answer: (() => void) | undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const sent: string[] = [];
    const sender: NoticeSender = {
      platform: 'slack',
      async send(notice) {
        if (notice.key === 'stuck') await answered;
        sent.push(notice.key);
        return `ts-${notice.key}`;
      },
    };

    const run = sendDueNotices(worker('w1', sender));
    const others = Array.from({ length: 8 }, (_, index) => `other-${index}`);
    await expect
      .poll(async () => db.notice.count({ where: { key: { in: others }, status: 'sent' } }), { timeout: 30_000 })
      .toBe(8);
    expect(sent).not.toContain('stuck');
    expect(await row('stuck')).toMatchObject({ status: 'sending' });

    answer!();
    expect(await run).toEqual({ sent: 9, givenUp: 0, retrying: 0 });
  });
});
