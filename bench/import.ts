// Import of 1,000,000 CSV rows (200,000 customers) through `npm run import`, run as the
// user runs it, against the floor on the same server in the same run: the same file
// COPYed into a staging table and inserted set-based into the same tables and indexes.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const customers = Math.max(1, Math.round(rows / 5));
const kinds = ['won', 'lost', 'expanded', 'contracted', 'referral', 'reactivated'];
const projectRoot = path.resolve(import.meta.dirname, '..');

async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('external_id,customer_id,customer_name,segment,kind,value,occurred_at,reason\n');
  const start = Date.UTC(2024, 0, 1);
  for (let index = 0; index < rows; index++) {
    const customer = (index * 7919) % customers;
    const kind = kinds[index % kinds.length]!;
    const at = new Date(start + ((index * 104_729) % (700 * 86_400)) * 1000).toISOString();
    const line = `imp-${index},cust-${customer},"Customer ${customer}, Ltd",Segment ${customer % 20},${kind},${(index % 20_000) + 0.25},${at},${kind === 'lost' ? 'Price' : ''}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function migratedDatabase(server: PostgresServer, name: string): Promise<string> {
  const url = await server.createDatabase(name);
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  await database.close();
  return url;
}

/** The floor: COPY into an unindexed staging table, then one set-based insert per table. */
async function floorLoad(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    await client.query(
      'CREATE TEMP TABLE staging (external_id text, customer_id text, customer_name text, segment text, kind text, value text, occurred_at text, reason text)',
    );
    await pipeline(
      createReadStream(file),
      client.query(copyFrom('COPY staging FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    await client.query(`
      INSERT INTO customer (id, external_id, name, segment, updated_at)
      SELECT DISTINCT ON (customer_id) gen_random_uuid(), customer_id, customer_name, segment, now() FROM staging ORDER BY customer_id
      ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, segment = excluded.segment, updated_at = now()
       WHERE (customer.name, customer.segment) IS DISTINCT FROM (excluded.name, excluded.segment)`);
    const inserted = await client.query(`
      INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at, reason)
      SELECT gen_random_uuid(), s.external_id, c.id, s.segment, s.kind::"CustomerEventKind", s.value::numeric, s.occurred_at::timestamptz, nullif(s.reason, '')
        FROM staging s JOIN customer c ON c.external_id = s.customer_id
      ON CONFLICT (external_id) DO NOTHING`);
    if (inserted.rowCount !== rows) throw new Error(`the floor stored ${inserted.rowCount} of ${rows} rows`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

/** Runs `npm run import` as a user would and follows its peak resident memory from /proc. */
async function cliLoad(url: string, file: string): Promise<{ seconds: number; peakRssMb: number; stdout: string }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/importEvents.ts', file], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => {
    stderr += data.toString();
    process.stdout.write(`  ${data.toString().trim()}\n`);
  });
  let peakKb = 0;
  const sample = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  };
  const timer = setInterval(() => void sample(), 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`npm run import exited ${code}: ${stderr.slice(-500)}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: Math.round(peakKb / 1024), stdout };
}

export async function benchImport(server: PostgresServer): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'bench-import-'));
  try {
    const file = path.join(folder, 'events.csv');
    await writeCsv(file);
    process.stdout.write(`  wrote ${rows} rows for ${customers} customers\n`);
    const floorUrl = await migratedDatabase(server, 'bench_import_floor');
    const importUrl = await migratedDatabase(server, 'bench_import');
    const floorSeconds = await floorLoad(floorUrl, file);
    process.stdout.write(
      `  floor: COPY + INSERT … SELECT … ON CONFLICT ${floorSeconds.toFixed(1)} s, ${Math.round(rows / floorSeconds)} rows/s\n`,
    );
    const run = await cliLoad(importUrl, file);
    if (!run.stdout.includes(`${rows.toLocaleString('en')} new events stored`))
      throw new Error(`the import did not store every row: ${run.stdout.slice(-300)}`);
    return `import: ${rows} rows, ${Math.round(rows / run.seconds)} rows/s, peak rss ${run.peakRssMb} MB, ${(run.seconds / floorSeconds).toFixed(2)}x the COPY floor (${run.seconds.toFixed(1)} s against ${floorSeconds.toFixed(1)} s, process start and migrations included)`;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
