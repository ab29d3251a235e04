// Feedback and the issues it is filed under: logging from chat and from other systems,
// sorting (which may call a model) after the person has been answered, corrections, and
// merging or splitting issues.
import type { Classifier } from '../domain/classification.js';
import { recordExternalFeedback, sortExternalBacklog, type ExternalChannel } from '../domain/externalFeedback.js';
import {
  correctFeedback,
  logFeedback,
  reclassifyWaiting,
  sortFeedback,
  sortLeftBehind,
  type FeedbackCorrection,
  type FeedbackDeps,
  type FeedbackInput,
} from '../domain/feedback.js';
import { mergeIssues, splitIssue, type IssueStore } from '../domain/issues.js';
import type { People, Person } from '../domain/people.js';
import type { Language } from '../domain/language.js';
import type { Log } from '../logger.js';
import type { Db } from '../store/database.js';
import { externalFeedbackStore, feedbackStore } from '../store/feedbackStore.js';
import type { languageStore } from '../store/languageStore.js';
import { limitConcurrency } from './concurrency.js';

/** Feedback sorted at once in one process (a model call may take seconds; the database pool is shared). */
export const sortingAtOnce = 2;

export interface FeedbackServiceDeps {
  issues: IssueStore;
  people: People;
  language: Language;
  vocabularies: ReturnType<typeof languageStore>;
  classifier: Classifier;
  sendNotices: () => unknown;
  clock: () => Date;
  log: Log;
}

export function createFeedbackService(db: Db, deps: FeedbackServiceDeps) {
  const { issues, people, language, vocabularies, sendNotices, clock, log } = deps;
  const feedbackDeps: FeedbackDeps = {
    feedback: feedbackStore(db),
    issues,
    vocabulary: () => language.vocabulary(),
    termById: (kind, id) => vocabularies.termById(kind, id),
    classifier: deps.classifier,
    people,
    log,
  };
  const sorting = limitConcurrency(sortingAtOnce);
  const externalFeedback = externalFeedbackStore(db);
  let externalRun: Promise<{ sorted: number; failed: number }> | null = null;
  let externalAgain = false;
  let externalStopping = false;
  /**
   * Sorts what other systems sent, one run per process at a time, beside chat sorting rather
   * than in its queue: a 10,000-row import must not hold up the answer to someone's /feedback.
   */
  const sortExternalFeedback = (onProgress?: (sorted: number) => void): Promise<{ sorted: number; failed: number }> => {
    if (externalRun) {
      externalAgain = true;
      return externalRun;
    }
    externalRun = (async () => {
      const total = { sorted: 0, failed: 0 };
      do {
        externalAgain = false;
        const run = await sortExternalBacklog(
          {
            store: externalFeedback,
            sort: async (id) => {
              if ((await sortFeedback(feedbackDeps, id))?.reopenedIssue) void sendNotices();
            },
            log,
          },
          {
            atOnce: sortingAtOnce,
            onProgress: (sorted) => onProgress?.(total.sorted + sorted),
            stopping: () => externalStopping,
          },
        );
        total.sorted += run.sorted;
        total.failed += run.failed;
      } while (externalAgain && !externalStopping);
      return total;
    })().finally(() => (externalRun = null));
    return externalRun;
  };
  const sortExternalInBackground = () =>
    void sortExternalFeedback().catch((error) => log('sorting external feedback stopped', { error: String(error) }));

  return {
    logFeedback: (by: Person, input: FeedbackInput) => logFeedback(feedbackDeps, by, input),
    /**
     * Classifies and files feedback after the person has been answered. A few at a time: a
     * burst of /feedback must not queue the next person's insert, and so their answer, behind sorting.
     */
    sortFeedback: (feedbackId: string, notesFromLogging: string[] = []) =>
      sorting(async () => {
        const view = await sortFeedback(feedbackDeps, feedbackId, notesFromLogging);
        if (view?.reopenedIssue) void sendNotices();
        return view;
      }),
    correctFeedback: (by: Person, feedbackId: string, correction: FeedbackCorrection) =>
      correctFeedback(feedbackDeps, by, feedbackId, correction),
    reclassifyWaiting: () => reclassifyWaiting(feedbackDeps),
    sortLeftBehind: async () => {
      // Also picks up what other systems sent, should the process that stored it have stopped before sorting it all.
      sortExternalInBackground();
      return sorting(() => sortLeftBehind(feedbackDeps, clock()));
    },
    /** Feedback from another system (the feedback API, a CSV); stored at once, sorted in the background. */
    recordExternalFeedback: async (
      rows: unknown[],
      options: { channel: ExternalChannel; rowNumbers?: number[]; sortInBackground?: boolean },
    ) => {
      const result = await recordExternalFeedback(
        { store: externalFeedback, vocabulary: () => language.vocabulary(), clock },
        rows,
        options,
      );
      if (result.stored && options.sortInBackground !== false) sortExternalInBackground();
      return result;
    },
    sortExternalFeedback,
    /** Lets a running sort finish its current items, so the database can close under it. */
    stopSortingExternal: async () => {
      externalStopping = true;
      await externalRun?.catch(() => undefined);
    },
    searchCustomers: (query: string) => feedbackDeps.feedback.searchCustomers(query.trim().slice(0, 100), 20),
    openIssues: (limit = 20) => issues.openIssues(limit),
    issueByNumber: (number: number) => issues.issueByNumber(number),
    mergeIssues: (by: Person, from: number, into: number) => mergeIssues(issues, people, by, from, into),
    splitIssue: (by: Person, issue: number, feedbackNumbers: number[]) =>
      splitIssue(issues, people, by, issue, feedbackNumbers),
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
