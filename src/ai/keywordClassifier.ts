// The deterministic classifier: keyword counts against the organisation's vocabulary. It is
// what runs without an OpenAI key and what every model failure falls back to, so it must
// never throw and must stay fast on any input.
import type { Classification, Classifier, Sentiment, Vocabulary, VocabularyTerm } from '../domain/classification.js';

const summaryLimit = 120;

// Small on purpose: feedback that is clearly unhappy or clearly pleased; everything else is neutral.
const negativeWords = [
  'angry',
  'annoyed',
  'annoying',
  'awful',
  'bad',
  'broken',
  'cancel',
  'cancelled',
  'canceled',
  'charged twice',
  'complaint',
  'damaged',
  'delayed',
  'disappointed',
  'disappointing',
  'frustrated',
  'frustrating',
  'horrible',
  'late',
  'lost',
  'missing',
  'never',
  'poor',
  'refund',
  'rude',
  'slow',
  'terrible',
  'unacceptable',
  'unhappy',
  'useless',
  'waste',
  'worst',
  'wrong',
];
const positiveWords = [
  'amazing',
  'awesome',
  'brilliant',
  'excellent',
  'fantastic',
  'friendly',
  'glad',
  'good',
  'great',
  'happy',
  'helpful',
  'love',
  'loved',
  'perfect',
  'pleased',
  'quick',
  'recommend',
  'thank you',
  'thanks',
  'wonderful',
];
// "not helpful" is a complaint; only positives are flipped, "not late" simply counts for nothing.
const negators = new Set([
  'not',
  'no',
  'never',
  'hardly',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'dont',
  'didnt',
  'doesnt',
  'cant',
  'couldnt',
  'wont',
]);

/** Lower case, accents and apostrophes removed, so "Facturé" matches "facture" and "wasn't" is one word. */
function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’]/g, '')
    .toLowerCase();
}

function words(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The text's words with, for each word, where it occurs: phrase lookups then cost one probe per occurrence. */
class WordIndex {
  readonly words: string[];
  private readonly positions = new Map<string, number[]>();

  constructor(text: string) {
    this.words = words(text);
    this.words.forEach((word, index) => {
      const list = this.positions.get(word);
      if (list) list.push(index);
      else this.positions.set(word, [index]);
    });
  }

  /** Start positions of every whole-word occurrence of the phrase (one or several words). */
  find(phrase: string[]): number[] {
    const [first, ...rest] = phrase;
    if (first === undefined) return [];
    const starts = this.positions.get(first) ?? [];
    return starts.filter((start) => rest.every((word, offset) => this.words[start + 1 + offset] === word));
  }
}

function bestTerm(terms: VocabularyTerm[], index: WordIndex): string | null {
  let best: { id: string; hits: number } | null = null;
  for (const term of terms) {
    const hits = term.keywords.reduce((sum, keyword) => sum + index.find(words(keyword)).length, 0);
    // Strictly more: on a tie the earlier term in the organisation's list wins.
    if (hits > 0 && (best === null || hits > best.hits)) best = { id: term.id, hits };
  }
  return best?.id ?? null;
}

function sentimentOf(index: WordIndex): Sentiment {
  let score = 0;
  for (const phrase of negativeWords) score -= index.find(words(phrase)).length;
  for (const phrase of positiveWords) {
    for (const start of index.find(words(phrase))) {
      score += negators.has(index.words[start - 1] ?? '') ? -1 : 1;
    }
  }
  if (score < 0) return 'negative';
  if (score > 0) return 'positive';
  return 'neutral';
}

/** Whitespace collapsed to single spaces and cut to `limit` UTF-16 units, "…" marking a cut. */
export function oneLine(text: string, limit: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= limit) return line;
  let cut = line.slice(0, limit - 1);
  // Never leave half of a surrogate pair (an emoji) at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** The first sentence (or line) of the text, as one line of at most `limit` characters. */
export function firstSentence(text: string, limit = summaryLimit): string {
  const first = text.trim().split(/(?<=[.!?])\s|\n/, 1)[0] ?? '';
  return oneLine(first.trim() === '' ? text : first, limit);
}

function classifyText(text: string, vocabulary: Vocabulary): Classification {
  const index = new WordIndex(text);
  if (index.words.length === 0) {
    const trimmed = oneLine(text, summaryLimit);
    return {
      stageId: null,
      categoryId: null,
      sentiment: 'neutral',
      summary: trimmed === '' ? '(no words)' : trimmed,
      by: 'keywords',
    };
  }
  return {
    stageId: bestTerm(vocabulary.stages, index),
    categoryId: bestTerm(vocabulary.categories, index),
    sentiment: sentimentOf(index),
    summary: firstSentence(text),
    by: 'keywords',
  };
}

export function keywordClassifier(): Classifier {
  return {
    classify: async (text, vocabulary) => classifyText(text, vocabulary),
  };
}
