// Reads a customer-events CSV as a stream of chunks, so memory stays flat however large
// the file: each chunk holds up to `chunkRows` records with the line each starts on, and
// every record the file itself makes unreadable (column count, broken quote) comes back
// refused with its line number.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import type { RejectedRow } from '../domain/customerEvents.js';
import { withoutBrokenQuotes } from './csvLines.js';

export const csvColumns = ['external_id', 'customer_id', 'customer_name', 'segment', 'kind', 'value', 'occurred_at', 'customer_contact', 'reason', 'verbatim'] as const;
const requiredColumns = csvColumns.slice(0, 7);

export class NotUtf8 extends Error {
  constructor(readonly byteOffset: number) {
    super(`is not UTF-8 text (the first byte that is not UTF-8 is near byte ${byteOffset}). Save it as "CSV UTF-8" and import it again.`);
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
  /** How far into the file the parser is, for progress (characters parsed; the whole file's bytes at the end). */
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

function startLine(info: Info & { raw?: string }): number {
  // info.lines is the line a record ends on; a quoted cell may have carried it over several.
  // raw also holds the empty lines skipped before the record, which are not part of it.
  const raw = (info.raw ?? '').trimStart();
  let breaks = 0;
  for (let index = raw.indexOf('\n'); index !== -1 && index < raw.length - 1; index = raw.indexOf('\n', index + 1)) breaks++;
  return info.lines - breaks;
}

export async function* readCustomerEventCsv(file: string, chunkRows = 10_000): AsyncGenerator<CsvChunk> {
  let bytesRead = 0;
  let refused: RejectedRow[] = [];
  let header: string[] = [];
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_quotes: true,
    // Rows with too many or too few cells come through marked, to be refused one by one.
    relax_column_count: true,
    skip_records_with_error: true,
    info: true,
    raw: true,
    columns: (names: string[]) => {
      header = names.map((name) => name.trim().toLowerCase());
      const missing = requiredColumns.filter((name) => !header.includes(name));
      if (missing.length) throw new UnusableHeader(`its first line must name the columns; missing: ${missing.join(', ')}. Columns: ${csvColumns.join(', ')}.`);
      return header;
    },
    on_skip: (error) => {
      if (error) refused.push({ row: Number(error.lines), reason: `cannot be read as CSV (${error.message.replace(/ at line \d+.*$/, '')})` });
    },
  });
  const text = withoutBrokenQuotes(
    decoded(file, (total) => (bytesRead = total)),
    (broken) => refused.push({ row: broken.line, reason: broken.reason }),
  );
  const feeding = pipeline(Readable.from(text), parser);
  // A failure while feeding (unreadable file, not UTF-8) also ends the parser; report the feeding error first.
  feeding.catch(() => {});
  let rows: Record<string, string>[] = [];
  let lines: number[] = [];
  let parsed = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: Info & { raw?: string; error?: { code?: string; record?: unknown[] } } }>) {
      const line = startLine(info);
      // The file is read ahead of the parser; count what has been parsed so progress is not early.
      parsed = info.bytes;
      if (info.error?.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
        const cells = Array.isArray(info.error.record) ? info.error.record.length : Object.keys(record).length;
        refused.push({ row: line, reason: `has ${cells} ${cells === 1 ? 'cell' : 'cells'} but the header names ${header.length} columns` });
        continue;
      }
      rows.push(record);
      lines.push(line);
      if (rows.length >= chunkRows) {
        yield { rows, lines, refused, bytesRead: Math.min(parsed, bytesRead) };
        rows = [];
        lines = [];
        refused = [];
      }
    }
  } catch (error) {
    await feeding.catch((feedError: unknown) => {
      throw feedError;
    });
    throw (error as { cause?: unknown }).cause instanceof UnusableHeader ? (error as { cause: unknown }).cause : error;
  }
  await feeding;
  if (rows.length || refused.length) yield { rows, lines, refused, bytesRead };
}
