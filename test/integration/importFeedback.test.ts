// `npm run import:feedback -- feedback.csv` run for real, as a child process, against a fresh
// PostgreSQL database: good rows stored and sorted, bad rows named by line, a second import
// stores nothing twice, and a file in another encoding is refused before anything is stored.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cli = 'src/cli/importFeedback.ts';

let db: TestDatabase;
let folder: string;

beforeAll(async () => {
  db = await freshDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'import-feedback-'));
});
afterAll(async () => {
  await db?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only DATABASE_URL pointing at the test database; never rejects. */
function importCsv(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url };
  for (const name of Object.keys(env))
    if (
      name.startsWith('SLACK_') ||
      name.startsWith('OPENAI_') ||
      name === 'PGLITE_DIR' ||
      name === 'DEMO_DATA' ||
      name === 'LANGUAGE_FILE'
    )
      delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { cwd: projectRoot, env, timeout: 200_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

// A BOM (as Excel writes it), a header in mixed case, a two-line quoted text, a stage hint,
// a row with a source nobody knows, a row with a cell too many, and a blank optional cell.
const csv =
  '\uFEFFExternal_ID,Text,Source,Customer_ID,Survey,Stage,Category,Said_At\n' +
  'csv-1,"The courier was late, again.\nAnd the parcel arrived damaged.",support desk,,,Use,,2026-11-18\n' +
  'csv-2,Hello,carrier pigeon,,,,,\n' +
  'csv-3,Checkout page froze,web,,,,,2026-11-19T10:00:00Z,extra\n' +
  'csv-4,"Charged twice on my invoice, want a refund",survey,,Quarterly NPS,,,\n';

// Each run starts Node with a TypeScript loader and opens a database: generous on a busy machine.
const runTimeout = 240_000;

describe('npm run import:feedback', () => {
  it(
    'stores the good rows, names each refused one by its line, and sorts what it stored',
    async () => {
      const file = path.join(folder, 'feedback.csv');
      await writeFile(file, csv);
      const run = await importCsv(file);
      expect(run.code).toBe(1);
      // The second row of the file starts on line 2 and spans two lines, so the pigeon is on line 4.
      expect(run.stdout).toMatch(/^line 4: refused: source must be one of: call centre, web/m);
      expect(run.stdout).toMatch(/^line 5: refused: has 9 cells but the header names 8 columns$/m);
      expect(run.stdout).toMatch(/^line 6: stored, but the survey "Quarterly NPS" is not mapped to a journey stage/m);
      expect(run.stdout).toMatch(/2 new items stored, 0 already stored, 2 rows refused, 1 notes; 2 sorted\./);
      expect(run.stderr).toMatch(/4 rows read, 2 stored/);

      const rows = await db.database.prisma.feedback.findMany({
        orderBy: { externalId: 'asc' },
        include: { stage: true },
      });
      expect(rows.map((row) => row.externalId)).toEqual(['csv-1', 'csv-4']);
      expect(rows[0]).toMatchObject({
        text: 'The courier was late, again.\nAnd the parcel arrived damaged.',
        source: 'support_desk',
        platform: null,
        reporterId: 'csv',
      });
      expect(rows[0]!.stage?.name).toBe('Use');
      expect(rows.every((row) => row.classifiedBy !== null)).toBe(true);
    },
    runTimeout,
  );

  it(
    'stores nothing twice when the same file is imported again',
    async () => {
      const file = path.join(folder, 'feedback.csv');
      const before = await db.database.prisma.feedback.count();
      const run = await importCsv(file);
      expect(run.stdout).toMatch(/0 new items stored, 2 already stored, 2 rows refused; 0 sorted\./);
      expect(await db.database.prisma.feedback.count()).toBe(before);
    },
    runTimeout,
  );

  it(
    'refuses a file that is not UTF-8, says so, and stores nothing',
    async () => {
      const file = path.join(folder, 'latin1.csv');
      // "café" in Latin-1, as an older spreadsheet would save it.
      await writeFile(
        file,
        Buffer.concat([
          Buffer.from('external_id,text,source\nl-1,Good '),
          Buffer.from([0x63, 0x61, 0x66, 0xe9]),
          Buffer.from(' but cold,store\n'),
        ]),
      );
      const run = await importCsv(file);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/is not UTF-8 text \(line 2 is not\).*Nothing was stored/);
      expect(await db.database.prisma.feedback.count({ where: { externalId: 'l-1' } })).toBe(0);
    },
    runTimeout,
  );

  it(
    'refuses a file without the required columns before storing anything',
    async () => {
      const file = path.join(folder, 'no-source.csv');
      await writeFile(file, 'external_id,text\nn-1,Something\n');
      const run = await importCsv(file);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/missing: source\..*Nothing was stored/);
      expect(await db.database.prisma.feedback.count({ where: { externalId: 'n-1' } })).toBe(0);
    },
    runTimeout,
  );
});
