// What a customer movement looks like when it arrives from another system (HTTP or
// CSV), and how a batch is split into rows we keep and rows we refuse with a reason.
import { z } from 'zod';

export const customerEventKinds = ['won', 'lost', 'expanded', 'contracted', 'referral', 'reactivated'] as const;
export type CustomerEventKind = (typeof customerEventKinds)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

export const customerEventInput = z.object({
  external_id: text(200),
  customer_id: text(200),
  customer_name: text(300),
  segment: text(100),
  /** Phone or email for lost-customer calls; only the assigned caller and the CCO see it. */
  customer_contact: text(300).optional(),
  kind: z.enum(customerEventKinds, { error: `must be one of: ${customerEventKinds.join(', ')}` }),
  // Amounts are unsigned: the kind says which way the customer asset moved.
  value: z.coerce
    .number({ error: 'must be a number' })
    .finite()
    .min(0, 'must be zero or more (the kind says whether value was won or lost)')
    .max(999_999_999_999, 'is too large'),
  occurred_at: z.coerce.date({ error: 'must be an ISO 8601 date or date-time' }),
  reason: text(500).optional(),
  verbatim: text(5000).optional(),
});

export type CustomerEventInput = z.infer<typeof customerEventInput>;

export interface RejectedRow {
  row: number;
  reason: string;
}

export interface ValidatedBatch {
  valid: CustomerEventInput[];
  rejected: RejectedRow[];
}

/** Blank optional cells arrive as '' from CSV and forms; treat them as absent. */
function withoutBlanks(row: unknown): unknown {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== '' && value !== null));
}

/** Rows are numbered from `firstRow` (1 for a JSON batch, 2 for a CSV with a header line). */
export function validateCustomerEvents(rows: unknown[], firstRow = 1): ValidatedBatch {
  const valid: CustomerEventInput[] = [];
  const rejected: RejectedRow[] = [];
  rows.forEach((row, index) => {
    const parsed = customerEventInput.safeParse(withoutBlanks(row));
    if (parsed.success) valid.push(parsed.data);
    else
      rejected.push({
        row: index + firstRow,
        reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'} ${issue.message}`).join('; '),
      });
  });
  return { valid, rejected };
}

export interface RecordedBatch {
  stored: number;
  duplicates: number;
  rejected: RejectedRow[];
}

export interface CustomerEventStore {
  /** Stores events whose external id is new; returns how many were new. */
  recordCustomerEvents(events: CustomerEventInput[]): Promise<number>;
}

export async function recordCustomerEventBatch(store: CustomerEventStore, rows: unknown[], firstRow = 1): Promise<RecordedBatch> {
  const { valid, rejected } = validateCustomerEvents(rows, firstRow);
  // The same external id twice in one batch is one event.
  const unique = [...new Map(valid.map((event) => [event.external_id, event])).values()];
  const stored = unique.length ? await store.recordCustomerEvents(unique) : 0;
  return { stored, duplicates: valid.length - stored, rejected };
}
