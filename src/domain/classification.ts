// What sorting a piece of feedback needs and returns. The domain owns these types; the
// model-backed and keyword classifiers in src/ai implement them.

/** The organisation's one language: the journey stages and categories feedback is filed under. */
export interface Vocabulary {
  stages: VocabularyTerm[];
  categories: VocabularyTerm[];
}

export interface VocabularyTerm {
  /** Stable across renames, so history follows a stage or category when its name changes. */
  id: string;
  name: string;
  /** Words that point at this term, for the deterministic classifier. Editable by the CCO. */
  keywords: string[];
}

export const sentiments = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof sentiments)[number];

export interface Classification {
  /** Ids from the vocabulary, or null when nothing fits: a person then picks. */
  stageId: string | null;
  categoryId: string | null;
  sentiment: Sentiment;
  /** One line, in plain words, for lists and the digest. */
  summary: string;
  by: 'model' | 'keywords';
  /** Why the model was not used (no key, timeout, refusal, ...); such items are classified again later. */
  fallbackReason?: string;
}

export interface Classifier {
  classify(text: string, vocabulary: Vocabulary): Promise<Classification>;
}
