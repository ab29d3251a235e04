// "You told us, we changed it": a leader resolves an issue, the hope channel hears what
// changed and everyone who logged it is thanked; customers raising it again reopen it.
// Real PostgreSQL through createServices; the notices are read straight from the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackInput, FeedbackView } from '../../src/domain/feedback.js';
import type { NoticeContent } from '../../src/domain/notices.js';
import type { Person } from '../../src/domain/people.js';
import type { Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { logAndSort as logAndSortWith, servicesOnFreshDatabase } from '../support/services.js';
import type { TestDatabase } from '../support/testDatabase.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const leader: Person = { platform: 'slack', userId: 'ULEAD' };
const ana: Person = { platform: 'slack', userId: 'USTAFF_ANA' };
const ben: Person = { platform: 'slack', userId: 'USTAFF_BEN' };
const cleo: Person = { platform: 'slack', userId: 'USTAFF_CLEO' };

let test: TestDatabase;
let db: Db;
let services: Services;

beforeAll(async () => {
  ({ test, db, services } = await servicesOnFreshDatabase({ BOOTSTRAP_CCO_SLACK_IDS: cco.userId }));
  expect(await services.people.grant(cco, leader, 'leader')).toMatchObject({ ok: true });
});
afterAll(() => test?.drop());

const logAndSort = (by: Person, input: FeedbackInput) => logAndSortWith(services, by, input);

async function noticesOf(kind: NoticeContent['kind']) {
  const notices = await db.notice.findMany({ where: { kind }, orderBy: { createdAt: 'asc' } });
  return notices.map((notice) => ({ ...notice, content: notice.payload as unknown as NoticeContent }));
}

/** Each thank-you as "who, for which feedback numbers", in a stable order. */
function thanksList(notices: Awaited<ReturnType<typeof noticesOf>>) {
  return notices
    .map((notice) => ({
      target: notice.target,
      feedbackNumbers: notice.content.kind === 'hopeThanks' ? notice.content.feedbackNumbers : [],
    }))
    .sort((a, b) => a.target.localeCompare(b.target));
}

describe('resolving an issue', () => {
  let issueNumber: number;
  const numbers: Record<string, number> = {};

  beforeAll(async () => {
    const first = await logAndSort(ana, {
      text: 'The refund for my returned parcel never reached my card',
      source: 'call_centre',
    });
    const second = await logAndSort(ben, {
      text: 'Still no refund on my card for the parcel I returned',
      source: 'web',
    });
    const third = await logAndSort(ana, {
      text: 'My refund for the returned parcel has not reached my card yet',
      source: 'store',
    });
    expect(new Set([first, second, third].map((view) => view.feedback.issueId)).size).toBe(1);
    issueNumber = first.issue!.number;
    numbers.anaFirst = first.feedback.number;
    numbers.ben = second.feedback.number;
    numbers.anaSecond = third.feedback.number;
    const channel = await services.setHopeChannel(leader, { platform: 'slack', channelId: 'C_HOPE' }, true);
    expect(channel).toMatchObject({ ok: true });
  });

  it('refuses staff in plain words', async () => {
    const attempt = await services.resolveIssue(ana, issueNumber, 'We now refund returns within two days.');
    expect(attempt).toEqual({
      ok: false,
      message:
        'Only the CCO or a leader can mark an issue resolved. You are staff here; ask your CCO if that should change.',
    });
    expect((await services.issueByNumber(issueNumber))!.status).toBe('open');
  });

  it('asks a leader for a sentence when what changed is too short', async () => {
    const attempt = await services.resolveIssue(leader, issueNumber, 'fixed');
    expect(attempt.ok).toBe(false);
    expect(!attempt.ok && attempt.message).toMatch(/^Say what changed, in a sentence/);
    expect((await services.issueByNumber(issueNumber))!.status).toBe('open');
    expect(await db.notice.count()).toBe(0);
  });

  it('tells the leader it is announcing in one channel and thanking the two people who logged it', async () => {
    const resolved = await services.resolveIssue(
      leader,
      issueNumber,
      'Refunds for returned parcels now reach the card within two days.',
    );

    expect(resolved).toEqual({
      ok: true,
      reporters: 2,
      channels: 1,
      message: `Issue #${issueNumber} is resolved. I am announcing it in 1 channel, and thanking 2 people who logged it.`,
    });
    const issue = (await services.issueByNumber(issueNumber))!;
    expect(issue.status).toBe('resolved');
    expect(issue.lastResolution?.whatChanged).toBe('Refunds for returned parcels now reach the card within two days.');
  });

  it('queues one announcement for the hope channel and one thank-you per reporter, listing their feedback', async () => {
    const announcements = await noticesOf('hopeAnnouncement');
    expect(announcements).toHaveLength(1);
    expect(announcements[0]).toMatchObject({ platform: 'slack', target: 'C_HOPE', toUser: false });
    expect(announcements[0]!.content).toMatchObject({
      kind: 'hopeAnnouncement',
      issueNumber,
      whatChanged: 'Refunds for returned parcels now reach the card within two days.',
      reports: 3,
      stageName: 'Use',
      categoryName: 'Billing',
    });

    const thanks = await noticesOf('hopeThanks');
    expect(thanks.every((notice) => notice.toUser && notice.platform === 'slack')).toBe(true);
    expect(thanksList(thanks)).toEqual([
      { target: ana.userId, feedbackNumbers: [numbers.anaFirst, numbers.anaSecond] },
      { target: ben.userId, feedbackNumbers: [numbers.ben] },
    ]);
  });

  it('says an issue is already resolved when resolved again, and queues nothing more', async () => {
    const before = await db.notice.count();
    const again = await services.resolveIssue(
      leader,
      issueNumber,
      'Refunds for returned parcels now reach the card within two days.',
    );
    expect(again.ok).toBe(false);
    expect(!again.ok && again.message).toMatch(
      new RegExp(`^Issue #${issueNumber} is already resolved: "Refunds for returned parcels`),
    );
    expect(await db.notice.count()).toBe(before);
  });

  it('reopens when a customer raises it again, and tells the leader who resolved it, once', async () => {
    const raised = await logAndSort(cleo, {
      text: 'Another week and the refund for my returned parcel is not on my card',
      source: 'web',
    });
    numbers.cleo = raised.feedback.number;

    expect(raised.issue).toMatchObject({ number: issueNumber, status: 'open' });
    const reopened = await noticesOf('issueReopened');
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ platform: 'slack', target: leader.userId, toUser: true });
    expect(reopened[0]!.content).toMatchObject({
      kind: 'issueReopened',
      issueNumber,
      feedbackNumber: raised.feedback.number,
    });

    // A second report while it is open again is filed quietly.
    const more = await logAndSort(ana, {
      text: 'Where is the refund for my returned parcel? Not on my card yet',
      source: 'call_centre',
    });
    numbers.anaAfterFix = more.feedback.number;
    expect(more.issue).toMatchObject({ number: issueNumber, status: 'open' });
    expect(await noticesOf('issueReopened')).toHaveLength(1);
  });

  it('thanks only the people who reported it since the last fix when it is resolved again', async () => {
    const resolved = await services.resolveIssue(
      leader,
      issueNumber,
      'Refunds are now paid by the courier at pick-up, not by the warehouse.',
    );
    expect(resolved).toMatchObject({ ok: true, reporters: 2, channels: 1 });

    const latest = await db.issueResolution.findFirstOrThrow({ orderBy: { resolvedAt: 'desc' } });
    const thanks = (await noticesOf('hopeThanks')).filter((notice) =>
      notice.key.startsWith(`hope-thanks:${latest.id}:`),
    );
    expect(thanksList(thanks)).toEqual([
      { target: ana.userId, feedbackNumbers: [numbers.anaAfterFix] },
      { target: cleo.userId, feedbackNumbers: [numbers.cleo] },
    ]);
    expect(await noticesOf('hopeAnnouncement')).toHaveLength(2);
  });
});

