// The listening path: what a customer told someone is stored the moment it is logged,
// then sorted into the company's stages and categories (by a model or by keywords, or
// corrected by a person) and rolled up into an issue with similar feedback.
import { z } from 'zod';
import { errorDetail } from './errorDetail.js';
import type { Classification, Classifier, Vocabulary } from './classification.js';
import { issueForFeedback, type IssueStore, type IssueSummary } from './issues.js';
import type { People, Person, Platform } from './people.js';
import { feedbackSources, severities, type StoredFeedback } from './storedFeedback.js';
import type { LanguageStore } from './language.js';

// Defined beside the stored item so issues and notices need not import the listening path; still read from here.
export {
  feedbackSources,
  severities,
  sourceWords,
  type FeedbackSource,
  type Severity,
  type StoredFeedback,
} from './storedFeedback.js';

/** Far more than any chat message; beyond it we ask for a shorter note rather than store a paste of a log file. */
export const maxFeedbackLength = 50_000;

export const feedbackInput = z.object({
  text: z
    .string()
    .transform((text) => text.trim())
    .pipe(z.string().min(1, 'empty').max(maxFeedbackLength, 'too long')),
  source: z.enum(feedbackSources).default('other'),
  severity: z.enum(severities).optional(),
  customerId: z.string().uuid().optional(),
  stageId: z.string().uuid().optional(),
  categoryId: z.string().uuid().optional(),
  messageLink: z.string().url().max(2000).optional(),
  /** The platform's id for the message (a Teams activity id): the same message delivered twice is stored once. */
  platformMessageId: z.string().min(1).max(200).optional(),
  /** "Log it again anyway": store the words of this earlier feedback once more, even though they repeat. `text` is then ignored. */
  repeatOf: z.string().uuid().optional(),
});
export type FeedbackInput = z.input<typeof feedbackInput>;

/** The same words from the same person within this long are most likely sent twice by mistake. */
export const repeatWindowMs = 2 * 60_000;

/** What an answer offers to press to log repeated words regardless: the input again, pointing at the earlier feedback. */
export type LogAgain = Omit<FeedbackInput, 'text' | 'platformMessageId' | 'repeatOf'> & { repeatOf: string };

export interface FeedbackStore {
  /** Stores first, before anyone is answered; the customer's segment is copied from the customer, if known. */
  /**
   * Stores it unless the same platform message was stored already (`redelivered`) or, with
   * `repeatedSince`, the same person stored the same words since then (`repeated`); the check
   * and the insert are one step, so two copies sent at once still store one.
   */
  insertFeedback(
    record: { platform: Platform; reporterId: string } & Omit<z.output<typeof feedbackInput>, 'repeatOf'>,
    options?: { repeatedSince?: Date },
  ): Promise<{ kind: 'stored' | 'redelivered' | 'repeated'; feedback: StoredFeedback }>;
  feedbackById(id: string): Promise<StoredFeedback | null>;
  updateSorting(
    id: string,
    sorting: Partial<
      Pick<StoredFeedback, 'stageId' | 'categoryId' | 'sentiment' | 'summary' | 'classifiedBy' | 'source'>
    > & { needsReclassification?: boolean },
  ): Promise<StoredFeedback>;
  /** Feedback a model should look at again: sorted by keywords after a failure, and not since corrected by a person. */
  awaitingReclassification(limit: number): Promise<StoredFeedback[]>;
  /** Stored but never sorted, logged before `before`: the process that stored it stopped before sorting it. */
  neverSorted(before: Date, limit: number): Promise<StoredFeedback[]>;
  customerExists(id: string): Promise<boolean>;
  searchCustomers(query: string, limit: number): Promise<Array<{ id: string; name: string; segment: string }>>;
}

/** What the person who logged feedback sees about it. */
export interface FeedbackView {
  feedback: StoredFeedback;
  stageName: string | null;
  categoryName: string | null;
  issue: IssueSummary | null;
  /** Said to the reporter alongside: a long text kept whole, a stage that no longer exists, ... */
  notes: string[];
}

export interface FeedbackDeps {
  feedback: FeedbackStore;
  issues: IssueStore;
  vocabulary: () => Promise<Vocabulary>;
  /** Also retired terms: feedback filed under a stage since retired still shows that stage's name. */
  termById: LanguageStore['termById'];
  classifier: Classifier;
  people: People;
  log: (message: string, context?: Record<string, unknown>) => void;
  clock?: () => Date;
}

/** Why nothing was stored, for adapters that word a case their own way (a shortcut on a message with only files). */
export type RefusalReason = 'empty' | 'invisible' | 'tooLong' | 'unreadable' | 'repeatNotFound';

