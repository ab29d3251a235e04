// The one CSV reader every import uses: what it refuses whole, before any row is stored.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertUtf8, readCsvFile } from '../../src/ingest/csvFile.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'csv-file-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function fileOf(content: string | Buffer): Promise<string> {
  const file = path.join(folder, `f-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, content);
  return file;
}

async function readAll(file: string) {
  const chunks = [];
  for await (const chunk of readCsvFile(file, { required: ['id'], columns: ['id', 'text'], chunkRows: 2 }))
    chunks.push(chunk);
  return chunks;
}

describe('a CSV file', () => {
  it('that is not UTF-8 is refused naming the first line that is not, however far into the file', async () => {
    // Over 2 MB of good lines first, so the bad one is past the reader's first stretches.
    const good = Array.from({ length: 60_000 }, (_, index) => `${index},tea and café for everyone`).join('\n');
    const file = await fileOf(
      Buffer.concat([Buffer.from(`id,text\n${good}\n`), Buffer.from([0x78, 0xe9, 0x2c, 0x78]), Buffer.from('\n')]),
    );
    await expect(assertUtf8(file)).rejects.toThrow('is not UTF-8 text (line 60002 is not)');
    await expect(assertUtf8(await fileOf(`id,text\n${good}\n`))).resolves.toBeUndefined();
  });

  it('that is empty, or lacks a required column, is refused with the columns it needs', async () => {
    await expect(readAll(await fileOf(''))).rejects.toThrow(/is empty.*Columns: id, text/);
    await expect(readAll(await fileOf('text\nhello\n'))).rejects.toThrow(/missing: id\. Columns: id, text/);
  });

  it('comes in chunks of rows by header name, with each row line and the rows it could not read', async () => {
    const chunks = await readAll(await fileOf('ID , Text\n1,one\n2,"two\nlines"\n3\n4,four\n'));
    expect(chunks.map((chunk) => chunk.rows)).toEqual([
      [
        { id: '1', text: 'one' },
        { id: '2', text: 'two\nlines' },
      ],
      [{ id: '4', text: 'four' }],
    ]);
    expect(chunks.map((chunk) => chunk.lines)).toEqual([[2, 3], [6]]);
    expect(chunks.flatMap((chunk) => chunk.refused)).toEqual([
      { row: 5, reason: 'has 1 cell but the header names 2 columns' },
    ]);
  });
});
