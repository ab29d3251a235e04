// What a customer movement looks like when it arrives from another system (HTTP or
// CSV), and how a batch is split into rows we keep and rows we refuse with a reason.
// Formats are strict on purpose: a value or date we would have to guess at is refused
// with a reason rather than stored as something the sender did not mean.
import { z } from 'zod';

export const customerEventKinds = [
  'won',
  'lost',
  'expanded',
  'contracted',
  'referral',
  'reactivated',
  'active',
] as const;
export type CustomerEventKind = (typeof customerEventKinds)[number];
/** The kinds that move the customer asset; `active` is only a sign of life (a purchase, a visit, a renewal). */
export type MovementKind = Exclude<CustomerEventKind, 'active'>;

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

// PostgreSQL text cannot hold NUL; refusing the row names the problem instead of failing the batch.
const text = (max: number) =>
  z
    .string({ error: required('text') })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'contains a NUL character (\\u0000), which cannot be stored');

/** Largest amount Decimal(14,2) holds. */
const maxValue = 999_999_999_999.99;
const plainDecimal = /^\d+(\.\d+)?$/;

// Amounts are unsigned: the kind says which way the customer asset moved.
const value = z
  .union([z.number(), z.string()], { error: required('a number such as 1200 or 1200.50') })
  .transform((input, context) => {
    const problem = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (typeof input === 'string') {
      const written = input.trim();
      if (written === '') return problem('is required');
      if (written.startsWith('-')) return problem('must be zero or more (the kind says whether value was won or lost)');
      if (!plainDecimal.test(written))
        return problem(
          `must be a number such as 1200 or 1200.50 (plain digits, no hex, exponent or thousands separator), not "${written.slice(0, 40)}"`,
        );
      if (/\.\d{3,}$/.test(written)) return problem('must have at most 2 decimals');
      input = Number(written);
    } else {
      if (!Number.isFinite(input)) return problem('must be a finite number');
      if (input < 0) return problem('must be zero or more (the kind says whether value was won or lost)');
      // Binary floats: 0.1 * 100 is 10.000000000000002, so compare with a tolerance far below a cent.
      if (Math.abs(input * 100 - Math.round(input * 100)) > 1e-6) return problem('must have at most 2 decimals');
    }
    if (input > maxValue) return problem('is too large (at most 999999999999.99)');
    return input;
  });

const isoDate = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const earliest = Date.UTC(1900, 0, 1);
const dayMs = 86_400_000;

/** Reads an ISO 8601 date or date-time; a date-time without an offset is UTC, as is a bare date. */
export function parseOccurredAt(written: string, now = Date.now()): Date | string {
  const match = isoDate.exec(written.trim());
  if (!match) return 'must be an ISO 8601 date or date-time, such as 2026-11-23 or 2026-11-23T09:30:00Z';
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    calendar.getUTCFullYear() !== Number(year) ||
    calendar.getUTCMonth() !== Number(month) - 1 ||
    calendar.getUTCDate() !== Number(day)
  ) {
    return `is not a real calendar date (${year}-${month}-${day})`;
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59)
    return `has a time of day that does not exist (${hour}:${minute}:${second})`;
  // Arithmetic rather than a second parse of a rebuilt string: this runs for every row of an import.
  let offsetMinutes = 0;
  if (offset && offset !== 'Z') {
    const offsetHours = Number(offset.slice(1, 3));
    const offsetRest = Number(offset.slice(offset.length - 2));
    if (offsetHours > 23 || offsetRest > 59) return 'has an offset that does not exist';
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const milliseconds = fraction ? Number(fraction.slice(1, 4).padEnd(3, '0')) : 0;
  const at = new Date(
    calendar.getTime() +
      ((Number(hour) * 60 + Number(minute) - offsetMinutes) * 60 + Number(second)) * 1000 +
      milliseconds,
  );
  if (at.getTime() < earliest) return 'is before 1900';
  if (at.getTime() > now + dayMs) return 'is more than a day in the future';
  return at;
}

// "A day ahead" is measured from the services' clock, so a test or a replay with its own clock agrees.
const occurredAt = (now: number) =>
  z
    // A Date comes only from code in this process (demo data, connectors), never from JSON or CSV.
    .union([z.string(), z.date()], {
      error: required('an ISO 8601 date or date-time, such as 2026-11-23 or 2026-11-23T09:30:00Z'),
    })
    .transform((input, context) => {
      const parsed = parseOccurredAt(typeof input === 'string' ? input : input.toISOString(), now);
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    });

/**
 * Who sends a batch. The bot's own connectors name their movements `stripe:…`, and the database
 * takes one `stripe:` win per customer; an id in that space from anyone else could collide with
 * a connector's and fail a whole batch, so only a connector may use it.
 */
export type EventSender = 'outside' | 'connector';
export const connectorIdPrefix = 'stripe:';