export type Logged =
  /** `redelivered`: the platform sent the same message again; this is the feedback stored the first time. */
  | { ok: true; kind: 'logged'; view: FeedbackView; redelivered: boolean }
  /** The same person logged the same words a moment ago: nothing new is stored unless they press "Log it again anyway". */
  | { ok: false; kind: 'duplicate'; number: number; again: LogAgain; message: string }
  | { ok: false; kind: 'refused'; reason: RefusalReason; message: string };

/** A correction's outcome: the feedback as it is now, or why nothing changed. */
export type Corrected = { ok: true; view: FeedbackView } | { ok: false; message: string };

/** C0 and C1 control characters but newline and tab: they print as nothing or as boxes, and break exports. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const controlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Whitespace, zero-width characters, joiners, the BOM and other format characters: text of only these says nothing. */
const invisibleOnly = /^[\s\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/** True when the text, once cleaned, is only whitespace and invisible characters: there are no words in it. */
export function hasNoWords(text: string): boolean {
  return invisibleOnly.test(cleanFeedbackText(text).text);
}

/** The text as stored: Windows line ends made plain, control characters taken out (and counted, so the person is told). */
export function cleanFeedbackText(text: string): { text: string; removed: number } {
  const plain = text.replace(/\r\n?/g, '\n');
  const cleaned = plain.replace(controlCharacters, '');
  return { text: cleaned, removed: plain.length - cleaned.length };
}

/**
 * Stores what the person typed. Sorting comes after, in `sortFeedback`, so nobody waits on a model.
 * It throws only before the feedback is stored, so a caller that catches may say nothing was saved.
 */
export async function logFeedback(deps: FeedbackDeps, by: Person, input: FeedbackInput): Promise<Logged> {
  const refused = (reason: RefusalReason, message: string): Logged => ({ ok: false, kind: 'refused', reason, message });
  let text = input.text;
  if (input.repeatOf) {
    const earlier = z.string().uuid().safeParse(input.repeatOf).success
      ? await deps.feedback.feedbackById(input.repeatOf)
      : null;
    if (!earlier || earlier.platform !== by.platform || earlier.reporterId !== by.userId)
      return refused(
        'repeatNotFound',
        'Nothing was saved: I could not find the feedback to log again. Please log it with the words again.',
      );
    text = earlier.text;
  }
  const cleaned = cleanFeedbackText(text);
  // Plain blanks get the "no text yet" answer below; anything else unseen (a lone BOM, zero-width spaces) is named.
  if (/[^ \t\n]/.test(cleaned.text) && invisibleOnly.test(cleaned.text)) {
    return refused(
      'invisible',
      'Nothing was saved: that text is made only of invisible characters (such as zero-width spaces), so there are no words to log. Type or paste what the customer said.',
    );
  }
  const parsed = feedbackInput.safeParse({ ...input, text: cleaned.text });
  if (!parsed.success) {
    const problem = parsed.error.issues[0]!;
    if (problem.path[0] === 'text' && problem.message === 'empty')
      return refused(
        'empty',
        'Nothing was saved: there is no text to log yet. Add what the customer said, in their words if you can.',
      );
    if (problem.path[0] === 'text')
      return refused(
        'tooLong',
        `Nothing was saved: that is longer than ${maxFeedbackLength.toLocaleString('en')} characters. Please log the customer's key words and keep the rest in your system of record.`,
      );
    return refused(
      'unreadable',
      `Nothing was saved: I could not read the ${String(problem.path[0])} you chose. Please pick it again from the list.`,
    );
  }
  const notes: string[] = [];
  if (cleaned.removed)
    notes.push(
      `I took out ${cleaned.removed === 1 ? 'a control character' : `${cleaned.removed.toLocaleString('en')} control characters`} (invisible codes that often come with a paste); the words are stored as you see them.`,
    );
  const { repeatOf, ...record } = parsed.data;
  // Read only when a form chose something: a plain /feedback is one insert between Slack and its answer.
  const vocabulary = record.stageId || record.categoryId ? await deps.vocabulary() : { stages: [], categories: [] };
  // A choice made on an old form (a stage since retired) must not lose the feedback: keep the words, ask again.
  if (record.stageId && !vocabulary.stages.some((stage) => stage.id === record.stageId)) {
    delete record.stageId;
    notes.push('The journey stage you picked is no longer in the company list, so I left it for you to choose again.');
  }
  if (record.categoryId && !vocabulary.categories.some((category) => category.id === record.categoryId)) {
    delete record.categoryId;
    notes.push('The category you picked is no longer in the company list, so I left it for you to choose again.');
  }
  if (record.customerId && !(await deps.feedback.customerExists(record.customerId))) {
    delete record.customerId;
    notes.push('I could not find that customer, so the feedback is logged without one.');
  }
  const now = (deps.clock ?? (() => new Date()))();
  // Pressing "Log it again anyway" is the person saying the repeat is meant.
  const stored = await deps.feedback.insertFeedback(
    { platform: by.platform, reporterId: by.userId, ...record },
    repeatOf ? {} : { repeatedSince: new Date(now.getTime() - repeatWindowMs) },
  );
  if (stored.kind === 'repeated') {
    const { platformMessageId: _key, ...again } = record;
    return {
      ok: false,
      kind: 'duplicate',
      number: stored.feedback.number,
      again: { ...again, repeatOf: stored.feedback.id },
      message: `You already logged this as #${stored.feedback.number} a moment ago, so nothing new was saved.`,
    };
  }
  if (stored.feedback.text.length > 3000)
    notes.push(
      `All ${stored.feedback.text.length.toLocaleString('en')} characters are stored; lists show the first line.`,
    );
  // Stored now: from here on a failure must not tell the person nothing was saved.
  const view = await viewOf(deps, stored.feedback, notes, vocabulary).catch((error: unknown) => {
    deps.log('showing logged feedback failed', { feedbackId: stored.feedback.id, error: errorDetail(error) });
    return { feedback: stored.feedback, stageName: null, categoryName: null, issue: null, notes };
  });
  return { ok: true, kind: 'logged', view, redelivered: stored.kind === 'redelivered' };
}

export interface SortedFeedback extends FeedbackView {
  /** A resolved issue came back with this feedback: whoever resolved it has a notice waiting. */
  reopenedIssue: boolean;
}

/**
 * Files stored feedback under a stage and category and into an issue. A person's choice
 * is kept; what is missing is filled by the classifier, whose failures fall back to keywords.
 */
export async function sortFeedback(
  deps: FeedbackDeps,
  feedbackId: string,
  notesFromLogging: string[] = [],
): Promise<SortedFeedback | null> {
  const stored = await deps.feedback.feedbackById(feedbackId);
  if (!stored) return null;
  const vocabulary = await deps.vocabulary();
  const classification = await deps.classifier.classify(stored.text, vocabulary);
  const sorted = await deps.feedback.updateSorting(stored.id, sortingFrom(stored, classification));
  const filed = await fileUnderIssue(deps, sorted);
  // What was said on storing (a retired stage left out, a long text kept whole) still holds once it is sorted.
  return { ...(await viewOf(deps, filed.feedback, notesFromLogging, vocabulary)), reopenedIssue: filed.reopened };
}

function sortingFrom(stored: StoredFeedback, classification: Classification) {
  const chosenByPerson = stored.classifiedBy === 'person';
  return {
    stageId: chosenByPerson || stored.stageId ? stored.stageId : classification.stageId,
    categoryId: chosenByPerson || stored.categoryId ? stored.categoryId : classification.categoryId,
    sentiment: classification.sentiment,
    summary: classification.summary,
    classifiedBy: stored.stageId && stored.categoryId ? ('person' as const) : classification.by,
    needsReclassification: Boolean(classification.fallbackReason) && !(stored.stageId && stored.categoryId),
  };
}

async function fileUnderIssue(
  deps: FeedbackDeps,
  feedback: StoredFeedback,
): Promise<{ feedback: StoredFeedback; reopened: boolean }> {
  if (!feedback.stageId || !feedback.categoryId) return { feedback, reopened: false };
  const filed = await issueForFeedback(deps.issues, feedback);
  if (filed.reopened)
    deps.log('issue reopened by new feedback', { issue: filed.issueNumber, feedback: feedback.number });
  return { feedback: { ...feedback, issueId: filed.issueId }, reopened: filed.reopened };
}

export const feedbackCorrection = z
  .object({
    stageId: z.string().uuid().optional(),
    categoryId: z.string().uuid().optional(),
    source: z.enum(feedbackSources).optional(),
  })
  .refine((correction) => correction.stageId || correction.categoryId || correction.source, 'nothing to change');
export type FeedbackCorrection = z.input<typeof feedbackCorrection>;

/** A person's choice of stage, category or source; it wins over any classifier, now and later. */
export async function correctFeedback(
  deps: FeedbackDeps,
  by: Person,
  feedbackId: string,
  correction: FeedbackCorrection,
): Promise<Corrected> {
  const stored = z.string().uuid().safeParse(feedbackId).success ? await deps.feedback.feedbackById(feedbackId) : null;
  if (!stored) return { ok: false, message: 'I could not find that feedback any more. Nothing was changed.' };
  const isReporter = stored.platform === by.platform && stored.reporterId === by.userId;
  if (!isReporter) {
    const permission = await deps.people.may(by, 'correctAnyFeedback');
    if (!permission.allowed) return { ok: false, message: permission.message };
  }
  const parsed = feedbackCorrection.safeParse(correction);
  if (!parsed.success) return { ok: false, message: 'Pick a stage, a category or a source to change.' };
  const vocabulary = await deps.vocabulary();
  if (parsed.data.stageId && !vocabulary.stages.some((stage) => stage.id === parsed.data.stageId)) {
    return {
      ok: false,
      message: `That journey stage is no longer in the company list. Nothing was changed. ${stageList(vocabulary)}`,
    };
  }
  if (parsed.data.categoryId && !vocabulary.categories.some((category) => category.id === parsed.data.categoryId)) {
    return { ok: false, message: 'That category is no longer in the company list. Nothing was changed.' };
  }
  const moved = Boolean(
    (parsed.data.stageId && parsed.data.stageId !== stored.stageId) ||
      (parsed.data.categoryId && parsed.data.categoryId !== stored.categoryId),
  );
  let updated = await deps.feedback.updateSorting(stored.id, {
    ...parsed.data,
    ...(parsed.data.stageId || parsed.data.categoryId
      ? { classifiedBy: 'person' as const, needsReclassification: false }
      : {}),
  });
  // Another stage or category is another issue: file it again.
  if (moved) {
    if (updated.issueId) await deps.issues.detachFeedback(updated.id);
    updated = (await fileUnderIssue(deps, { ...updated, issueId: null })).feedback;
  }
  return { ok: true, view: await viewOf(deps, updated, [], vocabulary) };
}

/** How long sorting may take in the process that stored the feedback before another one sorts it instead. */
export const sortingGraceMs = 5 * 60_000;

/** Sorts feedback whose process stopped (a deploy, a crash) between storing it and sorting it, so none stays unfiled. */
export async function sortLeftBehind(deps: FeedbackDeps, now: Date, limit = 50): Promise<{ sorted: number }> {
  let sorted = 0;
  for (const stored of await deps.feedback.neverSorted(new Date(now.getTime() - sortingGraceMs), limit)) {
    if (await sortFeedback(deps, stored.id)) sorted++;
  }
  return { sorted };
}

/** Gives the model another go at feedback it could not sort when it was logged. */
export async function reclassifyWaiting(
  deps: FeedbackDeps,
  limit = 50,
): Promise<{ reclassified: number; stillWaiting: number }> {
  let reclassified = 0;
  let stillWaiting = 0;
  const vocabulary = await deps.vocabulary();
  for (const stored of await deps.feedback.awaitingReclassification(limit)) {
    const classification = await deps.classifier.classify(stored.text, vocabulary);
    if (classification.fallbackReason) {
      stillWaiting++;
      continue;
    }
    // Only what a classifier chose is its to change: a survey's stage or a reporter's pick stays.
    const given = {
      ...stored,
      stageId: stored.stageGiven ? stored.stageId : null,
      categoryId: stored.categoryGiven ? stored.categoryId : null,
    };
    const updated = await deps.feedback.updateSorting(stored.id, {
      ...sortingFrom(given, classification),
      needsReclassification: false,
    });
    const moved = updated.stageId !== stored.stageId || updated.categoryId !== stored.categoryId;
    if (moved) {
      if (updated.issueId) await deps.issues.detachFeedback(updated.id);
      await fileUnderIssue(deps, { ...updated, issueId: null });
    }
    reclassified++;
  }
  return { reclassified, stillWaiting };
}

function stageList(vocabulary: Vocabulary): string {
  return `The stages are: ${vocabulary.stages.map((stage) => stage.name).join(', ')}.`;
}

async function viewOf(
  deps: FeedbackDeps,
  feedback: StoredFeedback,
  notes: string[],
  vocabulary: Vocabulary,
): Promise<FeedbackView> {
  const nameOf = async (kind: 'stage' | 'category', id: string | null) => {
    if (!id) return null;
    const list = kind === 'stage' ? vocabulary.stages : vocabulary.categories;
    return list.find((term) => term.id === id)?.name ?? (await deps.termById(kind, id))?.name ?? null;
  };
  return {
    feedback,
    stageName: await nameOf('stage', feedback.stageId),
    categoryName: await nameOf('category', feedback.categoryId),
    issue: feedback.issueId ? await deps.issues.issueSummary(feedback.issueId) : null,
    notes,
  };
}
