// Time of one early warning check (every moment's latest reading, complaints per stage and per
// stage and category this week against 8 weeks of baseline) over two years of data, beside the
// bare SQL aggregates the check needs, run directly on the same server, as the floor.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { MomentDefinition } from '../src/domain/moments.js';
import { createServices } from '../src/services.js';
import { createWarningServices } from '../src/services/warningService.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { median, milliseconds } from './timing.js';

const feedbackItems = 1_000_000;
const readings = 1_000_000;
const momentsPerStage = 3;
const runs = 7;

export async function benchWarnings(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_warnings');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const config = loadConfig({ DATABASE_URL: url, ORG_TIMEZONE: 'Europe/Paris' });
  const services = createServices(database.prisma, config, { log: () => {} });
  const warnings = createWarningServices(database.prisma, config, {
    clock: () => new Date(),
    log: () => {},
    sendNotices: async () => undefined,
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await services.loadLanguage(undefined);
    const stages = (await client.query<{ name: string }>('SELECT name FROM journey_stage WHERE retired_at IS NULL'))
      .rows;
    const moments: MomentDefinition[] = stages.flatMap(({ name }) =>
      Array.from({ length: momentsPerStage }, (_, index) => ({
        name: `${name} moment ${index + 1}`,
        stage: name,
        metric: `${name} metric ${index + 1}`,
        unit: '%',
        better: 'higher' as const,
        standard: 90,
        owner: { kind: 'channel' as const, platform: 'slack' as const, id: 'CBENCH', name: null },
      })),
    );
    await warnings.loadMoments(moments);

    const started = Date.now();
    // Feedback over the two years before now, at every stage and category; a quarter praise.
    await client.query(
      `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM journey_stage WHERE retired_at IS NULL),
            c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM feedback_category WHERE retired_at IS NULL)
       INSERT INTO feedback (id, platform, reporter_id, text, source, stage_id, category_id, sentiment, logged_at)
       SELECT gen_random_uuid(), 'slack', 'UBENCH' || (g % 50), 'Bench feedback ' || g, 'web',
              (SELECT id FROM s WHERE s.n = g % s.total), (SELECT id FROM c WHERE c.n = (g / 7) % c.total),
              (ARRAY['negative','neutral','positive','negative']::"Sentiment"[])[1 + g % 4],
              now() - random() * interval '730 days'
         FROM generate_series(1, $1::int) AS g`,
      [feedbackItems],
    );
    // Readings over the same two years, spread over every moment; values either side of the standard.
    await client.query(
      `WITH m AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM moment WHERE retired_at IS NULL)
       INSERT INTO metric_reading (id, external_id, moment_id, value, measured_at)
       SELECT gen_random_uuid(), 'bench-r-' || g, (SELECT id FROM m WHERE m.n = g % m.total), 80 + random() * 20,
              now() - random() * interval '730 days'
         FROM generate_series(1, $1::int) AS g`,
      [readings],
    );
    await client.query('VACUUM ANALYZE feedback');
    await client.query('VACUUM ANALYZE metric_reading');
    process.stdout.write(
      `  generated ${feedbackItems} feedback and ${readings} readings (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );

    // The first check raises what two years hold (spikes, moments below standard) and tells their stories.
    const first = await milliseconds(() => warnings.checkWarnings());
    const checks: number[] = [];
    for (let run = 0; run < runs; run++) checks.push(await milliseconds(() => warnings.checkWarnings()));

    // The floor: the aggregates the check cannot do without, bare, on the same data.
    const week = (
      await client.query<{ week: string }>(
        `SELECT date_trunc('week', now() AT TIME ZONE 'Europe/Paris')::date::text AS week`,
      )
    ).rows[0]!.week;
    const floor = async () => {
      await client.query(
        `SELECT m.id, r.value FROM moment m
           CROSS JOIN LATERAL (SELECT value FROM metric_reading WHERE moment_id = m.id ORDER BY measured_at DESC LIMIT 1) r
          WHERE m.retired_at IS NULL`,
      );
      await client.query(
        `WITH weeks AS (
           SELECT array_agg(monday::date::timestamp AT TIME ZONE 'Europe/Paris' ORDER BY monday) AS starts
             FROM generate_series($1::date - 56, $1::date + 7, interval '7 days') monday)
         SELECT stage_id, category_id, width_bucket(logged_at, (SELECT starts FROM weeks)) AS week, count(*)
           FROM feedback
          WHERE logged_at >= (SELECT starts[1] FROM weeks) AND logged_at < (SELECT starts[10] FROM weeks)
            AND stage_id IS NOT NULL AND sentiment IS DISTINCT FROM 'positive'
          GROUP BY 1, 2, 3`,
        [week],
      );
    };
    await floor();
    const floors: number[] = [];
    for (let run = 0; run < runs; run++) floors.push(await milliseconds(floor));

    const check = median(checks);
    const bare = median(floors);
    process.stdout.write(`  first check (raising and telling every warning): ${Math.round(first)} ms\n`);
    return `warnings check: ${feedbackItems} feedback, ${readings} readings, ${Math.round(check)} ms; floor (bare aggregate SQL) ${Math.round(bare)} ms; ratio ${(check / bare).toFixed(2)}`;
  } finally {
    await client.end();
    await warnings.settle();
    await database.close();
  }
}
