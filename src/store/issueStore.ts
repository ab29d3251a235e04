import type { FeedbackSource, StoredFeedback } from '../domain/feedback.js';
import { reopenedNotice, type HopeStore, type Reporter } from '../domain/hope.js';
import type { IssueCandidate, IssueStore, IssueSummary } from '../domain/issues.js';
import type { NoticeDraft } from '../domain/notices.js';
import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';

type Tx = Prisma.TransactionClient;

/** Candidates compare new feedback against the title and this many recent reports. */
const textsPerCandidate = 20;

export async function queueNotices(tx: Tx, drafts: NoticeDraft[]): Promise<void> {
  if (!drafts.length) return;
  await tx.notice.createMany({
    data: drafts.map((draft) => ({
      key: draft.key,
      platform: draft.platform,
      target: draft.target,
      toUser: draft.toUser,
      kind: draft.content.kind,
      payload: draft.content,
    })),
    skipDuplicates: true,
  });
}

function titleOf(feedback: { summary: string | null; text: string }): string {
  const line = (feedback.summary ?? feedback.text).replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

async function summaries(
  db: Db | Tx,
  where: Prisma.IssueWhereInput,
  options: { take?: number; byVolume?: boolean } = {},
): Promise<IssueSummary[]> {
  const issues = await db.issue.findMany({
    where,
    include: {
      stage: { select: { name: true } },
      category: { select: { name: true } },
      resolutions: { orderBy: { resolvedAt: 'desc' }, take: 1, select: { whatChanged: true, resolvedAt: true } },
      _count: { select: { feedback: true } },
    },
    orderBy: options.byVolume ? [{ feedback: { _count: 'desc' } }, { number: 'asc' }] : { number: 'asc' },
    ...(options.take ? { take: options.take } : {}),
  });
  if (!issues.length) return [];
  const sourceRows = await db.feedback.groupBy({
    by: ['issueId', 'source'],
    where: { issueId: { in: issues.map((issue) => issue.id) } },
    orderBy: { source: 'asc' },
  });
  const mergedInto = await db.issue.findMany({
    where: { id: { in: issues.flatMap((issue) => (issue.mergedIntoId ? [issue.mergedIntoId] : [])) } },
    select: { id: true, number: true },
  });
  return issues.map((issue) => ({
    id: issue.id,
    number: issue.number,
    title: issue.title,
    status: issue.status,
    stageName: issue.stage.name,
    categoryName: issue.category.name,
    feedbackCount: issue._count.feedback,
    sources: sourceRows.filter((row) => row.issueId === issue.id).map((row) => row.source as FeedbackSource),
    mergedIntoNumber: mergedInto.find((target) => target.id === issue.mergedIntoId)?.number ?? null,
    lastResolution: issue.resolutions[0] ?? null,
  }));
}

async function candidates(tx: Tx, stageId: string, categoryId: string): Promise<IssueCandidate[]> {
  const issues = await tx.issue.findMany({
    where: { stageId, categoryId, status: { in: ['open', 'resolved'] } },
    orderBy: { openedAt: 'desc' },
    take: 200,
    select: {
      id: true,
      title: true,
      feedback: { orderBy: { loggedAt: 'desc' }, take: textsPerCandidate, select: { text: true } },
    },
  });
  return issues.map((issue) => ({
    id: issue.id,
    texts: [issue.title, ...issue.feedback.map((feedback) => feedback.text.slice(0, 2000))],
  }));
}

async function openIssueWith(tx: Tx, feedback: StoredFeedback): Promise<{ issueId: string; issueNumber: number }> {
  const issue = await tx.issue.create({
    data: { stageId: feedback.stageId!, categoryId: feedback.categoryId!, title: titleOf(feedback) },
  });
  await tx.feedback.update({ where: { id: feedback.id }, data: { issueId: issue.id } });
  return { issueId: issue.id, issueNumber: issue.number };
}

async function attach(
  tx: Tx,
  feedback: StoredFeedback,
  issueId: string,
): Promise<{ issueNumber: number; reopened: boolean }> {
  await tx.feedback.update({ where: { id: feedback.id }, data: { issueId } });
  const reopened = await tx.issue.updateMany({ where: { id: issueId, status: 'resolved' }, data: { status: 'open' } });
  const issue = await tx.issue.findUniqueOrThrow({ where: { id: issueId }, select: { number: true, title: true } });
  if (reopened.count) {
    const resolution = await tx.issueResolution.findFirst({
      where: { issueId, reopenedAt: null },
      orderBy: { resolvedAt: 'desc' },
    });
    if (resolution) {
      await tx.issueResolution.update({ where: { id: resolution.id }, data: { reopenedAt: new Date() } });
      await queueNotices(tx, [reopenedNotice(resolution, issue, feedback)]);
    }
  }
  return { issueNumber: issue.number, reopened: reopened.count > 0 };
}

export function issueStore(db: Db): IssueStore {
  return {
    async fileFeedback(feedback, choose) {
      return db.$transaction(
        async (tx) => {
          // Serialises filings per stage and category: without it, simultaneous reports each see no issue and each open one.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`issue-filing:${feedback.stageId}:${feedback.categoryId}`}))`;
          const chosen = choose(await candidates(tx, feedback.stageId!, feedback.categoryId!));
          if (!chosen) return { ...(await openIssueWith(tx, feedback)), reopened: false };
          return { issueId: chosen, ...(await attach(tx, feedback, chosen)) };
        },
        // A burst of reports queues on the lock; the defaults (2 s to start, 5 s to finish) are too short for that under load.
        { maxWait: 30_000, timeout: 30_000 },
      );
    },

    async detachFeedback(feedbackId) {
      await db.feedback.update({ where: { id: feedbackId }, data: { issueId: null } });
    },

    async issueSummary(id) {
      return (await summaries(db, { id }))[0] ?? null;
    },

    async issueByNumber(number) {
      return (await summaries(db, { number }))[0] ?? null;
    },

    async openIssues(limit) {
      // An issue whose reports were all moved elsewhere (a correction, a reclassification) has nothing left to act on.
      return summaries(db, { status: 'open', feedback: { some: {} } }, { take: limit, byVolume: true });
    },

    async merge(fromId, intoId) {
      await db.$transaction(async (tx) => {
        await tx.feedback.updateMany({ where: { issueId: fromId }, data: { issueId: intoId } });
        await tx.issue.update({ where: { id: fromId }, data: { status: 'merged', mergedIntoId: intoId } });
      });
    },

    async split(issueId, feedbackNumbers) {
      return db.$transaction(async (tx) => {
        const moving = await tx.feedback.findMany({
          where: { number: { in: feedbackNumbers } },
          orderBy: { loggedAt: 'asc' },
        });
        const notInIssue = feedbackNumbers.filter(
          (number) => !moving.some((feedback) => feedback.number === number && feedback.issueId === issueId),
        );
        if (notInIssue.length) return { ok: false as const, notInIssue };
        if (moving.length >= (await tx.feedback.count({ where: { issueId } })))
          return { ok: false as const, wouldEmpty: true as const };
        const from = await tx.issue.findUniqueOrThrow({ where: { id: issueId } });
        const issue = await tx.issue.create({
          data: { stageId: from.stageId, categoryId: from.categoryId, title: titleOf(moving[0]!) },
        });
        await tx.feedback.updateMany({
          where: { id: { in: moving.map((feedback) => feedback.id) } },
          data: { issueId: issue.id },
        });
        return { ok: true as const, issueNumber: issue.number };
      });
    },
  };
}

export function hopeStore(db: Db): HopeStore {
  return {
    async resolve(record, notices) {
      return db.$transaction(async (tx) => {
        const claimed = await tx.issue.updateMany({
          where: { id: record.issueId, status: 'open' },
          data: { status: 'resolved' },
        });
        if (!claimed.count) return 'notOpen' as const;
        const previous = await tx.issueResolution.findFirst({
          where: { issueId: record.issueId },
          orderBy: { resolvedAt: 'desc' },
          select: { resolvedAt: true },
        });
        // Whoever was thanked for an earlier fix is not thanked again for it; new reporters since then are.
        const reported = await tx.feedback.findMany({
          where: { issueId: record.issueId, ...(previous ? { loggedAt: { gt: previous.resolvedAt } } : {}) },
          orderBy: { number: 'asc' },
          select: { platform: true, reporterId: true, number: true },
        });
        const reporters = new Map<string, Reporter>();
        for (const row of reported) {
          // Feedback another system sent (the feedback API, a CSV) has no person behind it to thank.
          if (!row.platform) continue;
          const key = `${row.platform}:${row.reporterId}`;
          const reporter = reporters.get(key) ?? {
            platform: row.platform,
            userId: row.reporterId,
            feedbackNumbers: [],
          };
          reporter.feedbackNumbers.push(row.number);
          reporters.set(key, reporter);
        }
        const channels = await tx.channelSubscription.findMany({
          where: { purpose: 'hope' },
          orderBy: { subscribedAt: 'asc' },
          select: { platform: true, channelId: true },
        });
        const resolution = await tx.issueResolution.create({
          data: {
            issueId: record.issueId,
            whatChanged: record.whatChanged,
            platform: record.by.platform,
            resolvedBy: record.by.userId,
            resolvedAt: record.at,
          },
        });
        await queueNotices(tx, notices(resolution.id, [...reporters.values()], channels));
        return { resolutionId: resolution.id, reporters: reporters.size, channels: channels.length };
      });
    },
  };
}
