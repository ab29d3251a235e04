// Time to send 1,000 callers their call lists, on a real PostgreSQL server, through the real
// outbox and Slack notice sender, against the Slack stand-in behind Slack's rate limits:
// chat.postMessage once a second per channel, and a tier budget on conversations.open that
// answers 429 with Retry-After. Every DM is counted per caller from what the stand-in
// received: a duplicate or a caller left without a list fails the run.
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { startCampaign } from '../src/domain/campaigns.js';
import { People } from '../src/domain/people.js';
import { createServices } from '../src/services.js';
import { digestClient } from '../src/slack/digestPoster.js';
import { slackNoticeSender } from '../src/slack/noticeSender.js';
import { campaignStore } from '../src/store/campaignStore.js';
import { openDatabase } from '../src/store/database.js';
import { roleStore } from '../src/store/peopleStore.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { startRateLimitedProxy, type RateLimits } from '../test/support/rateLimitedProxy.js';
import { startSlackStandIn } from '../test/support/slackStandIn.js';

const cco = 'UBENCHCCO';
/**
 * Slack allows about one message a second per channel. conversations.open is a Tier 3 method
 * (50+ a minute, with bursts); here its budget is 100 per 5 seconds, so the run shows the
 * sender waiting out Retry-After several times without the benchmark taking ten minutes.
 */
const limits: RateLimits = {
  postIntervalPerChannelMs: 1000,
  perMethod: { 'conversations.open': { calls: Number(process.env.BENCH_OPENS_PER_5S ?? 100), windowMs: 5000 } },
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Scenario {
  database: string;
  callers: number;
  customersPerCaller: number;
}

interface Dispatch {
  /** Messages owed (one per caller and list of 20 calls). */
  owed: number;
  sent: number;
  duplicates: number;
  missing: number;
  tooMany: Map<string, number>;
  wall: number;
}

async function dispatch(server: PostgresServer, scenario: Scenario): Promise<Dispatch> {
  const url = await server.createDatabase(scenario.database);
  const database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  const standIn = await startSlackStandIn();
  const proxy = await startRateLimitedProxy(standIn.apiUrl, limits);
  const callers = Array.from({ length: scenario.callers }, (_, n) => `UBENCH${String(n).padStart(5, '0')}`);
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // Lost customers, lost three days ago, each with a contact for the card.
      await client.query(
        `INSERT INTO customer (id, external_id, name, segment, contact, updated_at)
         SELECT gen_random_uuid(), 'bench-c-' || g, 'Customer ' || g, 'Segment ' || (g % 7), '+1 555 ' || lpad(g::text, 6, '0'), now()
           FROM generate_series(1, $1::int) AS g`,
        [scenario.callers * scenario.customersPerCaller],
      );
      await client.query(
        `INSERT INTO customer_event (id, external_id, customer_id, segment, kind, value, occurred_at)
         SELECT gen_random_uuid(), 'bench-lost-' || c.external_id, c.id, c.segment, 'lost', 1000 + (random() * 20000)::int, now() - interval '3 days'
           FROM customer c`,
      );
    } finally {
      await client.end();
    }

    const services = createServices(
      database.prisma,
      loadConfig({ DATABASE_URL: url, BOOTSTRAP_CCO_SLACK_IDS: cco, ORG_TIMEZONE: 'UTC' }),
      { log: () => {} },
    );
    // Through the domain, so nothing is sent until the clock starts.
    const deps = {
      campaigns: campaignStore(database.prisma),
      people: new People(roleStore(database.prisma), { slack: [cco], teams: [] }),
      timeZone: 'UTC',
      clock: () => new Date(),
    };
    const started = await startCampaign(
      deps,
      { platform: 'slack', userId: cco },
      { name: 'Bench', lostFrom: day(-10), lostUntil: day(0), callers, dueOn: day(7) },
    );
    if (!started.ok) throw new Error(started.message);
    services.addNoticeSender(
      slackNoticeSender(digestClient('xoxb-bench', { slackApiUrl: proxy.apiUrl }), {
        format: services.settings,
        callList: services.callList,
      }),
    );
    const notices = await database.prisma.notice.findMany({ select: { id: true, target: true } });

    const start = process.hrtime.bigint();
    await services.sendNotices();
    const wall = Number(process.hrtime.bigint() - start) / 1e9;

    // What each caller received, by the notice each message carries.
    const received = new Map<string, number>();
    for (const caller of callers) {
      for (const message of standIn.messages(standIn.dmChannel(caller))) {
        const id =
          message.metadata?.event_type === 'customer_growth_notice'
            ? String(message.metadata.event_payload.notice_id)
            : undefined;
        if (id) received.set(`${caller}:${id}`, (received.get(`${caller}:${id}`) ?? 0) + 1);
      }
    }
    const counts = notices.map((notice) => received.get(`${notice.target}:${notice.id}`) ?? 0);
    const posted = [...received.values()].reduce((sum, count) => sum + count, 0);
    return {
      owed: notices.length,
      sent: counts.filter((count) => count > 0).length,
      duplicates: posted - counts.filter((count) => count > 0).length,
      missing: counts.filter((count) => count === 0).length,
      tooMany: proxy.rejected,
      wall,
    };
  } finally {
    await proxy.close();
    await standIn.close();
    await database.close();
  }
}

const total = (map: Map<string, number>) => [...map.values()].reduce((sum, count) => sum + count, 0);
const byMethod = (map: Map<string, number>) =>
  [...map].map(([method, count]) => `${method} ${count}`).join(', ') || 'none';

export async function benchCampaign(server: PostgresServer): Promise<string> {
  const callers = Number(process.env.BENCH_CAMPAIGN_CALLERS ?? 1000);
  const lines: string[] = [];
  let failure: string | undefined;
  for (const [label, scenario] of [
    ['assignment DMs', { database: 'bench_campaign', callers, customersPerCaller: 1 }],
    // Long lists: five messages to each caller's channel, so the once-a-second limit per channel bites.
    [
      'long-list DMs (20 callers x 100 calls)',
      { database: 'bench_campaign_long', callers: 20, customersPerCaller: 100 },
    ],
  ] as const) {
    const run = await dispatch(server, scenario);
    const line = `campaign: ${run.owed} ${label}, sent ${run.sent}, duplicates ${run.duplicates}, 429s ${total(run.tooMany)}, wall ${run.wall.toFixed(1)} s`;
    process.stdout.write(`  ${line} (429s by method: ${byMethod(run.tooMany)})\n`);
    lines.push(line);
    if (run.duplicates || run.missing) failure ??= `${line}; ${run.missing} messages never arrived`;
  }
  if (failure) throw new Error(failure);
  return lines.join('\n');
}
