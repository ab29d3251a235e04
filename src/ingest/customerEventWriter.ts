// Writes one chunk of validated customer events set-based: one statement upserts the
// chunk's customers, one inserts its events, both in one short transaction. Arrays go in
// as parameters and come apart with unnest, which PostgreSQL and PGlite both run, so a
// chunk of 10,000 events is two round trips rather than 10,000. The CSV import on a
// server COPYs each chunk into temp tables instead and runs the same two statements.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CustomerEventInput } from '../domain/customerEvents.js';
import type { Db } from '../store/database.js';
import { rememberedCustomers } from './rememberedCustomers.js';

/** Runs statements in order in one transaction and returns each one's row count. */
export type SqlTransaction = (statements: Array<[sql: string, params: unknown[]]>) => Promise<number[]>;

/** Through Prisma's driver adapter: works on PostgreSQL and the embedded PGlite alike. */
export function prismaTransaction(db: Db): SqlTransaction {
  // Prisma gives any transaction 2 s to get a connection and 5 s to finish; a chunk queued behind
  // another writer's chunk (or PGlite's one connection) may need longer, and still holds no lock long.
  return (statements) =>
    db.$transaction(
      async (tx) => {
        const counts: number[] = [];
        for (const [sql, params] of statements) counts.push(await tx.$executeRawUnsafe(sql, ...params));
        return counts;
      },
      { maxWait: 60_000, timeout: 120_000 },
    );
}

// Keys are locked in sorted order so concurrent chunks sharing customers queue instead of deadlocking.
const upsertCustomersFrom = (source: string) => `
INSERT INTO customer (id, external_id, name, segment, contact, market_area, updated_at)
SELECT gen_random_uuid(), i.external_id, i.name, i.segment, i.contact, i.market_area, now()
  FROM ${source}
 WHERE NOT EXISTS (SELECT 1 FROM customer c
                    WHERE c.external_id = i.external_id AND c.name = i.name AND c.segment = i.segment
                      AND (i.contact IS NULL OR c.contact = i.contact)
                      AND (i.market_area IS NULL OR c.market_area = i.market_area))
 ORDER BY i.external_id
ON CONFLICT (external_id) DO UPDATE
   SET name = excluded.name, segment = excluded.segment,
       contact = COALESCE(excluded.contact, customer.contact),
       market_area = COALESCE(excluded.market_area, customer.market_area), updated_at = now()
 WHERE (customer.name, customer.segment) IS DISTINCT FROM (excluded.name, excluded.segment)
    OR (excluded.contact IS NOT NULL AND customer.contact IS DISTINCT FROM excluded.contact)
    OR (excluded.market_area IS NOT NULL AND customer.market_area IS DISTINCT FROM excluded.market_area)`;

const insertEventsFrom = (source: string) => `
INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at, reason, verbatim, projected_value)
SELECT gen_random_uuid(), e.external_id, c.id, e.segment, e.kind::"CustomerEventKind", e.value::numeric,
       e.occurred_at::timestamptz, e.reason, e.verbatim, e.projected_value::numeric
  FROM ${source}
  JOIN customer c ON c.external_id = e.customer_id
 ORDER BY e.external_id
ON CONFLICT (external_id) DO NOTHING`;

const upsertCustomers = upsertCustomersFrom(
  'unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS i(external_id, name, segment, contact, market_area)',
);
const insertEvents =
  insertEventsFrom(`unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       AS e(external_id, customer_id, segment, kind, value, occurred_at, reason, verbatim, projected_value)`);

// A chunk holds at most 10,000 rows; the customer table may hold millions. Left to itself the planner
// hashes the whole customer table for each chunk (half a second a chunk at 200,000 customers, most of
// a long import's time); probing its unique index once per row of the chunk is what a chunk needs.
const probeByIndex = "SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)";

/** deadlock_detected and serialization_failure: the transaction was rolled back whole and can run again. */
const retryableCodes = new Set(['40P01', '40001']);