const customerEventInput = (now: number, sender: EventSender) =>
  z
    .object(
      {
        external_id: text(200),
        customer_id: text(200),
        customer_name: text(300),
        segment: text(100),
        /** Phone or email for lost-customer calls; only the assigned caller and the CCO see it. */
        customer_contact: text(300).optional(),
        /** Where the customer is served, for the State of the Customer's market areas; optional, the segment stands in. */
        market_area: text(100).optional(),
        kind: z.enum(customerEventKinds, { error: `must be one of: ${customerEventKinds.join(', ')}` }),
        // Checked below: a sign of life need not say what it was worth.
        value: value.optional(),
        occurred_at: occurredAt(now),
        reason: text(500).optional(),
        verbatim: text(5000).optional(),
        /** What a new customer is expected to be worth; only a won event carries it. */
        projected_value: value.optional(),
      },
      { error: 'must be an object with the event fields' },
    )
    .superRefine((event, context) => {
      if (sender === 'outside' && event.external_id.startsWith(connectorIdPrefix))
        context.addIssue({
          code: 'custom',
          path: ['external_id'],
          message: `starts with "${connectorIdPrefix}", which is kept for the bot's Stripe connector; give events from other systems another prefix`,
        });
      if (event.value === undefined && event.kind !== 'active')
        context.addIssue({ code: 'custom', path: ['value'], message: 'is required' });
      if (event.projected_value !== undefined && event.kind !== 'won')
        context.addIssue({
          code: 'custom',
          path: ['projected_value'],
          message: `is only for won events (a new customer's expected value), not ${event.kind}`,
        });
    })
    .transform((event) => ({ ...event, value: event.value ?? 0 }));

export type CustomerEventInput = z.infer<ReturnType<typeof customerEventInput>>;

export interface RejectedRow {
  /** Position in a JSON batch (from 1), or the line a CSV record starts on. */
  row: number;
  reason: string;
}

export interface ValidatedBatch {
  valid: CustomerEventInput[];
  rejected: RejectedRow[];
}

/** Blank optional cells arrive as '' from CSV and forms; treat them as absent. */
function withoutBlanks(row: unknown): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row) || row instanceof Date) return row;
  // A loop, not entries/filter/fromEntries: this runs for every row of a million-row import.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    const value = (row as Record<string, unknown>)[key];
    // No field is named __proto__; assigning it would set the object's prototype instead.
    if (value !== '' && value !== null && key !== '__proto__') kept[key] = value;
  }
  return kept;
}

export function reasonOf(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; ');
}

/** Rows are numbered from `firstRow`, or by `rowNumbers` when given (CSV line numbers). */
export function validateCustomerEvents(
  rows: unknown[],
  firstRow = 1,
  rowNumbers?: number[],
  now: Date = new Date(),
  sender: EventSender = 'outside',
): ValidatedBatch {
  const valid: CustomerEventInput[] = [];
  const rejected: RejectedRow[] = [];
  const schema = customerEventInput(now.getTime(), sender);
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(withoutBlanks(row));
    if (parsed.success) valid.push(parsed.data);
    else rejected.push({ row: rowNumbers?.[index] ?? index + firstRow, reason: reasonOf(parsed.error) });
  });
  return { valid, rejected };
}

export interface RecordedBatch {
  stored: number;
  duplicates: number;
  rejected: RejectedRow[];
}

export interface CustomerEventStore {
  /**
   * Stores events whose external id is new; returns how many were new. All of them are
   * stored or none: callers split large loads into chunks (see maxEventsPerWrite).
   */
  recordCustomerEvents(events: CustomerEventInput[]): Promise<number>;
}

/** Rows written in one short transaction; also the most the events API takes in one request. */
export const maxEventsPerWrite = 10_000;

/** Thrown when storing failed after some chunks were already committed, so callers can say exactly what was kept. */
export class EventsPartlyStored extends Error {
  constructor(
    readonly stored: number,
    readonly duplicates: number,
    /** Valid rows, in batch order, whose fate is known (stored or already there); later ones were not stored. */
    readonly rowsSettled: number,
    readonly failure: unknown,
  ) {
    super(
      `storing customer events failed after ${stored} new events were stored: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
  }
}

export async function recordCustomerEventBatch(
  store: CustomerEventStore,
  rows: unknown[],
  firstRow = 1,
  rowNumbers?: number[],
  now?: Date,
  sender: EventSender = 'outside',
): Promise<RecordedBatch> {
  const { valid, rejected } = validateCustomerEvents(rows, firstRow, rowNumbers, now, sender);
  let stored = 0;
  let settled = 0;
  for (let start = 0; start < valid.length; start += maxEventsPerWrite) {
    const chunk = valid.slice(start, start + maxEventsPerWrite);
    // The same external id twice in one batch is one event.
    const unique = [...new Map(chunk.map((event) => [event.external_id, event])).values()];
    try {
      stored += await store.recordCustomerEvents(unique);
    } catch (error) {
      if (start === 0) throw error;
      throw new EventsPartlyStored(stored, settled - stored, settled, error);
    }
    settled += chunk.length;
  }
  return { stored, duplicates: valid.length - stored, rejected };
}
