// The State of the Customer as a PDF to bring to the planning meeting, drawn with pdfkit: a
// real document made in this process, with no browser. PDF text is drawn literally, never
// read as markup, so `<script>` or `*bold*` from a customer prints as typed; characters the
// built-in fonts cannot draw (they cover Windows-1252) and control characters are replaced.
import PDFDocument from 'pdfkit';
import type { Line, Outline } from './stateOfTheCustomerOutline.js';

const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const lookAlikes: Record<string, string> = { '−': '-', '\u2009': ' ', '\u202f': ' ' };

/** Text the standard PDF fonts can draw: what they cannot becomes `?`, line breaks become spaces. */
export function pdfSafe(text: string): string {
  let safe = '';
  for (const char of text.replace(/[\r\n\t\u2028\u2029]+/g, ' ')) {
    const code = char.codePointAt(0)!;
    const mapped = lookAlikes[char];
    if (mapped) safe += mapped;
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(char)) safe += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x200b && code <= 0x200f) || code === 0xfeff)
      continue;
    else safe += '?';
  }
  return safe;
}

const regular = 'Helvetica';
const bold = 'Helvetica-Bold';
const ink = '#1d1c1d';
const subtle = '#616061';

function drawLine(doc: PDFKit.PDFDocument, line: Line): void {
  const runs = line
    .map((piece) =>
      typeof piece === 'string'
        ? { text: pdfSafe(piece), font: regular }
        : 'user' in piece
          ? { text: pdfSafe(piece.user), font: piece.strong ? bold : regular }
          : { text: pdfSafe(piece.strong), font: bold },
    )
    .filter((run) => run.text !== '');
  doc
    .font(regular)
    .fontSize(10)
    .fillColor(ink)
    .text('•  ', { continued: runs.length > 0 });
  runs.forEach((run, index) => {
    doc.font(run.font).text(run.text, { continued: index < runs.length - 1 });
  });
  doc.moveDown(0.3);
}

/** The movement chart as drawn, with every number on it in words beside it. */
export interface PdfChart {
  png: Uint8Array;
  title: string;
  lines: string[];
}

function drawChart(doc: PDFKit.PDFDocument, chart: PdfChart): void {
  doc.moveDown(0.9);
  doc.font(bold).fontSize(13).fillColor(ink).text(pdfSafe(chart.title));
  doc.moveDown(0.3);
  const png = Buffer.from(chart.png);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  // A PNG's width and height are the first fields of its IHDR chunk; pdfkit does not break a page for a picture.
  const height = (width * png.readUInt32BE(20)) / png.readUInt32BE(16);
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y;
  doc.image(png, doc.page.margins.left, top, { width, height });
  // Placed by position, so the words below are moved past it by hand.
  doc.x = doc.page.margins.left;
  doc.y = top + height;
  doc.moveDown(0.5);
  for (const line of chart.lines) doc.font(regular).fontSize(8).fillColor(subtle).text(pdfSafe(line)).moveDown(0.2);
}

/** The full report as a PDF document; the chart, when there is one, follows the answer. */
export function stateOfTheCustomerPdf(
  outline: Outline,
  chart: PdfChart | undefined,
  footnote: string,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: pdfSafe(outline.title), Author: 'Customer Growth bot', Subject: 'The State of the Customer' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(bold).fontSize(20).fillColor(ink).text(pdfSafe(outline.title));
  doc.moveDown(0.6);
  doc.font(bold).fontSize(12).text(pdfSafe(outline.question));
  doc.font(regular).fontSize(12).text(pdfSafe(outline.answer));
  if (chart) drawChart(doc, chart);
  for (const part of outline.sections) {
    doc.moveDown(0.9);
    doc.font(bold).fontSize(13).fillColor(ink).text(pdfSafe(part.heading));
    doc.moveDown(0.3);
    for (const line of part.lines) drawLine(doc, line);
  }
  doc.moveDown(1.2);
  doc.font(regular).fontSize(8).fillColor(subtle).text(pdfSafe(footnote));
  doc.end();
  return done;
}