type DriverError =
  | {
      code?: unknown;
      constraint?: unknown;
      meta?: {
        driverAdapterError?: {
          cause?: { originalCode?: unknown; originalMessage?: unknown; constraint?: { index?: unknown } };
        };
      };
    }
  | undefined;

function sqlStateOf(error: unknown): string | undefined {
  // pg puts the SQLSTATE on the error; Prisma's adapters wrap it as P2010 with the driver's code inside.
  const wrapped = error as DriverError;
  const fromAdapter = wrapped?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof fromAdapter === 'string') return fromAdapter;
  return typeof wrapped?.code === 'string' ? wrapped.code : undefined;
}

/** The unique index a write ran into (unique_violation), through pg or through Prisma's adapters. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  if (sqlStateOf(error) !== '23505') return undefined;
  const wrapped = error as DriverError;
  const cause = wrapped?.meta?.driverAdapterError?.cause;
  const index = cause?.constraint?.index ?? wrapped?.constraint;
  if (typeof index === 'string') return index;
  // PGlite's adapter names only the columns; the server's message names the index.
  const message = typeof cause?.originalMessage === 'string' ? cause.originalMessage : (error as Error)?.message;
  return typeof message === 'string' ? /unique constraint "([^"]+)"/.exec(message)?.[1] : undefined;
}

export function isRetryable(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && retryableCodes.has(code);
}

/** Runs a whole-transaction attempt again when it lost a deadlock or serialization race. */
async function withRetries<T>(attempt: () => Promise<T>, attempts: number): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts || !isRetryable(error)) throw error;
      // A short random pause so two chunks that collided do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, 20 * tried + Math.random() * 50 * tried));
    }
  }
}

/** The columns of a chunk: one row per customer (latest details), one per event, in the order the SQL takes them. */
function chunkColumns(events: CustomerEventInput[]): {
  customerColumns: Array<Array<string | null>>;
  eventColumns: Array<Array<string | null>>;
} {
  // The latest name and segment we hear for a customer wins; events keep the segment they came with.
  const latestByCustomer = new Map<string, CustomerEventInput>();
  // A contact on any row counts, as it would have in a batch of its own; a later row without one does not erase it.
  const contactByCustomer = new Map<string, string>();
  const marketAreaByCustomer = new Map<string, string>();
  for (const event of events) {
    latestByCustomer.set(event.customer_id, event);
    if (event.customer_contact) contactByCustomer.set(event.customer_id, event.customer_contact);
    if (event.market_area) marketAreaByCustomer.set(event.customer_id, event.market_area);
  }
  const customerIds = [...latestByCustomer.keys()];
  const customerColumns = [
    customerIds,
    customerIds.map((id) => latestByCustomer.get(id)!.customer_name),
    customerIds.map((id) => latestByCustomer.get(id)!.segment),
    customerIds.map((id) => contactByCustomer.get(id) ?? null),
    customerIds.map((id) => marketAreaByCustomer.get(id) ?? null),
  ];
  const eventColumns = [
    events.map((event) => event.external_id),
    events.map((event) => event.customer_id),
    events.map((event) => event.segment),
    events.map((event) => event.kind),
    events.map((event) => event.value.toFixed(2)),
    events.map((event) => event.occurred_at.toISOString()),
    events.map((event) => event.reason ?? null),
    events.map((event) => event.verbatim ?? null),
    events.map((event) => event.projected_value?.toFixed(2) ?? null),
  ];
  return { customerColumns, eventColumns };
}

/** Stores a chunk (external ids already unique) and returns how many events were new. */
export async function writeCustomerEvents(
  transaction: SqlTransaction,
  events: CustomerEventInput[],
  attempts = 5,
): Promise<number> {
  if (events.length === 0) return 0;
  const { customerColumns, eventColumns } = chunkColumns(events);
  return withRetries(async () => {
    const counts = await transaction([
      [probeByIndex, []],
      [upsertCustomers, customerColumns],
      [insertEvents, eventColumns],
    ]);
    // The last statement is the events' insert: its row count is how many were new.
    return counts.at(-1)!;
  }, attempts);
}