describe('merging and splitting issues', () => {
  let onHold: FeedbackView;
  let unhelpful: FeedbackView;

  beforeAll(async () => {
    onHold = await logAndSort(ana, {
      text: 'The agent put me on hold for forty minutes and was rude',
      source: 'call_centre',
    });
    unhelpful = await logAndSort(ben, {
      text: 'Waited an hour on hold, and the staff member was unhelpful',
      source: 'store',
    });
    expect([onHold.stageName, onHold.categoryName]).toEqual(['Get help', 'Staff and service']);
    expect([unhelpful.stageName, unhelpful.categoryName]).toEqual(['Get help', 'Staff and service']);
    expect(unhelpful.issue!.number).not.toBe(onHold.issue!.number);
  });

  it('refuses staff in plain words', async () => {
    const message =
      'Only the CCO or a leader can merge or split issues. You are staff here; ask your CCO if that should change.';
    expect(await services.mergeIssues(ana, unhelpful.issue!.number, onHold.issue!.number)).toEqual({
      ok: false,
      message,
    });
    expect(await services.splitIssue(ana, onHold.issue!.number, [onHold.feedback.number])).toEqual({
      ok: false,
      message,
    });
  });

  it('names the issue number it cannot find', async () => {
    expect(await services.mergeIssues(leader, 9999, onHold.issue!.number)).toEqual({
      ok: false,
      message: 'There is no issue #9999.',
    });
    expect(await services.mergeIssues(leader, onHold.issue!.number, 9999)).toEqual({
      ok: false,
      message: 'There is no issue #9999.',
    });
    expect(await services.mergeIssues(leader, onHold.issue!.number, onHold.issue!.number)).toEqual({
      ok: false,
      message: 'Those are the same issue.',
    });
    expect(await services.splitIssue(leader, 9999, [onHold.feedback.number])).toEqual({
      ok: false,
      message: 'There is no open issue #9999.',
    });
  });

  it('lets a leader merge one issue into another: its reports move and it leaves the open list', async () => {
    const from = unhelpful.issue!.number;
    const into = onHold.issue!.number;

    const merged = await services.mergeIssues(leader, from, into);

    expect(merged.ok).toBe(true);
    expect(merged.message).toMatch(
      new RegExp(
        `^Issue #${from} \\(1 reports?\\) is now part of #${into} "The agent put me on hold for forty minutes and was rude"\\.$`,
      ),
    );
    expect(await services.issueByNumber(from)).toMatchObject({ status: 'merged', mergedIntoNumber: into });
    const target = (await services.issueByNumber(into))!;
    expect(target.feedbackCount).toBe(2);
    expect([...target.sources].sort()).toEqual(['call_centre', 'store']);
    expect((await services.openIssues(100)).map((issue) => issue.number)).not.toContain(from);
    expect(await services.mergeIssues(leader, from, into)).toEqual({
      ok: false,
      message: `Issue #${from} was already merged into #${into}.`,
    });
    const resolveMerged = await services.resolveIssue(leader, from, 'Hold music replaced by a call-back offer.');
    expect(resolveMerged).toEqual({ ok: false, message: `Issue #${from} was merged into #${into}: resolve that one.` });
  });

  it('says "1 report", not "1 reports", when merging an issue with one report', async () => {
    const radio = await logAndSort(ana, {
      text: 'I heard about you from an advert on the radio, the advert was confusing',
      source: 'social',
    });
    const brochure = await logAndSort(ben, {
      text: 'The brochure was confusing and the email never told me the price',
      source: 'store',
    });
    expect([brochure.stageName, brochure.categoryName]).toEqual([radio.stageName, radio.categoryName]);
    expect(brochure.issue!.number).not.toBe(radio.issue!.number);

    const merged = await services.mergeIssues(leader, brochure.issue!.number, radio.issue!.number);

    expect(merged.ok).toBe(true);
    expect(merged.message).toContain(
      `Issue #${brochure.issue!.number} (1 report) is now part of #${radio.issue!.number}`,
    );
  });

  it('refuses to split out feedback that is not in the issue, and moves nothing', async () => {
    const issue = onHold.issue!.number;
    const elsewhere = await logAndSort(cleo, {
      text: 'The app login fails with a password error every morning',
      source: 'web',
    });

    const attempt = await services.splitIssue(leader, issue, [unhelpful.feedback.number, elsewhere.feedback.number]);

    expect(attempt).toEqual({
      ok: false,
      message: `Feedback #${elsewhere.feedback.number} is not part of issue #${issue}. Nothing was moved.`,
    });
    expect((await services.issueByNumber(issue))!.feedbackCount).toBe(2);
  });

  it('refuses to split out every report of an issue', async () => {
    const issue = onHold.issue!.number;
    const attempt = await services.splitIssue(leader, issue, [onHold.feedback.number, unhelpful.feedback.number]);
    expect(attempt).toEqual({
      ok: false,
      message: `That is all of issue #${issue}'s feedback: nothing would be left. Leave at least one report in it.`,
    });
  });

  it('lets a leader split feedback out into a new issue', async () => {
    const issue = onHold.issue!.number;

    const split = await services.splitIssue(leader, issue, [unhelpful.feedback.number]);

    expect(split.ok).toBe(true);
    const newNumber = Number(/into a new issue #(\d+)\.$/.exec(split.message)?.[1]);
    expect(split.message).toBe(`Moved 1 report from #${issue} into a new issue #${newNumber}.`);
    const created = (await services.issueByNumber(newNumber))!;
    expect(created).toMatchObject({
      status: 'open',
      feedbackCount: 1,
      stageName: 'Get help',
      categoryName: 'Staff and service',
      sources: ['store'],
    });
    expect(created.title).toBe('Waited an hour on hold, and the staff member was unhelpful');
    expect((await services.issueByNumber(issue))!.feedbackCount).toBe(1);
  });
});
