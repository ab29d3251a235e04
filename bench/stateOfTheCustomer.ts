// Time to compose the yearly State of the Customer over 1,000,000 customer events and 1,000,000
// feedback items (two years: the reported one and the one before, which the biggest fall in
// complaints compares against), beside the bare SQL aggregates it needs, run on the same
// server in the same run with the same concurrency, as the floor.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { periodOf } from '../src/domain/periods.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { median, milliseconds } from './timing.js';

const events = 1_000_000;
const feedbackItems = 1_000_000;
const customers = 200_000;
const issues = 400;
const runs = 5;
const timeZone = 'Europe/Paris';

export async function benchStateOfTheCustomer(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_state_of_the_customer');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const services = createServices(
    database.prisma,
    loadConfig({ DATABASE_URL: url, ORG_TIMEZONE: timeZone, ORG_CURRENCY: 'EUR' }),
    { log: () => {} },
  );
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // The last complete year, with the year before it holding the other half of the data.
  const thisYear = new Date().getUTCFullYear();
  const period = periodOf('year', `${thisYear - 1}-01-01`);
  const from = `${thisYear - 2}-01-01`;
  try {
    await services.loadLanguage(undefined);
    const started = Date.now();
    // A third of customers name a market area; the rest fall back to their segment.
    await pool.query(
      `INSERT INTO customer (id, external_id, name, segment, market_area, updated_at)
       SELECT gen_random_uuid(), 'bench-c-' || lpad(g::text, 7, '0'), 'Customer ' || g, 'Segment ' || (g % 20),
              CASE WHEN g % 3 = 0 THEN (ARRAY['EMEA','Americas','APAC','Nordics','DACH','Iberia'])[1 + g % 6] END, now()
         FROM generate_series(1, $1::int) AS g`,
      [customers],
    );
    await pool.query(
      `WITH numbered AS (SELECT id, segment, row_number() OVER (ORDER BY external_id) AS n FROM customer)
       INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at, reason)
       SELECT gen_random_uuid(), 'bench-e-' || g, c.id, c.segment,
              (ARRAY['won','lost','expanded','contracted','referral','reactivated'])[1 + g % 6]::"CustomerEventKind",
              round((random() * 20000)::numeric, 2),
              $2::timestamptz + random() * interval '730 days',
              CASE WHEN g % 6 = 1 THEN (ARRAY['Price','Support never called back','Onboarding','Competitor'])[1 + g % 4] END
         FROM generate_series(1, $1::int) AS g
         JOIN numbered c ON c.n = 1 + g % ${customers}`,
      [events, from],
    );
    // Issues at every stage and category; a third resolved at some point of the two years.
    await pool.query(
      `WITH s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM journey_stage WHERE retired_at IS NULL),
            c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM feedback_category WHERE retired_at IS NULL)
       INSERT INTO issue (id, stage_id, category_id, title, status, opened_at)
       SELECT gen_random_uuid(), (SELECT id FROM s WHERE s.n = g % s.total), (SELECT id FROM c WHERE c.n = (g / 7) % c.total),
              'Bench issue ' || g, (CASE WHEN g % 3 = 0 THEN 'resolved' ELSE 'open' END)::"IssueStatus",
              $2::timestamptz + (g % 700) * interval '1 day'
         FROM generate_series(1, $1::int) AS g`,
      [issues, from],
    );
    await pool.query(
      `INSERT INTO issue_resolution (id, issue_id, what_changed, platform, resolved_by, resolved_at)
       SELECT gen_random_uuid(), id, 'Fixed ' || title, 'slack', 'UBENCH', opened_at + interval '30 days'
         FROM issue WHERE status = 'resolved'`,
    );
    // Feedback over the same two years: most filed under an issue, half from a known customer, a quarter praise.
    await pool.query(
      `WITH i AS (SELECT id, stage_id, category_id, row_number() OVER (ORDER BY id) - 1 AS n FROM issue),
            cu AS (SELECT id, segment, row_number() OVER (ORDER BY external_id) AS n FROM customer)
       INSERT INTO feedback (id, platform, reporter_id, text, source, customer_id, segment, stage_id, category_id, sentiment, issue_id, logged_at)
       SELECT gen_random_uuid(), 'slack', 'UBENCH' || (g % 50), 'Bench feedback ' || g, 'web',
              cu.id, cu.segment, i.stage_id, i.category_id,
              (ARRAY['negative','neutral','positive','negative']::"Sentiment"[])[1 + g % 4],
              CASE WHEN g % 10 <> 0 THEN i.id END,
              $2::timestamptz + random() * interval '730 days'
         FROM generate_series(1, $1::int) AS g
         JOIN i ON i.n = g % ${issues}
         LEFT JOIN cu ON g % 2 = 0 AND cu.n = 1 + g % ${customers}`,
      [feedbackItems, from],
    );
    for (const table of ['customer', 'customer_event', 'issue', 'issue_resolution', 'feedback'])
      await pool.query(`VACUUM ANALYZE ${table}`);
    process.stdout.write(
      `  generated ${events} events and ${feedbackItems} feedback (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );

    const report = await services.stateOfTheCustomerFor(period); // warm caches and connections once
    if (!report.bySegment.length || !report.topProblemsByArea.length)
      throw new Error('the State of the Customer came back empty');
    const reports: number[] = [];
    for (let run = 0; run < runs; run++) reports.push(await milliseconds(() => services.stateOfTheCustomerFor(period)));

    // The floor: the aggregates the report cannot do without, bare, at the same concurrency.
    const start = `('${period.start}'::date::timestamp AT TIME ZONE '${timeZone}')`;
    const end = `('${period.end}'::date::timestamp AT TIME ZONE '${timeZone}')`;
    const previousStart = `('${thisYear - 2}-01-01'::date::timestamp AT TIME ZONE '${timeZone}')`;
    const complaint = `f.sentiment IS DISTINCT FROM 'positive'`;
    const floorQueries = [
      `SELECT e.segment, COALESCE(c.market_area, e.segment), e.kind, count(DISTINCT e.customer_id), sum(e.value)
         FROM customer_event e JOIN customer c ON c.id = e.customer_id
        WHERE e.occurred_at >= ${start} AND e.occurred_at < ${end}
        GROUP BY GROUPING SETS ((e.segment, e.kind), (COALESCE(c.market_area, e.segment), e.kind), (e.kind))`,
      `SELECT reason, count(DISTINCT customer_id), sum(value) FROM customer_event
        WHERE kind = 'lost' AND occurred_at >= ${start} AND occurred_at < ${end} GROUP BY reason`,
      `SELECT r.issue_id,
              (SELECT count(*) FROM feedback f WHERE f.issue_id = r.issue_id AND ${complaint}
                 AND f.logged_at >= r.resolved_at - interval '28 days' AND f.logged_at < r.resolved_at),
              (SELECT count(*) FROM feedback f WHERE f.issue_id = r.issue_id AND ${complaint} AND f.logged_at >= r.resolved_at)
         FROM issue_resolution r WHERE r.resolved_at >= ${start} AND r.resolved_at < ${end}`,
      `SELECT number, opened_at FROM issue WHERE status = 'open' AND opened_at < ${end}`,
      `SELECT f.issue_id, COALESCE(c.market_area, f.segment, c.segment, 'Unassigned') AS area,
              count(*) FILTER (WHERE f.logged_at >= ${start} AND ${complaint}),
              count(*) FILTER (WHERE f.logged_at < ${start} AND ${complaint}),
              count(*) FILTER (WHERE f.logged_at >= ${start})
         FROM feedback f LEFT JOIN customer c ON c.id = f.customer_id
        WHERE f.issue_id IS NOT NULL AND f.logged_at >= ${previousStart} AND f.logged_at < ${end}
        GROUP BY GROUPING SETS ((f.issue_id, area), (f.issue_id))`,
    ];
    const floor = () => Promise.all(floorQueries.map((sql) => pool.query(sql)));
    await floor();
    const floors: number[] = [];
    for (let run = 0; run < runs; run++) floors.push(await milliseconds(floor));

    const composed = median(reports);
    const bare = median(floors);
    return `state of the customer (year): ${events} events, ${feedbackItems} feedback, median ${Math.round(composed)} ms; floor (bare aggregate SQL) ${Math.round(bare)} ms; ratio ${(composed / bare).toFixed(2)}`;
  } finally {
    await pool.end();
    await database.close();
  }
}
