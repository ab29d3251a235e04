// `npm run import:metrics -- readings.csv` run for real, as a child process, against a fresh
// PostgreSQL database: good rows stored, each bad row named by its line and reason, a second
// import storing nothing twice, and a reading below standard queued as one early warning.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguage } from '../../src/domain/language.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const runTimeout = 240_000;

let db: TestDatabase;
let folder: string;
let languageFile: string;

beforeAll(async () => {
  db = await freshDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'import-metrics-'));
  languageFile = path.join(folder, 'language.json');
  const moment = {
    name: 'Call answered',
    stage: 'Get help',
    metric: 'Average time to answer',
    unit: 'seconds',
    better: 'lower',
    standard: 60,
    owner: { platform: 'slack', channel: 'CSUPPORT' },
  };
  await writeFile(languageFile, JSON.stringify({ ...defaultLanguage, moments: [moment] }));
  await db.database.prisma.channelSubscription.create({
    data: { platform: 'slack', channelId: 'CLEADERS', purpose: 'warnings', subscribedBy: 'UCCO' },
  });
});
afterAll(async () => {
  await db?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function importCsv(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    LANGUAGE_FILE: languageFile,
    ORG_TIMEZONE: 'UTC',
  };
  for (const name of Object.keys(env))
    if (name.startsWith('SLACK_') || name.startsWith('OPENAI_') || name === 'PGLITE_DIR' || name === 'DEMO_DATA')
      delete env[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/importMetrics.ts', file],
      { cwd: projectRoot, env, timeout: 200_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

describe('npm run import:metrics', () => {
  it(
    'stores the good rows, refuses each bad one by line, and queues one warning for a reading below standard',
    async () => {
      const file = path.join(folder, 'readings.csv');
      await writeFile(
        file,
        '\uFEFFExternal_ID,Moment,Value,Measured_At\n' +
          `csv-1,Call answered,45,${day(3)}\n` +
          `csv-2,Call answred,45,${day(3)}\n` +
          `csv-3,Call answered,"1,200",${day(3)}\n` +
          `csv-4,Call answered,50,${day(2)},extra\n` +
          `csv-5,call answered,95,${day(1)}\n`,
      );
      const run = await importCsv(file);
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.stdout).toContain('line 3: refused: moment "Call answred" is not one of the moments that matter');
      expect(run.stdout).toContain('line 4: refused: value must be a number such as 97.5');
      expect(run.stdout).toContain('line 5: refused: has 5 cells but the header names 4 columns');
      expect(run.stdout).toContain(
        '2 new readings stored, 0 already stored, 3 rows refused; 1 early warning queued for the subscribed channels.',
      );
      expect(run.code).toBe(1);
      const notices = await db.database.prisma.notice.findMany({ where: { kind: 'earlyWarning' } });
      expect(notices.map((notice) => notice.target)).toEqual(['CLEADERS']);

      const again = await importCsv(file);
      expect(again.stdout).toContain('0 new readings stored, 2 already stored, 3 rows refused.');
      expect(await db.database.prisma.metricReading.count()).toBe(2);
    },
    runTimeout,
  );
});
