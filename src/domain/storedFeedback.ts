// A feedback item as stored, and where it came from. Its own module so issues, notices and
// the company language can name it without importing the listening path (which imports them).
import type { Sentiment } from './classification.js';
import type { Platform } from './people.js';

export const feedbackSources = [
  'call_centre',
  'web',
  'social',
  'store',
  'survey',
  'sales',
  'support_desk',
  'warranty',
  'returns',
  'other',
] as const;
export type FeedbackSource = (typeof feedbackSources)[number];
export const sourceWords: Record<FeedbackSource, string> = {
  call_centre: 'call centre',
  web: 'web',
  social: 'social',
  store: 'store',
  survey: 'survey',
  sales: 'sales',
  support_desk: 'support desk',
  warranty: 'warranty',
  returns: 'returns',
  other: 'other',
};

export const severities = ['low', 'medium', 'high'] as const;
export type Severity = (typeof severities)[number];

export interface StoredFeedback {
  id: string;
  number: number;
  /** Null when another system sent it (the feedback API, a CSV import): there is no chat person to thank. */
  platform: Platform | null;
  reporterId: string;
  text: string;
  source: FeedbackSource;
  severity: Severity | null;
  segment: string | null;
  stageId: string | null;
  categoryId: string | null;
  sentiment: Sentiment | null;
  summary: string | null;
  classifiedBy: 'model' | 'keywords' | 'person' | null;
  /** Came with the feedback (the reporter's pick, the sender's hint, a mapped survey's stage): no classifier moves it, only a person's correction. */
  stageGiven: boolean;
  categoryGiven: boolean;
  issueId: string | null;
  loggedAt: Date;
}
