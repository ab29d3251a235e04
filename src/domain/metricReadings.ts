// Readings of the moments' metrics, sent by the systems that measure them (the call platform,
// the delivery tracker) over HTTP or in a CSV. Each row is checked on its own; good rows are
// stored once by external id, bad ones refused with their row (or line) and reason.
import { z } from 'zod';
import { parseSaidAt, type RejectedRow } from './externalFeedback.js';

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;
const text = (max: number) =>
  z
    .string({ error: required('text') })
    .trim()
    .min(1, 'is empty')
    .max(max, `is longer than ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'contains a NUL character (\\u0000), which cannot be stored');

const plainNumber = /^-?\d+(\.\d+)?$/;

/** A JSON number, or plain digits (a minus sign and a decimal point allowed); nothing that would have to be guessed at. */
const value = z
  .union([z.number(), z.string()], { error: required('a number such as 97.5') })
  .transform((input, context) => {
    const written = typeof input === 'string' ? input.trim() : input;
    if (typeof written === 'string' && !plainNumber.test(written)) {
      context.addIssue({
        code: 'custom',
        message: `must be a number such as 97.5 (plain digits, no unit, exponent or thousands separator), not "${written.slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    const number = Number(written);
    if (!Number.isFinite(number) || Math.abs(number) > 1e15) {
      context.addIssue({ code: 'custom', message: 'must be a finite number no larger than 1e15' });
      return z.NEVER;
    }
    return number;
  });

export function metricReadingRow(now: Date) {
  return z.object({
    external_id: text(200),
    moment: text(100),
    value,
    measured_at: z
      .string({ error: required('an ISO 8601 date or date-time, as text') })
      .transform((written, context) => {
        const parsed = parseSaidAt(written, now);
        if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.reason });
        return parsed.ok ? parsed.at : z.NEVER;
      }),
  });
}
export type MetricReadingRow = z.output<ReturnType<typeof metricReadingRow>>;

export interface MetricReadingRecord {
  externalId: string;
  momentId: string;
  value: number;
  measuredAt: Date;
}

export interface MetricReadingStore {
  /** Every moment by lower-case name, retired ones too. */
  momentsByName(): Promise<Map<string, { id: string; retired: boolean }>>;
  /** Stores readings whose external id is new, in one statement; returns how many were new. */
  insertReadings(records: MetricReadingRecord[]): Promise<number>;
}

export interface RecordedReadings {
  stored: number;
  duplicates: number;
  rejected: RejectedRow[];
}

/** Blank cells arrive as '' from CSV and null from some JSON senders; a blank required field is then "required". */
function withoutBlanks(row: object): object {
  return Object.fromEntries(Object.entries(row).filter(([, cell]) => cell !== '' && cell !== null));
}

/** Rows are numbered from 1 in a JSON batch; a CSV import gives each row's line in the file. */
export async function recordMetricReadings(
  deps: { store: MetricReadingStore; clock: () => Date },
  rows: unknown[],
  rowNumbers?: number[],
): Promise<RecordedReadings> {
  const schema = metricReadingRow(deps.clock());
  const rejected: RejectedRow[] = [];
  const valid: Array<MetricReadingRow & { row: number }> = [];
  for (const [index, row] of rows.entries()) {
    const number = rowNumbers?.[index] ?? index + 1;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      rejected.push({ row: number, reason: 'is not an object with named fields' });
      continue;
    }
    const parsed = schema.safeParse(withoutBlanks(row));
    if (parsed.success) valid.push({ ...parsed.data, row: number });
    else
      rejected.push({
        row: number,
        reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; '),
      });
  }
  if (!valid.length) return { stored: 0, duplicates: 0, rejected };
  const moments = await deps.store.momentsByName();
  const records = new Map<string, MetricReadingRecord>();
  let kept = 0;
  for (const row of valid) {
    const moment = moments.get(row.moment.toLowerCase());
    if (!moment) {
      rejected.push({
        row: row.row,
        reason: `moment "${row.moment}" is not one of the moments that matter (see the moments in the company language)`,
      });
      continue;
    }
    if (moment.retired) {
      rejected.push({
        row: row.row,
        reason: `moment "${row.moment}" was retired; its history is kept but it takes no new readings`,
      });
      continue;
    }
    kept++;
    // The same external id twice in one batch is one reading: the first is kept.
    if (!records.has(row.external_id))
      records.set(row.external_id, {
        externalId: row.external_id,
        momentId: moment.id,
        value: row.value,
        measuredAt: row.measured_at,
      });
  }
  const stored = records.size ? await deps.store.insertReadings([...records.values()]) : 0;
  rejected.sort((a, b) => a.row - b.row);
  return { stored, duplicates: kept - stored, rejected };
}
