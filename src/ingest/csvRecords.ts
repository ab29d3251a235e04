// Splits CSV text into records of cells, each with the line it starts on, in one pass over
// the text. Reads CSV as csv-parse does with `trim`, `relax_quotes`, `skip_empty_lines`:
// a quote opens a quoted cell only at the start of a cell, `""` inside is a quote, and a
// closing quote must be followed by a comma or the end of the line. One broken quote must
// not swallow the rest of the file (csv-parse reads an unclosed quote to the end of it),
// so such a record is handed back as a problem on its first line and the lines after it
// are read again as usual. Own code rather than csv-parse: that check needed its own pass
// over every line anyway, and the two passes were most of an import's time.

/** `end` is how many characters of the text are read once this record is (for progress). */
export type CsvRecord = { line: number; cells: string[]; end: number } | { line: number; problem: string };

/** A legitimate multi-line cell fits well inside this; an unclosed quote usually does not end. */
const maxRecordChars = 64 * 1024;

const brokenQuote =
  'has a quote that is not closed where it should be (a quoted cell must end with " followed by a comma or the end of the line)';
const neverClosed = 'opens a quote that is never closed';

/** The characters csv-parse's `trim` drops before a cell and after a closing quote: space, tab, form feed, CR. */
function isTrimmable(code: number): boolean {
  return code === 32 || code === 9 || code === 12 || code === 13;
}

/** An unquoted cell: csv-parse drops trimmable characters before it and trims its end as String#trimEnd does. */
function unquotedCell(text: string, start: number, end: number): string {
  while (start < end && isTrimmable(text.charCodeAt(start))) start++;
  const last = text.charCodeAt(end - 1);
  const cell = text.slice(start, end);
  // Printable ASCII at the end needs no trimming: the common case skips the call.
  return last > 32 && last < 127 ? cell : cell.trimEnd();
}

type Scan = 'complete' | 'open' | 'broken';

/** Cells of one record's text (its lines joined by \n, no final line break), or why there are none yet. */
function cellsOf(text: string, cells: string[]): Scan {
  const length = text.length;
  let index = 0;
  for (;;) {
    let start = index;
    while (start < length && isTrimmable(text.charCodeAt(start))) start++;
    if (text.charCodeAt(start) !== 34) {
      const comma = text.indexOf(',', start);
      cells.push(unquotedCell(text, start, comma === -1 ? length : comma));
      if (comma === -1) return 'complete';
      index = comma + 1;
      continue;
    }
    let cell = '';
    let from = start + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      if (quote === -1) return 'open';
      if (text.charCodeAt(quote + 1) === 34) {
        cell += text.slice(from, quote + 1);
        from = quote + 2;
        continue;
      }
      cell += text.slice(from, quote);
      index = quote + 1;
      break;
    }
    while (index < length && isTrimmable(text.charCodeAt(index))) index++;
    cells.push(cell);
    if (index >= length) return 'complete';
    if (text.charCodeAt(index) !== 44) return 'broken';
    index++;
  }
}

/** A line of nothing but spaces, tabs and the like is skipped, as csv-parse's skip_empty_lines does with trim. */
function isBlank(line: string): boolean {
  for (let index = 0; index < line.length; index++) if (!isTrimmable(line.charCodeAt(index))) return false;
  return true;
}

/**
 * Yields the records of each piece of text as it arrives. Lines end in \n, \r\n, or (when the
 * first line break of the text is one) a lone \r, as csv-parse finds out for itself.
 */
export async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord[]> {
  let lineBreak: '\n' | '\r' | undefined;
  let carry = '';
  let line = 0;
  // Lines of a record that opened a quote and has not closed it yet.
  let open: string[] = [];
  let openChars = 0;
  let out: CsvRecord[] = [];
  // Characters of the text before the current piece's first unread line, and past the line being read.
  let consumed = 0;
  let end = 0;

  /** Refuses the open record's first line; the lines after it are to be read again from scratch. */
  function refuseFirstLine(reason: string, again: string[]): void {
    out.push({ line: line - open.length + 1, problem: reason });
    line -= open.length - 1;
    for (let index = open.length - 1; index >= 1; index--) again.push(open[index]!);
    open = [];
    openChars = 0;
  }

  /** Reads lines that hold a quote or continue an open record (taken from the end of `todo`). */
  function takeQuoted(todo: string[]): void {
    while (todo.length) {
      const current = todo.pop()!;
      line++;
      if (open.length === 0 && current.indexOf('"') === -1) {
        if (!isBlank(current)) out.push({ line, cells: plainCells(current), end });
        continue;
      }
      open.push(current);
      openChars += current.length;
      const cells: string[] = [];
      const scan = cellsOf(open.length === 1 ? current : open.join('\n'), cells);
      if (scan === 'complete') {
        out.push({ line: line - open.length + 1, cells, end });
        open = [];
        openChars = 0;
      } else if (scan === 'broken') refuseFirstLine(brokenQuote, todo);
      else if (openChars > maxRecordChars) refuseFirstLine(neverClosed, todo);
    }
  }

  function plainCells(current: string): string[] {
    const cells: string[] = [];
    let start = 0;
    for (let comma = current.indexOf(','); comma !== -1; comma = current.indexOf(',', start)) {
      cells.push(unquotedCell(current, start, comma));
      start = comma + 1;
    }
    cells.push(unquotedCell(current, start, current.length));
    return cells;
  }

  function take(current: string): void {
    // Lines without quotes are by far the most common; they need no scan when no record is open.
    if (open.length === 0 && current.indexOf('"') === -1) {
      line++;
      if (!isBlank(current)) out.push({ line, cells: plainCells(current), end });
    } else takeQuoted([current]);
  }

  let first = true;
  for await (let piece of text) {
    if (first) {
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      first = piece.length === 0;
    }
    const chunk = carry + piece;
    if (!lineBreak) {
      const cr = chunk.indexOf('\r');
      const lf = chunk.indexOf('\n');
      if (cr !== -1 && (lf === -1 ? cr < chunk.length - 1 : cr < lf - 1)) lineBreak = '\r';
      else if (lf !== -1) lineBreak = '\n';
      else {
        carry = chunk;
        continue;
      }
    }
    let start = 0;
    for (let stop = chunk.indexOf(lineBreak); stop !== -1; stop = chunk.indexOf(lineBreak, start)) {
      end = consumed + stop + 1;
      // A line ending in \r\n ends in \n from here on, inside quoted cells too.
      take(
        lineBreak === '\n' && chunk.charCodeAt(stop - 1) === 13
          ? chunk.slice(start, stop - 1)
          : chunk.slice(start, stop),
      );
      start = stop + 1;
      // In a file of lone \r line breaks, a \r\n (inside a quoted cell) is still one break.
      if (lineBreak === '\r' && chunk.charCodeAt(start) === 10) start++;
    }
    consumed += start;
    carry = chunk.slice(start);
    if (out.length) {
      yield out;
      out = [];
    }
  }
  end = consumed + carry.length;
  if (carry) take(carry);
  while (open.length) {
    const again: string[] = [];
    refuseFirstLine(neverClosed, again);
    takeQuoted(again);
  }
  if (out.length) yield out;
}
