// Time to compose one weekly digest over two years of events, on a real PostgreSQL
// server. Aggregation happens in SQL over the five weeks a digest reads, so the bot's
// memory stays flat whatever is stored: figures at 100,000 and 1,000,000 events. At
// 1,000,000, the yearly digest too, against the floor of the bare grouped counts it needs
// (the year and the year before, by segment and kind), timed in the same run.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { median } from './timing.js';

const segments = 20;
const customers = 200_000;

async function addEvents(client: pg.Client, from: number, to: number, until: Date): Promise<void> {
  // Events spread over the two years before `until`; a sixth are losses with a reason.
  await client.query(
    `WITH numbered AS (SELECT id, segment, row_number() OVER (ORDER BY external_id) AS n FROM customer)
     INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at, reason)
     SELECT gen_random_uuid(), 'bench-e-' || g, c.id, c.segment,
            (ARRAY['won','lost','expanded','contracted','referral','reactivated'])[1 + g % 6]::"CustomerEventKind",
            round((random() * 20000)::numeric, 2),
            $3::timestamptz - random() * interval '730 days',
            CASE WHEN g % 6 = 1 THEN (ARRAY['Price','Support never called back','Onboarding','Competitor'])[1 + g % 4] END
       FROM generate_series($1::int, $2::int) AS g
       JOIN numbered c ON c.n = 1 + g % ${customers}`,
    [from, to, until],
  );
  await client.query('VACUUM ANALYZE customer_event');
}

export async function benchDigest(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_digest');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const services = createServices(
    database.prisma,
    loadConfig({ DATABASE_URL: url, ORG_TIMEZONE: 'Europe/Paris', ORG_CURRENCY: 'EUR' }),
    { log: () => {} },
  );
  const week = services.lastWeek();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const lines: string[] = [];
  try {
    await client.query(
      `INSERT INTO customer (id, external_id, name, segment, updated_at)
       SELECT gen_random_uuid(), 'bench-c-' || lpad(g::text, 7, '0'), 'Customer ' || g, 'Segment ' || (g % ${segments}), now()
         FROM generate_series(1, ${customers}) AS g`,
    );
    const until = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000);
    let stored = 0;
    for (const target of [100_000, 1_000_000]) {
      const started = Date.now();
      await addEvents(client, stored + 1, target, until);
      stored = target;
      process.stdout.write(`  generated ${target} events (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      await services.digestFor(week); // warm caches and connections once
      const rssBefore = process.memoryUsage().rss;
      const times: number[] = [];
      let peakRss = rssBefore;
      for (let run = 0; run < 5; run++) {
        const start = process.hrtime.bigint();
        const digest = await services.digestFor(week);
        times.push(Number(process.hrtime.bigint() - start) / 1e9);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (run === 0 && digest.sections.length === 0) throw new Error('the digest came back empty');
      }
      lines.push(
        `digest: ${target} events, median ${median(times).toFixed(3)} s, peak rss ${Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1e6)} MB (rss ${Math.round(rssBefore / 1e6)} → ${Math.round(peakRss / 1e6)} MB while composing)`,
      );
      process.stdout.write(`  ${lines.at(-1)}\n`);
    }
    lines.push(await benchYear(services, client));
    process.stdout.write(`  ${lines.at(-1)}\n`);
  } finally {
    await client.end();
    await database.close();
  }
  return lines.slice(-2).join('\n');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  await work(); // warm once
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(times);
}

/** The year just ended, composed whole, against the two grouped scans no yearly digest can do without. */
async function benchYear(services: ReturnType<typeof createServices>, client: pg.Client): Promise<string> {
  const year = services.periodJustEnded('year');
  const before = String(Number(year.name) - 1);
  const digestSeconds = await timed(() => services.digestFor(year));
  // The floor: each year's grouped counts by segment and kind, as bare SQL over its own range.
  const floorSeconds = await timed(async () => {
    for (const [from, until] of [
      [`${before}-01-01`, year.start],
      [year.start, year.end],
    ])
      await client.query(
        `SELECT segment, kind, count(DISTINCT customer_id), sum(value)
           FROM customer_event
          WHERE occurred_at >= ($1::date::timestamp AT TIME ZONE 'Europe/Paris')
            AND occurred_at < ($2::date::timestamp AT TIME ZONE 'Europe/Paris')
          GROUP BY GROUPING SETS ((segment, kind), (kind))`,
        [from, until],
      );
  });
  return `digest of the year ${year.name}: 1000000 events, median ${digestSeconds.toFixed(3)} s, floor (bare grouped counts of ${before} and ${year.name}) ${floorSeconds.toFixed(3)} s, ratio ${(digestSeconds / floorSeconds).toFixed(2)}x`;
}
