// Reads a customer-events CSV as a stream of chunks, so memory stays flat however large
// the file: each chunk holds up to `chunkRows` records with the line each starts on, and
// every record the file itself makes unreadable (column count, broken quote) comes back
// refused with its line number.
import { createReadStream } from 'node:fs';
import type { RejectedRow } from '../domain/customerEvents.js';
import { csvRecords } from './csvRecords.js';

export const csvColumns = [
  'external_id',
  'customer_id',
  'customer_name',
  'segment',
  'kind',
  'value',
  'occurred_at',
  'customer_contact',
  'reason',
  'verbatim',
  'projected_value',
  'market_area',
] as const;
const requiredColumns = csvColumns.slice(0, 7);

export class NotUtf8 extends Error {
  constructor(readonly byteOffset: number) {
    super(
      `is not UTF-8 text (the first byte that is not UTF-8 is near byte ${byteOffset}). Save it as "CSV UTF-8" and import it again.`,
    );
  }
}

export class UnusableHeader extends Error {}

/** Reads the whole file once through a strict decoder, so a non-UTF-8 file is refused before anything is stored. */
export async function assertUtf8(file: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const bytes of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    try {
      decoder.decode(bytes, { stream: true });
    } catch {
      throw new NotUtf8(offset);
    }
    offset += bytes.length;
  }
  try {
    decoder.decode();
  } catch {
    throw new NotUtf8(offset);
  }
}

export interface CsvChunk {
  rows: Record<string, string>[];
  /** The line each row starts on, as a text editor numbers them (the header is line 1). */
  lines: number[];
  /** Rows the file made unreadable in this stretch. */
  refused: RejectedRow[];
  /** How far into the file the reader is, for progress (bytes read; the whole file's at the end). */
  bytesRead: number;
}

async function* decoded(file: string, onBytes: (total: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  for await (const bytes of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new NotUtf8(total);
    }
    total += bytes.length;
    onBytes(total);
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

export async function* readCustomerEventCsv(file: string, chunkRows = 10_000): AsyncGenerator<CsvChunk> {
  let bytesRead = 0;
  let header: string[] | undefined;
  let rows: Record<string, string>[] = [];
  let lines: number[] = [];
  let refused: RejectedRow[] = [];
  // The file is read ahead of the records; count what has been read into records so progress is not early.
  let parsed = 0;
  for await (const records of csvRecords(decoded(file, (total) => (bytesRead = total)))) {
    for (const record of records) {
      if ('problem' in record) {
        refused.push({ row: record.line, reason: record.problem });
        continue;
      }
      const { cells } = record;
      if (!header) {
        header = cells.map((name) => name.trim().toLowerCase());
        const missing = requiredColumns.filter((name) => !header!.includes(name));
        if (missing.length)
          throw new UnusableHeader(
            `its first line must name the columns; missing: ${missing.join(', ')}. Columns: ${csvColumns.join(', ')}.`,
          );
        continue;
      }
      // Rows with too many or too few cells are refused one by one, never guessed at.
      if (cells.length !== header.length) {
        refused.push({
          row: record.line,
          reason: `has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} but the header names ${header.length} columns`,
        });
        continue;
      }
      const row: Record<string, string> = {};
      for (let index = 0; index < header.length; index++) row[header[index]!] = cells[index]!;
      rows.push(row);
      lines.push(record.line);
      parsed = record.end;
      if (rows.length >= chunkRows) {
        yield { rows, lines, refused, bytesRead: Math.min(parsed, bytesRead) };
        rows = [];
        lines = [];
        refused = [];
      }
    }
  }
  if (rows.length || refused.length) yield { rows, lines, refused, bytesRead };
}
