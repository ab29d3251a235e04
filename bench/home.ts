// The customer room (Slack's Home tab, Teams' `home`) for an organisation with 1,000,000
// customer events over two years, on a real PostgreSQL server: the room composed and drawn
// as a Home tab view, beside the floor of the bare SQL it needs, run on the same server. And
// the movement chart: milliseconds per PNG, beside a trivial SVG of the same size to PNG.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { customerRoomView } from '../src/render/homeSlack.js';
import { movementChartSvg, renderMovementChart, svgToPng } from '../src/render/movementChart.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/database.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { median, milliseconds } from './timing.js';

const segments = 20;
const customers = 200_000;
const events = 1_000_000;
const runs = 9;
const timeZone = 'Europe/Paris';

export async function benchHome(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_home');
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const services = createServices(database.prisma, loadConfig({ DATABASE_URL: url, ORG_TIMEZONE: timeZone }), {
    log: () => {},
  });
  const week = services.lastWeek();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await pool.query(
      `INSERT INTO customer (id, external_id, name, segment, updated_at)
       SELECT gen_random_uuid(), 'bench-c-' || lpad(g::text, 7, '0'), 'Customer ' || g, 'Segment ' || (g % ${segments}), now()
         FROM generate_series(1, ${customers}) AS g`,
    );
    const until = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000);
    const started = Date.now();
    await pool.query(
      `WITH numbered AS (SELECT id, segment, row_number() OVER (ORDER BY external_id) AS n FROM customer)
       INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at, reason)
       SELECT gen_random_uuid(), 'bench-e-' || g, c.id, c.segment,
              (ARRAY['won','lost','expanded','contracted','referral','reactivated'])[1 + g % 6]::"CustomerEventKind",
              round((random() * 20000)::numeric, 2),
              $2::timestamptz - random() * interval '730 days',
              CASE WHEN g % 6 = 1 THEN (ARRAY['Price','Support never called back','Onboarding','Competitor'])[1 + g % 4] END
         FROM generate_series(1, $1::int) AS g
         JOIN numbered c ON c.n = 1 + g % ${customers}`,
      [events, until],
    );
    await pool.query('VACUUM ANALYZE customer_event');
    process.stdout.write(`  generated ${events} events (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

    const person = { platform: 'slack' as const, userId: 'UBENCH' };
    const home = async () => customerRoomView(await services.homeRoom(person));
    await home(); // warm caches and connections once
    const homes: number[] = [];
    for (let run = 0; run < runs; run++) homes.push(await milliseconds(home));

    // The floor: the aggregates the room cannot do without, bare SQL on the same server, at
    // once as the room asks for them: this week and the four before by kind, the 13 weeks
    // charted, the open issues and the person's open calls.
    const from = (days: number) => `(($1::date + ${days})::timestamp AT TIME ZONE $2)`;
    const floor = () =>
      Promise.all([
        pool.query(
          `SELECT segment, kind, date_trunc('week', occurred_at AT TIME ZONE $2)::date AS week,
                  count(DISTINCT customer_id), sum(value)
             FROM customer_event WHERE occurred_at >= ${from(-28)} AND occurred_at < ${from(7)}
            GROUP BY GROUPING SETS ((segment, kind, week), (kind, week))`,
          [week, timeZone],
        ),
        pool.query(
          `SELECT segment, date_trunc('week', occurred_at AT TIME ZONE $2)::date AS week,
                  count(DISTINCT customer_id) FILTER (WHERE kind = 'won'), count(DISTINCT customer_id) FILTER (WHERE kind = 'lost')
             FROM customer_event WHERE kind IN ('won', 'reactivated', 'lost') AND occurred_at >= ${from(-84)} AND occurred_at < ${from(7)}
            GROUP BY GROUPING SETS ((segment, week), (week))`,
          [week, timeZone],
        ),
        pool.query(`SELECT id FROM issue WHERE status = 'open' LIMIT 60`),
        pool.query(`SELECT id FROM campaign_call WHERE caller_id = $1 AND status = 'open' LIMIT 10`, ['UBENCH']),
      ]);
    await floor();
    const floors: number[] = [];
    for (let run = 0; run < runs; run++) floors.push(await milliseconds(floor));

    const history = await services.movementHistoryFor(week);
    await renderMovementChart(history);
    const charts: number[] = [];
    const svgs: number[] = [];
    for (let run = 0; run < runs; run++) {
      charts.push(await milliseconds(() => renderMovementChart(history)));
      svgs.push(await milliseconds(() => movementChartSvg(history)));
    }
    // A trivial SVG of the chart's own size: what resvg and PNG encoding cost with nothing to draw.
    const svg = await movementChartSvg(history);
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? ['', '700', '450'];
    const trivial = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-family="DejaVu Sans">x</text></svg>`;
    await svgToPng(trivial);
    const trivials: number[] = [];
    for (let run = 0; run < runs; run++) trivials.push(await milliseconds(() => svgToPng(trivial)));

    const room = median(homes);
    const bare = median(floors);
    const chart = median(charts);
    const chartFloor = median(trivials);
    const lines = [
      `home: ${events} events, median ${Math.round(room)} ms (room composed and drawn as a Home tab view); floor (its bare SQL) ${Math.round(bare)} ms; ratio ${(room / bare).toFixed(2)}`,
      `chart: median ${Math.round(chart)} ms per PNG (Vega-Lite to SVG ${Math.round(median(svgs))} ms of it); floor (a blank ${width}x${height} SVG to PNG) ${Math.round(chartFloor)} ms; ratio ${(chart / chartFloor).toFixed(2)}`,
    ];
    for (const line of lines) process.stdout.write(`  ${line}\n`);
    return lines.join('\n');
  } finally {
    await pool.end();
    await database.close();
  }
}
