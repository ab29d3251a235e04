// The Monday digest reaches each subscribed channel exactly once, even when several bot
// processes run the schedule together or one is killed in the middle of a run.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices, deliveryLeaseMs } from '../../src/services.js';
import { digestClient, slackDigestPoster } from '../../src/slack/digestPoster.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const channels = ['C0001', 'C0002', 'C0003'];
let test: TestDatabase;
let standIn: SlackStandIn;
const opened: Database[] = [];

function env() {
  return {
    DATABASE_URL: test.url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_API_URL: standIn.apiUrl,
    ORG_TIMEZONE: 'UTC',
  };
}

/** A bot process of its own: its own connection pool, its own worker id, its own Slack client. */
async function botProcess(options: { clock?: () => Date } = {}) {
  const database = await openDatabase({ databaseUrl: test.url, pgliteDir: 'unused' });
  opened.push(database);
  const services = createServices(database.prisma, loadConfig(env()), { log: () => {}, ...options });
  services.addPoster(slackDigestPoster(digestClient('xoxb-test', { slackApiUrl: standIn.apiUrl })));
  return services;
}

function digestPosts(channel: string, weekStart: string) {
  return standIn
    .messages(channel)
    .filter(
      (message) =>
        message.metadata?.event_type === 'customer_asset_digest' &&
        message.metadata.event_payload.week_start === weekStart &&
        !message.thread_ts,
    );
}

beforeAll(async () => {
  test = await freshDatabase();
  standIn = await startSlackStandIn();
});
afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
  standIn?.close();
  await test?.drop();
});

beforeEach(async () => {
  standIn.reset();
  const prisma = test.database.prisma;
  await prisma.digestDelivery.deleteMany();
  await prisma.channelSubscription.deleteMany();
  const services = await botProcess();
  for (const channelId of channels) await deliveryStore(prisma).subscribe({ platform: 'slack', channelId }, 'UCCO1');
  await services.recordCustomerEvents([
    {
      external_id: 'won-1',
      customer_id: 'c1',
      customer_name: 'Acme',
      segment: 'Retail',
      kind: 'won',
      value: 1200,
      occurred_at: `${services.lastWeek()}T10:00:00Z`,
    },
  ]);
});

describe('exactly-once Monday digest', () => {
  it('posts once per channel when five processes run the schedule at the same moment', async () => {
    const processes = await Promise.all(Array.from({ length: 5 }, () => botProcess()));
    const week = processes[0]!.lastWeek();
    const reports = await Promise.all(processes.map((services) => services.deliverDigest(week)));

    for (const channel of channels) expect(digestPosts(channel, week)).toHaveLength(1);
    expect(reports.flatMap((report) => report.posted)).toHaveLength(channels.length);
    const deliveries = await test.database.prisma.digestDelivery.findMany({ orderBy: { channelId: 'asc' } });
    expect(deliveries.map((delivery) => [delivery.status, delivery.messageId])).toEqual(
      channels.map((channel) => ['posted', digestPosts(channel, week)[0]!.ts]),
    );
  });

  it('running the schedule again the same week posts nothing more', async () => {
    const services = await botProcess();
    const week = services.lastWeek();
    await services.deliverDigest(week);
    const again = await services.deliverDigest(week);
    expect(again.posted).toEqual([]);
    expect(again.alreadyPosted).toHaveLength(channels.length);
    for (const channel of channels) expect(digestPosts(channel, week)).toHaveLength(1);
  });

  it('finishes a run whose process was killed after Slack took a post but before the bot heard back, posting nothing twice', async () => {
    // The real command-line sender as one node process (not the tsx wrapper, whose child would outlive SIGKILL).
    const sender = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sendDigest.ts'], {
      env: { ...process.env, ...env() },
      stdio: 'ignore',
    });
    await standIn.holdNext('chat.postMessage', (args) => args.channel === 'C0002');
    sender.kill('SIGKILL');
    await new Promise((resolve) => sender.once('exit', resolve));
    standIn.releaseHeld();

    const services = await botProcess();
    const week = services.lastWeek();
    expect(digestPosts('C0002', week)).toHaveLength(1); // landed in Slack, never recorded
    // Channels are posted to side by side, so the others may or may not have been reached before the kill.
    for (const channel of ['C0001', 'C0003']) expect(digestPosts(channel, week).length).toBeLessThanOrEqual(1);

    // Straight after the crash the dead process's claims still look live, so C0002 is left alone.
    const early = await services.resumeDigest(week);
    expect(early?.heldByAnother).toContainEqual({ platform: 'slack', channelId: 'C0002' });
    expect(digestPosts('C0002', week)).toHaveLength(1);

    // Once the lease has run out, a process takes the claims over and finds the posts already there.
    const later = await botProcess({ clock: () => new Date(Date.now() + deliveryLeaseMs + 1000) });
    const resumed = await later.resumeDigest(week);
    expect(resumed?.posted).toContainEqual({ platform: 'slack', channelId: 'C0002' });
    for (const channel of channels) expect(digestPosts(channel, week)).toHaveLength(1);
    const c2 = await test.database.prisma.digestDelivery.findFirst({ where: { channelId: 'C0002' } });
    expect(c2).toMatchObject({ status: 'posted', messageId: digestPosts('C0002', week)[0]!.ts });
  });

  it('retries a channel whose post failed, on the next run, without a duplicate', async () => {
    const services = await botProcess();
    const week = services.lastWeek();
    standIn.notInChannel.add('C0003');
    const first = await services.deliverDigest(week);
    expect(first.failed.map((failure) => failure.channelId)).toEqual(['C0003']);

    standIn.notInChannel.delete('C0003');
    const second = await services.resumeDigest(week);
    expect(second?.posted).toEqual([{ platform: 'slack', channelId: 'C0003' }]);
    for (const channel of channels) expect(digestPosts(channel, week)).toHaveLength(1);
  });

  it('waits out Slack rate limits and still posts each digest once', async () => {
    const services = await botProcess();
    const week = services.lastWeek();
    standIn.failNext('chat.postMessage', 1, 1);
    const started = Date.now();
    const report = await services.deliverDigest(week);
    expect(report.posted).toHaveLength(channels.length);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    for (const channel of channels) expect(digestPosts(channel, week)).toHaveLength(1);
  });

  it('sends the command-line run to every channel and says so', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/sendDigest.ts'], {
      env: { ...process.env, ...env() },
    });
    expect(stdout).toMatch(/posted to 3, already posted in 0/);
  });
});
