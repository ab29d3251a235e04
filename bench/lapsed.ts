// Time to count last week's lapsed customers among 200,000 customers with 1,000,000 events
// over two years, as the digest counts them (each segment's window, customers who left and
// paying Stripe subscriptions left out, per segment and in total), beside the floor: the same
// question asked bare (one window for everyone, no exclusions, no segments) on the same server.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services.js';
import { customerLifeSettingsStore, lapsedCustomersSql } from '../src/store/customerLifeStore.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { median, milliseconds } from './timing.js';

const segments = 20;
const customers = 200_000;
const events = 1_000_000;
const subscribed = 20_000;
const timeZone = 'Europe/Paris';
const runs = 7;

/** Customers, two years of their events, some paying subscriptions and three segments' own windows. */
export async function fillLapseBench(client: pg.Client, until: string): Promise<void> {
  await client.query(
    `INSERT INTO customer (id, external_id, name, segment, updated_at)
     SELECT gen_random_uuid(), 'bench-c-' || g, 'Customer ' || g, 'Segment ' || (g % ${segments}), now()
       FROM generate_series(1, ${customers}) AS g`,
  );
  // Every customer is won once in the first year; the other events are signs of life and
  // movements over the two years, a twentieth of them losses.
  await client.query(
    `WITH numbered AS (SELECT id, segment, row_number() OVER (ORDER BY external_id) AS n FROM customer)
     INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at)
     SELECT gen_random_uuid(), 'bench-e-' || g, c.id, c.segment,
            CASE WHEN g <= ${customers} THEN 'won'
                 ELSE (ARRAY['active','active','active','active','active','active','active','active','active','active',
                             'active','active','active','expanded','expanded','contracted','contracted','referral',
                             'reactivated','lost'])[1 + g % 20] END::"CustomerEventKind",
            CASE WHEN g % 20 < 13 AND g > ${customers} THEN 0 ELSE round((random() * 20000)::numeric, 2) END,
            CASE WHEN g <= ${customers} THEN $1::date - interval '730 days' + random() * interval '365 days'
                 ELSE $1::date - random() * interval '730 days' END
       FROM generate_series(1, ${events}) AS g
       JOIN numbered c ON c.n = 1 + (g - 1) % ${customers}`,
    [until],
  );
  await client.query(
    `INSERT INTO stripe_subscription (id, stripe_customer_id, observed_at, observed_rank, status, active_from, start_value, current_value)
     SELECT 'sub_bench' || g, 'bench-c-' || g, now(), 3, 'active', $1::date - interval '700 days', 1200, 1200
       FROM generate_series(1, ${subscribed}) AS g`,
    [until],
  );
  await client.query(
    `INSERT INTO lapse_window (segment_key, segment, days, updated_at)
     VALUES ('segment 1', 'Segment 1', 90, now()), ('segment 2', 'Segment 2', 120, now()), ('segment 3', 'Segment 3', 365, now())`,
  );
  await client.query('VACUUM ANALYZE');
}

export async function benchLapsed(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_lapsed');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const services = createServices(database.prisma, loadConfig({ DATABASE_URL: url, ORG_TIMEZONE: timeZone }), {
    log: () => {},
  });
  const week = services.lastWeek();
  const until = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    await fillLapseBench(client, until);
    process.stdout.write(
      `  generated ${customers} customers, ${events} events, ${subscribed} subscriptions (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );

    const windows = await customerLifeSettingsStore(database.prisma).lapseWindows();
    const lapsed = () =>
      database.prisma.$queryRaw<{ is_total: number; customers: number }[]>(
        lapsedCustomersSql(week, until, timeZone, windows),
      );
    const first = await lapsed();
    const counted = first.find((row) => row.is_total)?.customers ?? 0;
    if (counted === 0) throw new Error('no customer lapsed last week: the generated data or the query is wrong');
    const times: number[] = [];
    for (let run = 0; run < runs; run++) times.push(await milliseconds(lapsed));

    // The floor: who went 180 days without an event, crossing in the week; one window, nothing left out.
    const floor = () =>
      client.query(
        `WITH b AS (SELECT ($1::date::timestamp AT TIME ZONE $3) AS lo, ($2::date::timestamp AT TIME ZONE $3) AS hi)
         SELECT count(DISTINCT e.customer_id)::int AS customers
           FROM b JOIN customer_event e
             ON e.occurred_at >= b.lo - interval '180 days' AND e.occurred_at < b.hi - interval '180 days'
          WHERE NOT EXISTS (SELECT 1 FROM customer_event l
                             WHERE l.customer_id = e.customer_id AND l.occurred_at > e.occurred_at
                               AND l.occurred_at < e.occurred_at + interval '180 days')`,
        [week, until, timeZone],
      );
    await floor();
    const floors: number[] = [];
    for (let run = 0; run < runs; run++) floors.push(await milliseconds(floor));
    // For scale: the same bare question answered by reading every customer's last event.
    const everyCustomer = await milliseconds(() =>
      client.query(
        `SELECT count(*) FROM (SELECT max(occurred_at) AS last FROM customer_event
                                WHERE occurred_at < ($2::date::timestamp AT TIME ZONE $3) GROUP BY customer_id) x
          WHERE x.last >= ($1::date::timestamp AT TIME ZONE $3) - interval '180 days'
            AND x.last < ($2::date::timestamp AT TIME ZONE $3) - interval '180 days'`,
        [week, until, timeZone],
      ),
    );

    const query = median(times);
    const bare = median(floors);
    process.stdout.write(
      `  ${counted} customers lapsed last week; reading every customer's last event instead takes ${Math.round(everyCustomer)} ms\n`,
    );
    return `lapsed customers: ${customers} customers, ${events} events, ${Math.round(query)} ms (${counted} lapsed, each segment's window, leavers and subscribers left out); floor (bare SQL, one window) ${Math.round(bare)} ms; ratio ${(query / bare).toFixed(2)}`;
  } finally {
    await client.end();
    await database.close();
  }
}
