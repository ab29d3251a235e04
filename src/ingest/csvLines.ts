// Keeps one broken quote from swallowing the rest of a CSV file. csv-parse reads an
// unclosed quote as a field running to the end of the file, so every later row would be
// lost; this pass finds such records first, hands back the first line of each as
// refused, and blanks it (line numbers stay true) so the lines after it load as usual.

export interface BrokenLine {
  line: number;
  reason: string;
}

/** A legitimate multi-line cell fits well inside this; an unclosed quote usually does not end. */
const maxRecordChars = 64 * 1024;

type Scan = 'complete' | 'open' | 'broken';

/**
 * Follows csv-parse's quoting (with relax_quotes and trim): a quote opens a quoted field
 * only at the start of a field, `""` inside is a quote, and a closing quote must be
 * followed by a comma or the end of the line.
 */
function scanLine(line: string, inQuote: boolean): Scan {
  let atFieldStart = !inQuote;
  for (let index = 0; index < line.length; index++) {
    const char = line.charCodeAt(index);
    if (inQuote) {
      if (char !== 34) continue;
      if (line.charCodeAt(index + 1) === 34) {
        index++;
        continue;
      }
      inQuote = false;
      let next = index + 1;
      while (line.charCodeAt(next) === 32 || line.charCodeAt(next) === 9) next++;
      const after = line.charCodeAt(next);
      if (next < line.length && after !== 44 && after !== 13 && after !== 10) return 'broken';
      index = next;
      atFieldStart = true;
    } else if (char === 44) atFieldStart = true;
    else if (char === 34 && atFieldStart) inQuote = true;
    else if (char !== 32 && char !== 9) atFieldStart = false;
  }
  return inQuote ? 'open' : 'complete';
}

/** Passes text through line by line; broken records are reported and replaced by an empty line. */
export async function* withoutBrokenQuotes(text: AsyncIterable<string>, onBroken: (broken: BrokenLine) => void): AsyncGenerator<string> {
  let carry = '';
  let lineNumber = 0;
  // Lines of a record that opened a quote and has not closed it yet.
  let record: string[] = [];
  let recordChars = 0;
  let out: string[] = [];

  function* flushOut(): Generator<string> {
    if (out.length) yield out.join('');
    out = [];
  }

  /** Refuses the record's first line and scans the lines after it again from scratch. */
  function refuseFirstLine(reason: string): string[] {
    const [first, ...rest] = record;
    onBroken({ line: lineNumber - record.length + 1, reason });
    out.push(first!.endsWith('\n') ? '\n' : '');
    lineNumber -= rest.length;
    record = [];
    recordChars = 0;
    return rest;
  }

  function take(line: string): void {
    // csv-parse miscounts lines when a quoted cell holds CRLF, so lines end in LF from here on.
    const pending = [line.endsWith('\r\n') ? `${line.slice(0, -2)}\n` : line];
    while (pending.length) {
      const current = pending.shift()!;
      lineNumber++;
      // Lines without quotes are by far the most common; skip the scan when no record is open.
      if (record.length === 0 && current.indexOf('"') === -1) {
        out.push(current);
        continue;
      }
      const continuing = record.length > 0;
      record.push(current);
      recordChars += current.length;
      const state = scanLine(continuing ? record.join('') : current, false);
      if (state === 'complete') {
        out.push(...record);
        record = [];
        recordChars = 0;
      } else if (state === 'broken') pending.unshift(...refuseFirstLine('has a quote that is not closed where it should be (a quoted cell must end with " followed by a comma or the end of the line)'));
      else if (recordChars > maxRecordChars) pending.unshift(...refuseFirstLine('opens a quote that is never closed'));
    }
  }

  for await (const chunk of text) {
    const lines = (carry + chunk).split(/(?<=\n)/);
    carry = lines.at(-1)!.endsWith('\n') ? '' : lines.pop()!;
    for (const line of lines) take(line);
    yield* flushOut();
  }
  if (carry) take(carry);
  while (record.length) {
    const rest = refuseFirstLine('opens a quote that is never closed');
    for (const line of rest) take(line);
  }
  yield* flushOut();
}
