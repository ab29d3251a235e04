// Issues: similar feedback rolled up under one stage and category, whatever the source,
// so leaders see one problem reported twenty times rather than twenty messages. Leaders
// can merge and split what the rough similarity below got wrong.
import { commandFor, type People, type Person } from './people.js';
import { sourceWords, type FeedbackSource, type StoredFeedback } from './storedFeedback.js';

export type IssueStatus = 'open' | 'resolved' | 'merged';

export interface IssueSummary {
  id: string;
  number: number;
  title: string;
  status: IssueStatus;
  stageName: string;
  categoryName: string;
  feedbackCount: number;
  sources: FeedbackSource[];
  mergedIntoNumber: number | null;
  lastResolution: { whatChanged: string; resolvedAt: Date } | null;
}

export interface IssueCandidate {
  id: string;
  /** The title and recent feedback texts, to compare new feedback against. */
  texts: string[];
}

export interface IssueStore {
  /**
   * Files feedback under the issue `choose` picks among the open and resolved issues of its
   * stage and category, or under a new one when it picks none. Filings of one stage and
   * category wait for each other, so twenty identical reports make one issue, not several.
   * A resolved issue that is picked reopens and whoever resolved it is told, in the same transaction.
   */
  fileFeedback(
    feedback: StoredFeedback,
    choose: (candidates: IssueCandidate[]) => string | null,
  ): Promise<{ issueId: string; issueNumber: number; reopened: boolean }>;
  detachFeedback(feedbackId: string): Promise<void>;
  issueSummary(id: string): Promise<IssueSummary | null>;
  issueByNumber(number: number): Promise<IssueSummary | null>;
  /** Open issues, most reported first. */
  openIssues(limit: number): Promise<IssueSummary[]>;
  merge(fromId: string, intoId: string): Promise<void>;
  /** Moves the given feedback (by number) out of an issue into a new one; returns the new issue, or the numbers not in that issue. */
  split(
    issueId: string,
    feedbackNumbers: number[],
  ): Promise<{ ok: true; issueNumber: number } | { ok: false; notInIssue: number[] } | { ok: false; wouldEmpty: true }>;
}

const stopWords = new Set(
  'the and for was were with that this have has had they them their our you your she her his him are but not all any can could would should from into about just very really been when what which who how why there here than then too out off again more some also only over after before because said told says customer customers'.split(
    ' ',
  ),
);

/** Lower-case word stems, without accents or filler, for a rough likeness of two texts. */
export function contentWords(text: string): Set<string> {
  const words = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 2 && !stopWords.has(word))
    .map((word) => word.replace(/(ing|ed|es|s)$/, ''))
    .filter((word) => word.length > 2);
  return new Set(words);
}

export function likeness(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Enough shared words, within the same stage and category, to call it the same problem. */
export const sameIssueLikeness = 0.25;

/** The candidate most like the feedback, if any is alike enough to be the same problem. */
export function mostAlike(text: string, candidates: IssueCandidate[]): string | null {
  const words = contentWords(text);
  let best: { id: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = Math.max(0, ...candidate.texts.map((other) => likeness(words, contentWords(other))));
    if (score >= sameIssueLikeness && (!best || score > best.score)) best = { id: candidate.id, score };
  }
  return best?.id ?? null;
}

export async function issueForFeedback(
  store: IssueStore,
  feedback: StoredFeedback,
): Promise<{ issueId: string; issueNumber: number; reopened: boolean }> {
  return store.fileFeedback(feedback, (candidates) => mostAlike(feedback.text, candidates));
}

/** "3 sources: call centre, web, store" when several channels hear the same thing. */
export function convergenceWords(sources: FeedbackSource[]): string | null {
  if (sources.length < 2) return null;
  return `${sources.length} sources: ${sources.map((source) => sourceWords[source]).join(', ')}`;
}

type Answer = { ok: true; message: string } | { ok: false; message: string };

export async function mergeIssues(
  store: IssueStore,
  people: People,
  by: Person,
  fromNumber: number,
  intoNumber: number,
): Promise<Answer> {
  const permission = await people.may(by, 'arrangeIssues');
  if (!permission.allowed) return { ok: false, message: permission.message };
  if (fromNumber === intoNumber) return { ok: false, message: 'Those are the same issue.' };
  const [from, into] = await Promise.all([store.issueByNumber(fromNumber), store.issueByNumber(intoNumber)]);
  if (!from) return { ok: false, message: `There is no issue #${fromNumber}.` };
  if (!into) return { ok: false, message: `There is no issue #${intoNumber}.` };
  if (from.status === 'merged' || into.status === 'merged')
    return {
      ok: false,
      message: `Issue #${from.status === 'merged' ? from.number : into.number} was already merged into #${(from.status === 'merged' ? from : into).mergedIntoNumber}.`,
    };
  await store.merge(from.id, into.id);
  return {
    ok: true,
    message: `Issue #${from.number} (${from.feedbackCount} ${from.feedbackCount === 1 ? 'report' : 'reports'}) is now part of #${into.number} "${into.title}".`,
  };
}

export async function splitIssue(
  store: IssueStore,
  people: People,
  by: Person,
  issueNumber: number,
  feedbackNumbers: number[],
): Promise<Answer> {
  const permission = await people.may(by, 'arrangeIssues');
  if (!permission.allowed) return { ok: false, message: permission.message };
  const issue = await store.issueByNumber(issueNumber);
  if (!issue || issue.status === 'merged') return { ok: false, message: `There is no open issue #${issueNumber}.` };
  const numbers = [...new Set(feedbackNumbers)];
  if (!numbers.length)
    return {
      ok: false,
      message: `Name the feedback to move out, like ${commandFor(by.platform, 'issues split 7 f12 f15')}.`,
    };
  // The store checks membership first: "not part of the issue" is the more useful answer than "that is all of it".
  const result = await store.split(issue.id, numbers);
  if (!result.ok && 'wouldEmpty' in result)
    return {
      ok: false,
      message: `That is all of issue #${issueNumber}'s feedback: nothing would be left. Leave at least one report in it.`,
    };
  if (!result.ok)
    return {
      ok: false,
      message: `Feedback ${result.notInIssue.map((number) => `#${number}`).join(', ')} ${result.notInIssue.length === 1 ? 'is' : 'are'} not part of issue #${issueNumber}. Nothing was moved.`,
    };
  return {
    ok: true,
    message: `Moved ${numbers.length} ${numbers.length === 1 ? 'report' : 'reports'} from #${issueNumber} into a new issue #${result.issueNumber}.`,
  };
}
