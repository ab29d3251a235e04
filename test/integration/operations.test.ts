// What an operator sees over real HTTP: /healthz (the process), /readyz (the database, 503
// when it is gone) and /metrics (Prometheus text, behind METRICS_TOKEN), counting what the
// bot did without a customer's, a person's or a channel's name in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import type { DigestPoster } from '../../src/domain/delivery.js';
import { UndeliverableNotice, type NoticeSender } from '../../src/domain/notices.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const metricsToken = 'metrics-token-for-tests';
const eventsToken = 'events-token-for-tests';
let db: TestDatabase;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      ORG_TIMEZONE: 'UTC',
      METRICS_TOKEN: metricsToken,
      EVENTS_API_TOKEN: eventsToken,
      // A model that cannot be reached: the keyword classifier answers, and that is counted.
      OPENAI_API_KEY: 'sk-test-unreachable',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    }),
    { log: () => {} },
  );
});

afterAll(async () => {
  await bot?.stop();
  await db?.drop();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${bot.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample, e.g. value(text, 'digests_posted_total{platform="slack"}'); undefined when absent. */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('/metrics', () => {
  it('asks for the metrics token when one is set', async () => {
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${bot.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const text = await scrape();
    expect(text).toContain('# TYPE digests_posted_total counter');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('counts digests, notices, feedback, model fallbacks and requests, and names no one', async () => {
    const events = await fetch(`${bot.url}/api/customer-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${eventsToken}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          external_id: 'ops-1',
          customer_id: 'cust-ops',
          customer_name: 'Zebulon Holdings',
          segment: 'Enterprise',
          kind: 'won',
          value: 5000,
          occurred_at: `${bot.services.lastWeek()}T09:00:00Z`,
        },
      ]),
    });
    expect(events.status).toBe(200);
    await fetch(`${bot.url}/no-such-page-${Math.random()}`);

    // Slack posts work; Teams fails. Each channel is counted under its platform.
    const posted: string[] = [];
    const postDigest = async (channelId: string) => {
      posted.push(channelId);
      return `ts-${channelId}`;
    };
    const slackPoster: DigestPoster = { platform: 'slack', postDigest };
    const teamsPoster: DigestPoster = {
      platform: 'teams',
      postDigest: async () => Promise.reject(new Error('connector answered 502')),
    };
    bot.services.addPoster(slackPoster);
    bot.services.addPoster(teamsPoster);
    await deliveryStore(db.database.prisma).subscribe(
      { platform: 'slack', channelId: 'C0PRIVATECHANNEL' },
      'U0SOMEONE',
    );
    await deliveryStore(db.database.prisma).subscribe(
      { platform: 'teams', channelId: '19:teamschannel@thread.tacv2' },
      'aad-someone',
    );
    const report = await bot.services.deliverDigest(bot.services.lastWeek());
    expect(report.posted).toHaveLength(1);
    expect(report.failed).toHaveLength(1);

    // Two notices waiting: Slack's is sent, Teams' person has left.
    for (const platform of ['slack', 'teams'] as const) {
      await db.database.prisma.notice.create({
        data: {
          key: `ops-test:${platform}`,
          platform,
          target: 'U0PERSONWHOLEFT',
          toUser: true,
          kind: 'hope-thanks',
          payload: {},
        },
      });
    }
    expect(value(await scrape(), 'notices_pending')).toBe(2);
    const slackSender: NoticeSender = { platform: 'slack', send: async () => 'ts-notice' };
    const teamsSender: NoticeSender = {
      platform: 'teams',
      send: async () => Promise.reject(new UndeliverableNotice('the person left the organisation')),
    };
    bot.services.addNoticeSender(slackSender);
    bot.services.addNoticeSender(teamsSender);
    await bot.services.sendNotices();

    const logged = await bot.services.logFeedback(
      { platform: 'slack', userId: 'U0SOMEONE' },
      { text: 'Quentin from Zebulon Holdings says the invoice was wrong again' },
    );
    expect(logged.ok).toBe(true);
    if (logged.ok) await bot.services.sortFeedback(logged.view.feedback.id);
    const refused = await bot.services.logFeedback({ platform: 'slack', userId: 'U0SOMEONE' }, { text: '   ' });
    expect(refused.ok).toBe(false);

    const text = await scrape();
    expect(value(text, 'digests_posted_total{platform="slack"}')).toBe(1);
    expect(value(text, 'digests_failed_total{platform="teams"}')).toBe(1);
    expect(value(text, 'notices_sent_total{platform="slack"}')).toBe(1);
    expect(value(text, 'notices_given_up_total{platform="teams"}')).toBe(1);
    expect(value(text, 'notices_pending')).toBe(0);
    expect(value(text, 'feedback_stored_total{channel="chat"}')).toBe(1);
    expect(value(text, 'model_fallbacks_total{reason="error"}')).toBe(1);
    expect(
      value(text, 'http_request_duration_seconds_count{route="/api/customer-events",method="POST",status="2xx"}'),
    ).toBe(1);
    expect(value(text, 'http_request_duration_seconds_count{route="other",method="GET",status="4xx"}')).toBe(1);
    for (const name of [
      'Zebulon',
      'Quentin',
      'cust-ops',
      'C0PRIVATECHANNEL',
      'U0SOMEONE',
      'U0PERSONWHOLEFT',
      'teamschannel',
      'no-such-page',
      'invoice',
      'connector answered',
    ])
      expect(text).not.toContain(name);
  });
});

describe('/healthz and /readyz', () => {
  it('are both fine while the database answers', async () => {
    expect(await (await fetch(`${bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('says not ready when the database is gone, while the process still answers', async () => {
    await db.drop();
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', error: 'The database does not answer.' });
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
    // Metrics still answer; the outbox count is left out rather than failing the scrape.
    expect(value(await scrape(), 'feedback_stored_total{channel="chat"}')).toBe(1);
  });
});
