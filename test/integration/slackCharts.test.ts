// The chart and the Home tab end to end: the running bot, a Slack stand-in that speaks the
// uploadV2 flow (getUploadURLExternal, the bytes, completeUploadExternal), signed events
// over real HTTP, and PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays } from '../../src/domain/weeks.js';
import { renderMovementChart } from '../../src/render/movementChart.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendEvent, waitFor } from '../support/slackRequests.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-charts';
const cco = 'UCCOCHART';
const caller = 'UCALLER1';
const channel = 'CDIGEST1';

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      BOOTSTRAP_CCO_SLACK_IDS: cco,
      ORG_TIMEZONE: 'UTC',
    }),
    { log: (message, context) => (context?.level === 'warn' ? console.warn(message, context) : undefined) },
  );
  const lastWeek = bot.services.lastWeek();
  let n = 0;
  const event = (segment: string, kind: string, day: string, value = 1200) => ({
    external_id: `chart-${++n}`,
    customer_id: `cust-${n}`,
    customer_name: `Customer ${n}`,
    segment,
    kind,
    value,
    occurred_at: `${day}T10:00:00Z`,
    customer_contact: `+44 20 7946 00${String(n).padStart(2, '0')}`,
  });
  const events = [
    event('Retail', 'won', addDays(lastWeek, 1)),
    event('Retail', 'won', addDays(lastWeek, 2)),
    event('Retail', 'lost', addDays(lastWeek, 2), 9000),
    event('Enterprise', 'lost', addDays(lastWeek, 3), 40_000),
    event('Enterprise', 'won', addDays(lastWeek, -20)),
    event('Retail', 'lost', addDays(lastWeek, -40)),
  ];
  const stored = await bot.services.recordCustomerEvents(events);
  expect(stored.rejected).toEqual([]);
  const campaign = await bot.services.startCampaign(
    { platform: 'slack', userId: cco },
    {
      name: 'Win back November',
      lostFrom: lastWeek,
      lostUntil: addDays(lastWeek, 6),
      callers: [caller],
      dueOn: addDays(lastWeek, 30),
    },
  );
  expect(campaign.ok).toBe(true);
  const logged = await bot.services.logFeedback(
    { platform: 'slack', userId: caller },
    { text: 'The invoice charged us twice this month', source: 'call_centre' },
  );
  if (!logged.ok) throw new Error(logged.message);
  await bot.services.sortFeedback(logged.view.feedback.id);
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

beforeEach(() => standIn.reset());

const completedPng = (id: string) => {
  const file = standIn.files().find((each) => each.id === id);
  expect(file?.completed).toBe(true);
  expect(file!.bytes!.subarray(0, 8)).toEqual(pngSignature);
  return file!;
};

type Block = { type: string; [key: string]: unknown };

const imageOf = (view: unknown) =>
  (view as { blocks: Block[] }).blocks.find((block) => block.type === 'image') as unknown as {
    slack_file: { id: string };
    alt_text: string;
  };

async function openHome(user: string, tab = 'home') {
  const before = standIn.callsTo('views.publish').length;
  const { status } = await sendEvent(bot.url, signingSecret, {
    type: 'app_home_opened',
    user,
    channel: 'D0HOME',
    tab,
    view: { id: 'V0OLD', type: 'home' },
  });
  expect(status).toBe(200);
  return before;
}

