// Reads a CSV file with a header row as a stream of chunks, so memory stays flat however large
// the file: each chunk holds up to `chunkRows` rows (header name to cell) with the line each
// starts on, and every record the file itself makes unreadable (wrong number of cells, a broken
// quote) comes back refused with its line. Knows nothing of what the columns mean; every import
// (events, feedback, readings) reads its file this way.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { RejectedRow } from '../domain/customerEvents.js';
import { csvRecords } from './csvRecords.js';

export class NotUtf8 extends Error {
  constructor(readonly line: number) {
    super(`is not UTF-8 text (line ${line} is not). Save it as "CSV UTF-8" and import it again.`);
  }
}

/** The header is missing, or lacks a column the import needs; nothing was read past it. */
export class UnusableHeader extends Error {}

const readAhead = 1 << 20;

function newlinesIn(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

/**
 * Reads the whole file once, so a file in another encoding is refused before anything is stored
 * (it would store garbled words). A newline byte never occurs inside a UTF-8 sequence, so each
 * stretch up to a newline is checked whole, and only a failing one line by line to name it.
 */
export async function assertUtf8(file: string): Promise<void> {
  let line = 1;
  let carried: Buffer = Buffer.alloc(0);
  const check = (bytes: Buffer) => {
    if (isUtf8(bytes)) return;
    let start = 0;
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, start)) {
      if (!isUtf8(bytes.subarray(start, end))) throw new NotUtf8(line);
      line++;
      start = end + 1;
    }
    throw new NotUtf8(line);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: readAhead }) as AsyncIterable<Buffer>) {
    const bytes = carried.length ? Buffer.concat([carried, chunk]) : chunk;
    const last = bytes.lastIndexOf(0x0a);
    const whole = bytes.subarray(0, last + 1);
    check(whole);
    line += newlinesIn(whole);
    carried = Buffer.from(bytes.subarray(last + 1));
  }
  check(carried);
}

export interface CsvChunk {
  /** Lower-cased, trimmed column names, as the header row gives them. */
  header: string[];
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
  for await (const bytes of createReadStream(file, { highWaterMark: readAhead }) as AsyncIterable<Buffer>) {
    total += bytes.length;
    onBytes(total);
    yield decoder.decode(bytes, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * Yields the file's rows in chunks. Call assertUtf8 first: this reader stops at the first byte
 * that is not UTF-8. A header without every `required` column is refused with UnusableHeader.
 */
export async function* readCsvFile(
  file: string,
  options: { required: readonly string[]; columns: readonly string[]; chunkRows: number },
): AsyncGenerator<CsvChunk> {
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
        const missing = options.required.filter((name) => !header!.includes(name));
        if (missing.length)
          throw new UnusableHeader(
            `its first line must name the columns; missing: ${missing.join(', ')}. Columns: ${options.columns.join(', ')}.`,
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
      if (rows.length >= options.chunkRows) {
        yield { header, rows, lines, refused, bytesRead: Math.min(parsed, bytesRead) };
        rows = [];
        lines = [];
        refused = [];
      }
    }
  }
  if (!header)
    throw new UnusableHeader(`is empty: its first line must name the columns. Columns: ${options.columns.join(', ')}.`);
  if (rows.length || refused.length) yield { header, rows, lines, refused, bytesRead };
}
