// Time to store one 10,000-item batch of feedback from another system (the API's largest),
// through the same validation and set-based insert the API uses, against a floor measured in
// the same run: the same rows in one plain multi-row insert into an unindexed copy of the table.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';

const items = 10_000;

function batch(round: number) {
  const sources = ['survey', 'support desk', 'social', 'warranty', 'returns'];
  return Array.from({ length: items }, (_, index) => ({
    external_id: `bench-${round}-${index}`,
    text: `Item ${index}: the parcel arrived late and the invoice was charged twice, please call me back`,
    source: sources[index % sources.length],
    stage: index % 3 ? 'Use' : undefined,
    said_at: '2026-11-18T10:00:00Z',
  }));
}

export async function benchFeedbackBatch(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_feedback_batch');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const services = createServices(database.prisma, loadConfig({ DATABASE_URL: url }), { log: () => {} });
  await services.loadLanguage();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await services.recordExternalFeedback(batch(0).slice(0, 100), { channel: 'api', sortInBackground: false }); // warm up
    const started = process.hrtime.bigint();
    const result = await services.recordExternalFeedback(batch(1), { channel: 'api', sortInBackground: false });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.stored !== items) throw new Error(`stored ${result.stored} of ${items}`);
    const again = process.hrtime.bigint();
    const resent = await services.recordExternalFeedback(batch(1), { channel: 'api', sortInBackground: false });
    const resentSeconds = Number(process.hrtime.bigint() - again) / 1e9;
    if (resent.stored !== 0) throw new Error(`a re-sent batch stored ${resent.stored} again`);

    await client.query(
      'CREATE UNLOGGED TABLE feedback_floor (id uuid, reporter_id text, external_id text, text text, source text, logged_at timestamptz)',
    );
    const rows = batch(2);
    const floorStarted = process.hrtime.bigint();
    await client.query(
      `INSERT INTO feedback_floor SELECT gen_random_uuid(), 'api', e, t, s, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS r(e, t, s)`,
      [rows.map((row) => row.external_id), rows.map((row) => row.text), rows.map((row) => row.source)],
    );
    const floor = Number(process.hrtime.bigint() - floorStarted) / 1e9;
    const line = `feedback batch: ${items} items stored in ${seconds.toFixed(3)} s (re-sent: ${resentSeconds.toFixed(3)} s); floor (one insert, no indexes, no validation) ${floor.toFixed(3)} s; ratio ${(seconds / floor).toFixed(1)}`;
    process.stdout.write(`  ${line}\n`);
    return line;
  } finally {
    await client.end();
    await database.close();
  }
}
