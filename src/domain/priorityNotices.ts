// What a priority's "done" messages carry through the outbox, as plain data. Apart from
// priorities.ts so the outbox can name them without importing the rule.
import type { Platform } from './people.js';

export type PriorityOwner = {
  platform: Platform;
  userId: string;
  /** As the platform gave it when the priority was set; null when it did not. */
  name: string | null;
};

/** The fall in complaints a done priority is announced with: four weeks before it started against the last four. */
export type PriorityFall = {
  /** Complaints in four weeks at the baseline's rate (its weekly average times four, rounded). */
  before: number;
  /** Complaints in the last four complete weeks. */
  after: number;
  /** The month it started, for "since March 2026". */
  since: string;
};

export type PriorityNoticeContent =
  | {
      kind: 'priorityDone';
      priorityNumber: number;
      title: string;
      owner: PriorityOwner;
      /** What it was about, in words: "issue #7 Double charges", "stage Get help". */
      about: string[];
      fall: PriorityFall;
      reporters: number;
    }
  | {
      kind: 'priorityThanks';
      priorityNumber: number;
      title: string;
      fall: PriorityFall;
      /** The complaints this person logged that the priority answered, at most 20 of them. */
      feedbackNumbers: number[];
    };