describe('the Home tab', () => {
  it('publishes the customer room, with the chart uploaded, every number in words and buttons to act', async () => {
    await openHome(caller);
    const call = await waitFor(() => standIn.callsTo('views.publish')[0], { what: 'views.publish' });
    expect(call.args.user_id).toBe(caller);
    const view = call.args.view as { type: string; blocks: Block[] };
    expect(view.type).toBe('home');
    const text = JSON.stringify(view.blocks);
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: 'The customer room' } });
    expect(text).toContain('Did we earn the right to customer growth?');
    expect(text).toContain('Not yet: we gained as many customers as we lost (2) and customer value fell by $46,600.');
    const image = view.blocks.find((block) => block.type === 'image') as unknown as {
      slack_file: { id: string };
      alt_text: string;
    };
    expect(image.alt_text).toContain('Whole company, customers won and lost');
    const file = completedPng(image.slack_file.id);
    expect(file.sharedTo).toBeUndefined(); // no loose file message in any channel
    expect(text).toMatch(/Whole company, customers won and lost: .*won 2, lost 2, net ±0/);
    expect(text).toContain('Early warning');
    expect(text).toContain('Top issues by stage');
    expect(text).toMatch(/#1\* .*1 report/);
    expect(text).toContain('"action_id":"issue_resolve"');
    // The caller's two lost customers of last week, highest value first, with the campaign's own buttons.
    expect(text).toContain('Your open calls (2)');
    const calls = view.blocks.filter((block) => block.type === 'actions');
    expect(calls).toHaveLength(2);
    expect(JSON.stringify(calls[0])).toContain('"action_id":"call_log"');
    expect(JSON.stringify(calls[0])).toContain('"action_id":"call_unreachable"');
    expect(text.indexOf('lost $40,000')).toBeLessThan(text.indexOf('lost $9,000'));
  });

  it('is drawn again each time it is opened, the same chart uploaded once', async () => {
    await openHome(cco);
    await waitFor(() => standIn.callsTo('views.publish').length === 1, { what: 'the first publish' });
    await openHome(cco);
    await waitFor(() => standIn.callsTo('views.publish').length === 2, { what: 'the second publish' });
    const ids = standIn.callsTo('views.publish').map((call) => imageOf(call.args.view).slack_file.id);
    expect(ids[0]).toBe(ids[1]);
    // This week's chart was uploaded for the first person to open the tab; nobody's opening uploads it again.
    expect(standIn.callsTo('files.completeUploadExternal')).toEqual([]);
    expect(standIn.files().filter((file) => file.completed)).toHaveLength(1);
    // Someone who is not a caller sees no calls.
    expect(JSON.stringify(standIn.callsTo('views.publish')[1]!.args.view)).not.toContain('Your open calls');
  });

  it('uploads again when Slack no longer has the file, rather than show a broken picture', async () => {
    standIn.deleteFiles();
    await openHome(cco);
    // Slack refuses the view (invalid_blocks: nothing was published), the bot uploads again and publishes.
    await waitFor(() => standIn.callsTo('views.publish').length === 2, { what: 'the publish after a new upload' });
    expect(standIn.callsTo('files.completeUploadExternal')).toHaveLength(1);
    const [refused, published] = standIn.callsTo('views.publish');
    expect(imageOf(refused!.args.view).slack_file.id).not.toBe(imageOf(published!.args.view).slack_file.id);
    completedPng(imageOf(published!.args.view).slack_file.id);
  });

  it('draws nothing for the Messages tab', async () => {
    await openHome(cco, 'messages');
    await openHome(caller);
    await waitFor(() => standIn.callsTo('views.publish').length === 1, { what: 'the Home tab publish' });
    // Events are answered in order; once the later one was drawn, the earlier one was passed over.
    expect(standIn.callsTo('views.publish').map((call) => call.args.user_id)).toEqual([caller]);
  });
});

describe('the digest', () => {
  it('uploads the chart through the uploadV2 flow and shows it in the post, the same bytes as drawn', async () => {
    const subscribed = await bot.services.subscribeDigest(
      { platform: 'slack', userId: cco },
      { platform: 'slack', channelId: channel },
    );
    expect(subscribed.ok).toBe(true);
    // The week before last: its chart was never drawn for the Home tab, so this delivery uploads it.
    const week = addDays(bot.services.lastWeek(), -7);
    const report = await bot.services.deliverDigest(week);
    expect(report.failed).toEqual([]);
    expect(standIn.calls.map((call) => call.method).filter((method) => /^files\.|^upload$/.test(method))).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [post] = standIn.messages(channel).filter((message) => !message.thread_ts);
    const blocks = post!.blocks as Block[];
    const image = blocks.find((block) => block.type === 'image') as unknown as {
      slack_file: { id: string };
      alt_text: string;
    };
    expect(image.alt_text).toMatch(/^Customers won and lost, last 13 weeks\. Whole company, customers won and lost: /);
    const file = completedPng(image.slack_file.id);
    const drawn = await renderMovementChart(await bot.services.movementHistoryFor(week));
    expect(Buffer.compare(file.bytes!, Buffer.from(drawn))).toBe(0);
    // The words beside it carry every number, and the notification text is unchanged.
    const words = JSON.stringify(blocks[blocks.indexOf(image as unknown as Block) + 1]);
    expect(words).toContain('Enterprise, customers won and lost:');
    expect(post!.text).toContain('Did we earn the right to customer growth?');
  });

  it('has no chart, and uploads nothing, for weeks when nobody moved', async () => {
    const digest = await bot.services.digestFor('2025-01-06');
    expect(digest.sections.map((section) => section.kind)).not.toContain('movementChart');
    const report = await bot.services.deliverDigest('2025-01-06');
    expect(report.failed).toEqual([]);
    expect(standIn.callsTo('files.getUploadURLExternal')).toEqual([]);
    const [post] = standIn.messages(channel);
    expect(JSON.stringify(post!.blocks)).not.toContain('"type":"image"');
  });
});
