// What customers said elsewhere (surveys, the support desk, social, warranty claims), sent
// by another system over HTTP or in a CSV: each row is checked on its own, good rows are
// stored once by their external id, and sorting comes afterwards, as for /feedback.
import { z } from 'zod';
import type { Vocabulary } from './classification.js';
import {
  cleanFeedbackText,
  feedbackSources,
  hasNoWords,
  maxFeedbackLength,
  sourceWords,
  type FeedbackSource,
} from './feedback.js';

/** How the feedback came in; stored as its reporter, since no chat person logged it. */
export type ExternalChannel = 'api' | 'csv';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;
const text = (max: number) =>
  z
    .string({ error: required('text') })
    .trim()
    .min(1, 'is empty')
    .max(max, `is longer than ${max} characters`);

/** Accepts the code (`support_desk`) or the words people read (`support desk`), in any case. */
function sourceFrom(value: string): FeedbackSource | undefined {
  const wanted = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return feedbackSources.find((source) => source === wanted || sourceWords[source].replace(/\s+/g, '_') === wanted);
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const dayMs = 24 * 60 * 60_000;

/** A real ISO 8601 date or date-time with a zone; nothing is guessed or rolled over (no 31 February). */
export function parseSaidAt(value: string, now: Date): { ok: true; at: Date } | { ok: false; reason: string } {
  const match = isoDate.exec(value.trim());
  if (!match)
    return {
      ok: false,
      reason: 'must be an ISO 8601 date (2026-11-18) or date-time with a zone (2026-11-18T14:03:00Z)',
    };
  const [, year, month, day, hour, minute, second, zone] = match;
  const y = Number(year),
    m = Number(month),
    d = Number(day);
  const calendar = new Date(Date.UTC(y, m - 1, d));
  if (calendar.getUTCFullYear() !== y || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d)
    return { ok: false, reason: `${value.trim().slice(0, 10)} is not a date in the calendar` };
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59))
    return { ok: false, reason: 'has a time of day that does not exist' };
  if (hour !== undefined && !zone)
    return { ok: false, reason: 'needs a time zone: end it with Z or an offset such as +01:00' };
  if (y < 1900) return { ok: false, reason: 'is before 1900' };
  // A date alone is taken at noon UTC, so it stays on that calendar day in every time zone from UTC-11 to UTC+11.
  const at = hour === undefined ? new Date(Date.UTC(y, m - 1, d, 12)) : new Date(value.trim());
  if (Number.isNaN(at.getTime())) return { ok: false, reason: 'must be an ISO 8601 date or date-time' };
  if (at.getTime() > now.getTime() + dayMs) return { ok: false, reason: 'is more than a day in the future' };
  return { ok: true, at };
}

export function externalFeedbackRow(now: Date) {
  return z.object({
    external_id: text(200),
    // The same rule as /feedback: control characters are taken out (and said, below); no words at all is refused.
    text: text(maxFeedbackLength).refine(
      (value) => value === '' || !hasNoWords(value),
      'has no words: only invisible or control characters',
    ),
    source: z.string({ error: required('a source, as text') }).transform((value, context) => {
      const source = sourceFrom(value);
      if (!source)
        context.addIssue({
          code: 'custom',
          message: `must be one of: ${feedbackSources.map((code) => sourceWords[code]).join(', ')}`,
        });
      return source ?? z.NEVER;
    }),
    customer_id: text(200).optional(),
    survey: text(200).optional(),
    stage: text(60).optional(),
    category: text(60).optional(),
    said_at: z
      .string({ error: required('an ISO 8601 date or date-time, as text') })
      .transform((value, context) => {
        const parsed = parseSaidAt(value, now);
        if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.reason });
        return parsed.ok ? parsed.at : z.NEVER;
      })
      .optional(),
  });
}
export type ExternalFeedbackRow = z.output<ReturnType<typeof externalFeedbackRow>>;

export interface RejectedRow {
  row: number;
  reason: string;
}

/** Something about a stored row the sender should know: a hint we did not recognise, a customer we do not know. */
export interface RowNote {
  row: number;
  note: string;
}

/** Blank optional cells arrive as '' from CSV and null from some JSON senders; treat them as absent. */
function withoutBlanks(row: unknown): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== '' && value !== null));
}

/** Rows are numbered from 1 in a JSON batch; a CSV import gives each row's line in the file. */
export function validateExternalFeedback(
  rows: unknown[],
  now: Date,
  rowNumbers?: number[],
): { valid: Array<ExternalFeedbackRow & { row: number }>; rejected: RejectedRow[] } {
  const schema = externalFeedbackRow(now);
  const valid: Array<ExternalFeedbackRow & { row: number }> = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((row, index) => {
    const number = rowNumbers?.[index] ?? index + 1;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      rejected.push({ row: number, reason: 'is not an object with named fields' });
      return;
    }
    const parsed = schema.safeParse(withoutBlanks(row));
    if (parsed.success) valid.push({ ...parsed.data, row: number });
    else
      rejected.push({
        row: number,
        reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; '),
      });
  });
  return { valid, rejected };
}

/** One row ready to insert: hints resolved to ids, the customer looked up. */
export interface ExternalFeedbackRecord {
  externalId: string;
  reporterId: ExternalChannel;
  text: string;
  source: FeedbackSource;
  customerId: string | null;
  segment: string | null;
  stageId: string | null;
  categoryId: string | null;
  /** When the customer said it: the week the digest counts it in. */
  loggedAt: Date;
}

