// `npm run import -- events.csv` run for real, as a child process, against a fresh
// PostgreSQL database: valid rows stored, refused rows named by line number, a second
// import of the same file stores nothing new, a file of 20,000 customers loads whole.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, weekJustEnded } from '../../src/domain/weeks.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const cli = 'src/cli/importEvents.ts';

let db: TestDatabase;
let folder: string;

beforeAll(async () => {
  db = await freshDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'import-events-'));
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
    if (name.startsWith('SLACK_') || name === 'PGLITE_DIR' || name === 'DEMO_DATA') delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { cwd: projectRoot, env, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const week = weekJustEnded(new Date(), 'UTC');
const verbatim = 'We liked working with you, truly.\nBut the renewal quote went up 18% and she said "no".';

// A BOM (as Excel writes it), a header in mixed case, a quoted name with a comma, a quoted
// verbatim spanning two lines with doubled quotes, blank optional cells, and one bad kind.
// Line numbers are an editor's: the header is line 1 and the two-line cell takes lines 3 and 4.
const csv = [
  '\uFEFFexternal_id,Customer_ID,customer_name,Segment,kind,value,occurred_at,reason,verbatim',
  `csv-1,acme,"Acme, Inc.",Enterprise,won,12000,${week}T09:00:00Z,,`,
  `csv-2,globex,Globex,Enterprise,lost,3000,${addDays(week, 1)},Price increase at renewal,"We liked working with you, truly.`,
  'But the renewal quote went up 18% and she said ""no""."',
  `csv-3,initech,Initech,Mid-market,upsold,100,${addDays(week, 2)},,`,
  `csv-4,hooli,Hooli,Mid-market,expanded,450.5,${addDays(week, 3)},,`,
  '',
].join('\n');

describe('npm run import -- events.csv', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(folder, 'events.csv');
    await writeFile(file, csv);
  });

  it('stores the valid rows, names the refused row and its reason, and exits 1', async () => {
    const run = await importCsv(file);
    expect(run.stdout).toContain(`${file}: 3 new events stored, 0 already stored, 1 row refused.`);
    expect(run.stdout).toMatch(/^line 5: kind must be one of: won, lost, expanded, contracted, referral, reactivated/m);
    expect(run.stdout).not.toMatch(/^line (2|3|4|6)\b/m);
    expect(run.code).toBe(1);

    const events = await db.database.prisma.customerEvent.findMany({
      orderBy: { externalId: 'asc' },
      include: { customer: true },
    });
    expect(events.map((event) => [event.externalId, event.kind, event.segment, Number(event.value)])).toEqual([
      ['csv-1', 'won', 'Enterprise', 12000],
      ['csv-2', 'lost', 'Enterprise', 3000],
      ['csv-4', 'expanded', 'Mid-market', 450.5],
    ]);
    const [acme, globex, hooli] = events;
    expect(acme!.customer.name).toBe('Acme, Inc.');
    expect(acme!.reason).toBeNull();
    expect(acme!.verbatim).toBeNull();
    expect(acme!.occurredAt.toISOString()).toBe(`${week}T09:00:00.000Z`);
    expect(globex!.reason).toBe('Price increase at renewal');
    expect(globex!.verbatim).toBe(verbatim);
    expect(hooli!.customer.externalId).toBe('hooli');
  }, 120_000);

  it('stores nothing twice when the same file is imported again', async () => {
    const run = await importCsv(file);
    expect(run.stdout).toContain(`${file}: 0 new events stored, 3 already stored, 1 row refused.`);
    expect(run.stdout).toMatch(/^line 5: kind must be one of/m);
    expect(run.code).toBe(1);
    expect(await db.database.prisma.customerEvent.count()).toBe(3);
  }, 120_000);

  it('exits 0 when every row is kept', async () => {
    const clean = path.join(folder, 'clean.csv');
    await writeFile(
      clean,
      [
        'external_id,customer_id,customer_name,segment,kind,value,occurred_at',
        `csv-5,wayne,Wayne Enterprises,Enterprise,referral,0,${week}`,
      ].join('\r\n'),
    );
    // A timer some library left behind would keep the process alive past the test's own limit.
    const run = await importCsv(clean);
    expect(run.stdout).not.toMatch(/^line \d+/m);
    expect(run.stdout).toContain(`${clean}: 1 new event stored, 0 already stored, 0 rows refused.`);
    expect(run.code).toBe(0);
    expect(await db.database.prisma.customerEvent.count()).toBe(4);
  }, 120_000);

  it('says it could not read a missing file and exits 1', async () => {
    const missing = path.join(folder, 'no-such-file.csv');
    const run = await importCsv(missing);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Could not read ${missing}`);
    expect(run.stderr).toMatch(/no such file/i);
    expect(run.stdout).toBe('');
    expect(await db.database.prisma.customerEvent.count()).toBe(4);
  }, 120_000);

  it('refuses a file that is not UTF-8 and stores nothing from it', async () => {
    const latin1 = path.join(folder, 'latin1.csv');
    await writeFile(
      latin1,
      Buffer.from(
        [
          'external_id,customer_id,customer_name,segment,kind,value,occurred_at',
          `csv-l1,sg,Société Générale,Enterprise,won,10,${week}`,
          '',
        ].join('\n'),
        'latin1',
      ),
    );
    const run = await importCsv(latin1);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Could not import ${latin1}: it is not UTF-8 text`);
    expect(run.stderr).toContain('Nothing was stored.');
    expect(await db.database.prisma.customerEvent.count()).toBe(4);
  }, 120_000);

  it('loads 20,000 new customers in one file, with progress, and a second run stores nothing twice', async () => {
    const big = path.join(folder, 'big.csv');
    const lines = ['external_id,customer_id,customer_name,segment,kind,value,occurred_at,customer_contact,market_area'];
    for (let index = 0; index < 20_000; index++) {
      lines.push(
        `big-${index},big-customer-${index},Customer ${index},Segment ${index % 7},${index % 3 ? 'won' : 'expanded'},${index % 1000}.25,${week}T10:00:00Z,+33 1 00 00 ${index},Area ${index % 3}`,
      );
    }
    // One refused row in the middle: the rows after it still load.
    lines.splice(12_345, 0, `big-bad,big-customer-bad,Bad,Segment 1,won,0x10,${week},,`);
    await writeFile(big, `${lines.join('\n')}\n`);
    const run = await importCsv(big);
    expect(run.stdout).toContain(`${big}: 20,000 new events stored, 0 already stored, 1 row refused.`);
    expect(run.stdout).toMatch(/^line 12346: value must be a number such as 1200 or 1200\.50 .*not "0x10"/m);
    // Not a terminal: a plain progress line every 10%, ending at 100%.
    expect(run.stderr).toMatch(/^100% 20,001 rows, [\d,]+ rows\/s, 0 s left$/m);
    expect(run.code).toBe(1);
    expect(await db.database.prisma.customer.count({ where: { externalId: { startsWith: 'big-customer-' } } })).toBe(
      20_000,
    );
    const sample = await db.database.prisma.customerEvent.findUnique({
      where: { externalId: 'big-19999' },
      include: { customer: true },
    });
    expect([Number(sample?.value), sample?.customer.contact, sample?.customer.marketArea, sample?.segment]).toEqual([
      999.25,
      '+33 1 00 00 19999',
      'Area 1',
      'Segment 0',
    ]);

    const again = await importCsv(big);
    expect(again.stdout).toContain(`${big}: 0 new events stored, 20,000 already stored, 1 row refused.`);
    expect(await db.database.prisma.customerEvent.count({ where: { externalId: { startsWith: 'big-' } } })).toBe(
      20_000,
    );
  }, 300_000);

  it('prints usage and exits 2 with no file', async () => {
    const run = await importCsv();
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^usage: npm run import -- events\.csv/);
    expect(run.stderr).toContain('external_id, customer_id, customer_name, segment, kind, value, occurred_at');
    expect(run.stdout).toBe('');
  }, 120_000);
});
