// Marketing hope: when a leader fixes what customers complained about, the company hears
// what changed, and everyone who passed the complaint on is thanked by name, so the
// frontline sees that logging feedback makes a difference.
import { z } from 'zod';
import type { IssueStore, IssueSummary } from './issues.js';
import type { NoticeDraft } from './notices.js';
import { commandFor, type People, type Person, type Platform } from './people.js';

export interface Reporter {
  platform: Platform;
  userId: string;
  feedbackNumbers: number[];
}

export interface ResolutionRecord {
  issueId: string;
  whatChanged: string;
  by: Person;
  at: Date;
}

export interface HopeStore {
  /**
   * In one transaction: the issue becomes resolved, the resolution is recorded, and the
   * notices built from the reporters since the last fix and the hope channels are queued.
   * 'notOpen' if someone resolved or merged it first.
   */
  resolve(
    record: ResolutionRecord,
    notices: (
      resolutionId: string,
      reporters: Reporter[],
      hopeChannels: Array<{ platform: Platform; channelId: string }>,
    ) => NoticeDraft[],
  ): Promise<{ resolutionId: string; reporters: number; channels: number } | 'notOpen'>;
}

const whatChangedText = z.string().trim().min(10, 'short').max(1500, 'long');

export type Resolved =
  | { ok: true; message: string; reporters: number; channels: number }
  | { ok: false; message: string };

export async function resolveIssue(
  deps: { issues: IssueStore; hope: HopeStore; people: People; clock: () => Date },
  by: Person,
  issueNumber: number,
  whatChanged: string,
): Promise<Resolved> {
  const permission = await deps.people.may(by, 'resolveIssue');
  if (!permission.allowed) return { ok: false, message: permission.message };
  const issue = await deps.issues.issueByNumber(issueNumber);
  if (!issue)
    return {
      ok: false,
      message: `There is no issue #${issueNumber}. ${commandFor(by.platform, 'issues')} lists the open ones.`,
    };
  if (issue.status === 'merged')
    return {
      ok: false,
      message: `Issue #${issueNumber} was merged into #${issue.mergedIntoNumber}: resolve that one.`,
    };
  if (issue.status === 'resolved')
    return {
      ok: false,
      message: `Issue #${issueNumber} is already resolved: "${issue.lastResolution?.whatChanged ?? ''}". It reopens by itself if customers raise it again.`,
    };
  const text = whatChangedText.safeParse(whatChanged);
  if (!text.success) {
    return {
      ok: false,
      message:
        text.error.issues[0]!.message === 'short'
          ? 'Say what changed, in a sentence people will recognise (at least 10 characters): it is what reporters and customers will read.'
          : 'Please keep what changed under 1,500 characters; link to the details instead.',
    };
  }
  const result = await deps.hope.resolve(
    { issueId: issue.id, whatChanged: text.data, by, at: deps.clock() },
    (resolutionId, reporters, channels) => hopeNotices(resolutionId, issue, text.data, reporters, channels),
  );
  if (result === 'notOpen')
    return { ok: false, message: `Issue #${issueNumber} was resolved or merged by someone else a moment ago.` };
  return {
    ok: true,
    reporters: result.reporters,
    channels: result.channels,
    message: `Issue #${issueNumber} is resolved. ${result.channels ? `I am announcing it in ${result.channels} ${result.channels === 1 ? 'channel' : 'channels'}` : `No channel is set for announcements yet (${commandFor(by.platform, 'issues announce-here')})`}, and thanking ${result.reporters} ${result.reporters === 1 ? 'person' : 'people'} who logged it.`,
  };
}

export function hopeNotices(
  resolutionId: string,
  issue: IssueSummary,
  whatChanged: string,
  reporters: Reporter[],
  channels: Array<{ platform: Platform; channelId: string }>,
): NoticeDraft[] {
  const announcement = {
    kind: 'hopeAnnouncement' as const,
    issueNumber: issue.number,
    title: issue.title,
    stageName: issue.stageName,
    categoryName: issue.categoryName,
    whatChanged,
    reports: issue.feedbackCount,
    sources: issue.sources,
  };
  return [
    ...channels.map((channel) => ({
      key: `hope-announcement:${resolutionId}:${channel.platform}:${channel.channelId}`,
      platform: channel.platform,
      target: channel.channelId,
      toUser: false,
      content: announcement,
    })),
    ...reporters.map((reporter) => ({
      key: `hope-thanks:${resolutionId}:${reporter.platform}:${reporter.userId}`,
      platform: reporter.platform,
      target: reporter.userId,
      toUser: true,
      content: {
        kind: 'hopeThanks' as const,
        issueNumber: issue.number,
        title: issue.title,
        whatChanged,
        feedbackNumbers: reporter.feedbackNumbers,
      },
    })),
  ];
}

/** Tells whoever resolved an issue that customers are raising it again. */
export function reopenedNotice(
  resolution: { id: string; platform: Platform; resolvedBy: string; whatChanged: string; resolvedAt: Date },
  issue: { number: number; title: string },
  feedback: { number: number; summary: string | null; text: string },
): NoticeDraft {
  return {
    key: `issue-reopened:${resolution.id}`,
    platform: resolution.platform,
    target: resolution.resolvedBy,
    toUser: true,
    content: {
      kind: 'issueReopened',
      issueNumber: issue.number,
      title: issue.title,
      whatChanged: resolution.whatChanged,
      resolvedAt: resolution.resolvedAt.toISOString(),
      feedbackNumber: feedback.number,
      feedbackSummary: feedback.summary ?? feedback.text.slice(0, 200),
    },
  };
}