export interface ExternalFeedbackStore {
  /** Customers by the external id customer events use. */
  customersByExternalId(ids: string[]): Promise<Map<string, { id: string; segment: string }>>;
  /** Survey names (lower case) to the stage where customers receive them. */
  surveyStages(): Promise<Map<string, string>>;
  /** Stores rows whose external id is new, in one statement; returns the external ids that were new. */
  insertExternalFeedback(records: ExternalFeedbackRecord[]): Promise<string[]>;
  /** Claims up to `limit` items from other systems that nobody has sorted or is sorting, oldest first, for `leaseMs`. */
  claimUnsortedExternal(limit: number, leaseMs: number): Promise<string[]>;
}

export interface RecordedFeedbackBatch {
  stored: number;
  duplicates: number;
  rejected: RejectedRow[];
  notes: RowNote[];
}

/**
 * Validates, resolves hints and stores a batch. A row's stage hint wins, then its survey's
 * stage, then the classifier; a hint we do not know becomes a note and the row is kept.
 */
export async function recordExternalFeedback(
  deps: { store: ExternalFeedbackStore; vocabulary: () => Promise<Vocabulary>; clock: () => Date },
  rows: unknown[],
  options: { channel: ExternalChannel; rowNumbers?: number[] },
): Promise<RecordedFeedbackBatch> {
  const { valid, rejected } = validateExternalFeedback(rows, deps.clock(), options.rowNumbers);
  const notes: RowNote[] = [];
  if (!valid.length) return { stored: 0, duplicates: 0, rejected, notes };
  const [vocabulary, surveys, customers] = await Promise.all([
    deps.vocabulary(),
    valid.some((row) => row.survey) ? deps.store.surveyStages() : Promise.resolve(new Map<string, string>()),
    deps.store.customersByExternalId([...new Set(valid.flatMap((row) => (row.customer_id ? [row.customer_id] : [])))]),
  ]);
  const termId = (terms: Vocabulary['stages'], name: string) =>
    terms.find((term) => term.name.toLowerCase() === name.toLowerCase())?.id ?? null;
  const seen = new Set<string>();
  const records: Array<ExternalFeedbackRecord & { row: number }> = [];
  for (const row of valid) {
    // The same external id twice in one batch is one item: the first is kept.
    if (seen.has(row.external_id)) continue;
    seen.add(row.external_id);
    const note = (text: string) => notes.push({ row: row.row, note: text });
    const cleaned = cleanFeedbackText(row.text);
    if (cleaned.removed)
      note(
        `${cleaned.removed === 1 ? 'a control character was' : `${cleaned.removed} control characters were`} taken out; the words are stored without them`,
      );
    const customer = row.customer_id ? customers.get(row.customer_id) : undefined;
    if (row.customer_id && !customer)
      note(`no customer has the id "${row.customer_id}" yet; stored without a customer`);
    let stageId = row.stage ? termId(vocabulary.stages, row.stage) : null;
    if (row.stage && !stageId)
      note(`"${row.stage}" is not one of the journey stages; the stage is left to the classifier`);
    if (!stageId && row.survey) {
      stageId = surveys.get(row.survey.toLowerCase()) ?? null;
      if (!stageId && !row.stage)
        note(`the survey "${row.survey}" is not mapped to a journey stage; the stage is left to the classifier`);
    }
    const categoryId = row.category ? termId(vocabulary.categories, row.category) : null;
    if (row.category && !categoryId)
      note(`"${row.category}" is not one of the categories; the category is left to the classifier`);
    records.push({
      row: row.row,
      externalId: row.external_id,
      reporterId: options.channel,
      text: cleaned.text,
      source: row.source,
      customerId: customer?.id ?? null,
      segment: customer?.segment ?? null,
      stageId,
      categoryId,
      loggedAt: row.said_at ?? deps.clock(),
    });
  }
  const fresh = new Set(await deps.store.insertExternalFeedback(records.map(({ row: _row, ...record }) => record)));
  // A note about a row stored earlier was already given then.
  const freshRows = new Set(records.filter((record) => fresh.has(record.externalId)).map((record) => record.row));
  return {
    stored: fresh.size,
    duplicates: valid.length - fresh.size,
    rejected,
    notes: notes.filter((entry) => freshRows.has(entry.row)),
  };
}

/** How long a claim on items being sorted holds: a batch of 20 at two at a time, with a model's 8 s timeout, takes under 90 s. */
export const sortingClaimMs = 5 * 60_000;

/**
 * Sorts what other systems sent until none is left, `atOnce` at a time. An item whose
 * sorting fails is logged and keeps its claim, so it is tried again later, not in a loop.
 */
export async function sortExternalBacklog(
  deps: {
    store: Pick<ExternalFeedbackStore, 'claimUnsortedExternal'>;
    sort: (feedbackId: string) => Promise<unknown>;
    log: (message: string, context?: Record<string, unknown>) => void;
  },
  options: { atOnce: number; batch?: number; onProgress?: (sorted: number) => void; stopping?: () => boolean },
): Promise<{ sorted: number; failed: number }> {
  const failed = new Set<string>();
  let sorted = 0;
  while (!options.stopping?.()) {
    const ids = await deps.store.claimUnsortedExternal(options.batch ?? 20, sortingClaimMs);
    if (!ids.length) break;
    const worker = async () => {
      for (let id = ids.shift(); id && !options.stopping?.(); id = ids.shift()) {
        try {
          await deps.sort(id);
          sorted++;
        } catch (error) {
          failed.add(id);
          deps.log('sorting external feedback failed', {
            feedbackId: id,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: options.atOnce }, worker));
    options.onProgress?.(sorted);
  }
  return { sorted, failed: failed.size };
}
