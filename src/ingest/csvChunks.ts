// Reads a CSV file with a header row in chunks of records, with the line each record starts
// on, so an import keeps memory flat whatever the file's size and can name a bad row by
// its line. Knows nothing of what the columns mean. (csv-parse does the parsing.)
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse';

export type CsvRecord = { line: number; fields: Record<string, string> } | { line: number; problem: string };

export class CsvFileError extends Error {}

/** The first line that is not UTF-8, or null. Newline bytes never occur inside a UTF-8 sequence, so lines can be checked one by one. */
export async function firstNonUtf8Line(file: string): Promise<number | null> {
  let line = 1;
  let carried: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    let bytes = Buffer.concat([carried, chunk as Buffer]);
    for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a)) {
      if (!isUtf8(bytes.subarray(0, end))) return line;
      line++;
      bytes = bytes.subarray(end + 1);
    }
    carried = Buffer.from(bytes);
  }
  return isUtf8(carried) ? null : line;
}

const newlines = /\r\n|\r|\n/g;

/**
 * Yields records in chunks of `chunkSize`, as header name (trimmed, lower case) to cell.
 * A record with more or fewer cells than the header is yielded as a problem, not guessed at.
 */
export async function* readCsvChunks(
  file: string,
  options: { chunkSize: number },
): AsyncGenerator<{ header: string[]; records: CsvRecord[] }> {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true });
  const feeding = (async () => {
    try {
      for await (const chunk of createReadStream(file)) if (!parser.write(chunk)) await once(parser, 'drain');
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let header: string[] | undefined;
  let records: CsvRecord[] = [];
  let yielded = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is where the record ends; a quoted cell can span lines, and a spreadsheet names the line it starts on.
      const line = info.lines - record.reduce((sum, cell) => sum + (cell.match(newlines)?.length ?? 0), 0);
      if (!header) {
        header = record.map((name) => name.trim().toLowerCase());
        continue;
      }
      if (record.length !== header.length)
        records.push({
          line,
          problem: `has ${record.length} ${record.length === 1 ? 'cell' : 'cells'}, the header has ${header.length}`,
        });
      else
        records.push({ line, fields: Object.fromEntries(header.map((name, index) => [name, record[index]!.trim()])) });
      if (records.length >= options.chunkSize) {
        yield { header, records };
        yielded = true;
        records = [];
      }
    }
  } catch (error) {
    throw new CsvFileError(error instanceof Error ? error.message : String(error));
  } finally {
    parser.destroy();
    await feeding;
  }
  if (!header) throw new CsvFileError('the file is empty: it needs a header row naming the columns');
  // A file with a header and no rows still says what its columns are.
  if (records.length || !yielded) yield { header, records };
}