/** A value in COPY's text format: backslash escapes for the characters that end a field or a row. */
function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char]!)
    : value;
}

/** Columns as COPY text: one line per row, tab between fields. */
function copyRows(columns: Array<Array<string | null>>): string {
  const lines: string[] = [];
  const count = columns[0]!.length;
  for (let row = 0; row < count; row++) {
    let line = copyText(columns[0]![row]!);
    for (let column = 1; column < columns.length; column++) line += `\t${copyText(columns[column]![row]!)}`;
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

const customerStaging = 'customer_event_import_customers';
const eventStaging = 'customer_event_import_events';

async function copyInto(client: pg.PoolClient, table: string, text: string): Promise<void> {
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
}

/**
 * For long imports on PostgreSQL: each chunk is COPYed into temp tables on one connection of
 * the import's own, then stored with the same set-based statements as writeCustomerEvents.
 * COPY is the server's fastest way in, and the client sends plain text instead of arrays.
 */
export function pgCopyWriter(
  pool: pg.Pool,
  attempts = 5,
  remembered = rememberedCustomers(),
): { write: (events: CustomerEventInput[]) => Promise<number>; close: () => Promise<void> } {
  let connection: Promise<pg.PoolClient> | undefined;
  const connect = async () => {
    const client = await pool.connect();
    try {
      // Emptied at each commit, so a chunk never sees the one before it; a pooled connection may have them already.
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS ${customerStaging} (external_id text, name text, segment text, contact text, market_area text) ON COMMIT DELETE ROWS`,
      );
      await client.query(
        `CREATE TEMP TABLE IF NOT EXISTS ${eventStaging} (external_id text, customer_id text, segment text, kind text, value text, occurred_at text, reason text, verbatim text, projected_value text) ON COMMIT DELETE ROWS`,
      );
      return client;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  };
  const upsert = upsertCustomersFrom(`${customerStaging} i`);
  const insert = insertEventsFrom(`${eventStaging} e`);
  // A long history names each customer many times, mostly with the same details. Those this import
  // already stored are not sent again: the upsert would find them unchanged, one index probe a row.
  // Kept to a budget, so memory does not grow with the number of customers either.
  const committed = remembered;
  return {
    async write(events) {
      if (events.length === 0) return 0;
      const { customerColumns: all, eventColumns } = chunkColumns(events);
      const [ids, names, segments, contacts, marketAreas] = all as [
        string[],
        string[],
        string[],
        Array<string | null>,
        Array<string | null>,
      ];
      const changed: number[] = [];
      for (let row = 0; row < ids.length; row++) {
        const before = committed.get(ids[row]!);
        // A row without a contact or market area keeps the one stored (see the upsert), so it changes nothing there.
        const same =
          before !== undefined &&
          before.name === names[row] &&
          before.segment === segments[row] &&
          (contacts[row] === null || contacts[row] === before.contact) &&
          (marketAreas[row] === null || marketAreas[row] === before.marketArea);
        if (!same) changed.push(row);
      }
      const customerColumns = all.map((column) => changed.map((row) => column[row]!));
      const customers = copyRows(customerColumns);
      const rows = copyRows(eventColumns);
      connection ??= connect();
      const client = await connection;
      return withRetries(async () => {
        try {
          await client.query('BEGIN');
          await client.query(probeByIndex);
          if (changed.length) {
            await copyInto(client, customerStaging, customers);
            await client.query(upsert);
          }
          await copyInto(client, eventStaging, rows);
          const stored = (await client.query(insert)).rowCount ?? 0;
          await client.query('COMMIT');
          for (const row of changed)
            committed.set(ids[row]!, {
              name: names[row]!,
              segment: segments[row]!,
              contact: contacts[row] ?? null,
              marketArea: marketAreas[row] ?? null,
            });
          return stored;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }, attempts);
    },
    async close() {
      if (connection) (await connection.catch(() => undefined))?.release();
    },
  };
}
