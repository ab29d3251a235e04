// Loads a customer-events CSV of any size: chunks are validated while the previous chunk
// is being written, each chunk is its own short transaction, and the refused rows are
// collected by line number while every good row is stored.
import { stat } from 'node:fs/promises';
import { validateCustomerEvents, type CustomerEventInput, type RejectedRow } from '../domain/customerEvents.js';
import { assertUtf8 } from './csvFile.js';
import { readCustomerEventCsv } from './customerEventCsv.js';

export interface ImportProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ImportSummary {
  rows: number;
  stored: number;
  duplicates: number;
  /** Sorted by line. */
  refused: RejectedRow[];
}

/** Storing failed part-way: what was committed before it is kept, and said so. */
export class ImportStopped extends Error {
  constructor(
    readonly summary: ImportSummary,
    /** Every row up to this line is settled (stored, already there, or refused); nothing after it was stored. */
    readonly settledThroughLine: number,
    readonly failure: unknown,
  ) {
    super(
      `import stopped after line ${settledThroughLine}: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
  }
}

export interface ImportOptions {
  /** Stores one chunk (external ids unique within it) and returns how many events were new. */
  write: (events: CustomerEventInput[]) => Promise<number>;
  onProgress?: (progress: ImportProgress) => void;
  chunkRows?: number;
}

export async function importCustomerEventCsv(file: string, options: ImportOptions): Promise<ImportSummary> {
  const totalBytes = (await stat(file)).size;
  await assertUtf8(file);
  const summary: ImportSummary = { rows: 0, stored: 0, duplicates: 0, refused: [] };
  let inFlight: Promise<void> = Promise.resolve();
  let settledThroughLine = 1;
  let failure: { error: unknown } | undefined;

  for await (const chunk of readCustomerEventCsv(file, options.chunkRows)) {
    const { valid, rejected } = validateCustomerEvents(chunk.rows, 1, chunk.lines);
    // The same external id twice in one chunk is one event; across chunks the database sees to it.
    const unique = [...new Map(valid.map((event) => [event.external_id, event])).values()];
    const lastLine = chunk.lines.at(-1) ?? settledThroughLine;
    await inFlight;
    if (failure) break;
    summary.rows += chunk.rows.length + chunk.refused.length;
    summary.refused.push(...chunk.refused, ...rejected);
    inFlight = (unique.length ? options.write(unique) : Promise.resolve(0)).then(
      (stored) => {
        summary.stored += stored;
        summary.duplicates += valid.length - stored;
        settledThroughLine = Math.max(settledThroughLine, lastLine);
        options.onProgress?.({ rows: summary.rows, bytesRead: chunk.bytesRead, totalBytes });
      },
      (error: unknown) => {
        failure = { error };
      },
    );
  }
  await inFlight;
  summary.refused.sort((a, b) => a.row - b.row);
  if (failure) throw new ImportStopped(summary, settledThroughLine, failure.error);
  return summary;
}
