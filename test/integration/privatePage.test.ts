// The digest page once a platform is connected: private, opened only by a link the bot hands
// a CCO or leader in chat, or by the operator's PREVIEW_TOKEN. Two real bots share one
// PostgreSQL database (one on Slack, one on Teams), as two processes of one deployment do,
// and every request goes over real HTTP from 127.0.0.1, so "trust localhost" would show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { previewLinks } from '../../src/http/previewLinks.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connectorStandIn.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendSlashCommand, waitFor } from '../support/slackRequests.js';
import {
  messageActivity,
  postActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'private-page-signing-secret-19ab';
const previewToken = 'operator-preview-token-5f2c9e';
const publicUrl = 'https://growth.example.com';
const cco = 'UCCO1';
const leader = 'ULEAD1';
const staff = 'USTAFF1';
const teamsCco: TeamsUser = { id: '29:cco', aadObjectId: 'aad-cco-0001', name: 'Chris CCO' };
const teamsStaff: TeamsUser = { id: '29:staff', aadObjectId: 'aad-staff-0001', name: 'Sam Staff' };
const channel: TeamsConversationShape = { id: '19:leadership@thread.tacv2', conversationType: 'channel' };
const personal = (user: TeamsUser): TeamsConversationShape => ({
  id: `a:personal-${user.id.slice(3)}`,
  conversationType: 'personal',
});

let db: TestDatabase;
let slackApi: SlackStandIn;
let connector: ConnectorStandIn;
let slackBot: RunningBot;
let teamsBot: RunningBot;
let responses = 0;

beforeAll(async () => {
  db = await freshDatabase();
  slackApi = await startSlackStandIn();
  connector = await startConnectorStandIn();
  const common = { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', ORG_TIMEZONE: 'UTC', ORG_CURRENCY: 'EUR' };
  slackBot = await startBot(
    loadConfig({
      ...common,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slackApi.apiUrl,
      BOOTSTRAP_CCO_SLACK_IDS: cco,
      PUBLIC_URL: publicUrl,
      PREVIEW_TOKEN: previewToken,
    }),
    { log: () => {} },
  );
  // No PUBLIC_URL and no PREVIEW_TOKEN here: links fall back to this bot's own address.
  teamsBot = await startBot(
    loadConfig({ ...common, TEAMS_EMULATOR: 'true', BOOTSTRAP_CCO_TEAMS_IDS: teamsCco.aadObjectId }),
    { log: () => {} },
  );
  const week = slackBot.services.lastWeek();
  const seeded = await slackBot.services.recordCustomerEvents([
    {
      external_id: 'pp-1',
      customer_id: 'c-1',
      customer_name: 'Acme',
      segment: 'Zircon accounts',
      kind: 'won',
      value: 1200,
      occurred_at: `${week}T12:00:00Z`,
    },
    {
      external_id: 'pp-2',
      customer_id: 'c-2',
      customer_name: 'Beta',
      segment: 'Zircon accounts',
      kind: 'lost',
      value: 700,
      occurred_at: `${week}T13:00:00Z`,
      reason: 'Price',
    },
  ]);
  expect(seeded.stored).toBe(2);
});

afterAll(async () => {
  await slackBot?.stop();
  await teamsBot?.stop();
  await slackApi?.close();
  await connector?.close();
  await db?.drop();
});

/** `/digest <text>` from a Slack user; resolves with the ephemeral answer. */
async function digestCommand(
  userId: string,
  text: string,
): Promise<{ response_type?: unknown; text: string; blocks?: unknown }> {
  const responseId = `pp-${++responses}`;
  const sent = await sendSlashCommand(slackBot.url, signingSecret, {
    command: '/digest',
    text,
    userId,
    channelId: 'C0LEADERS',
    responseUrl: slackApi.responseUrl(responseId),
  });
  expect(sent.status).toBe(200);
  const call = await waitFor(() => slackApi.callsTo('response_url').find((one) => one.args.responseId === responseId), {
    what: `the answer to /digest ${text}`,
  });
  expect(call.args.response_type).toBe('ephemeral');
  return call.args as { text: string };
}

/** The URL of the rich-text link in a Slack answer. */
function linkIn(answer: { blocks?: unknown }): URL {
  const match = /"type":"link","url":"([^"]+)"/.exec(JSON.stringify(answer.blocks));
  expect(match, 'the answer carries a link').not.toBeNull();
  return new URL(match![1]!);
}

/** Opens a link's path and query on a running bot, as the browser would behind PUBLIC_URL's proxy. */
function open(bot: RunningBot, link: URL | string, headers: Record<string, string> = {}): Promise<Response> {
  const path = typeof link === 'string' ? link : `${link.pathname}${link.search}`;
  return fetch(`${bot.url}${path}`, { headers });
}

/** Customer data from the seeded week that must never appear on a refused page. */
function expectNoCustomerData(html: string) {
  for (const secret of ['Zircon accounts', 'Customers won', 'Did we earn the right', '€1,200', 'Price'])
    expect(html).not.toContain(secret);
}

async function teamsSay(from: TeamsUser, conversation: TeamsConversationShape, words: string): Promise<string> {
  const before = connector.activities(conversation.id).length;
  const sent = await postActivity(teamsBot.url, messageActivity(connector.serviceUrl, conversation, from, words));
  expect(sent.status).toBe(200);
  const answers = connector.activities(conversation.id).slice(before);
  expect(answers).toHaveLength(1);
  return JSON.stringify(answers[0]!.activity.attachments);
}

describe('the digest page once Slack or Teams is connected', () => {
  it('answers 401 without customer data to a request with no link, whatever proxy headers say', async () => {
    const proxied: Record<string, string> = {
      'X-Forwarded-For': '127.0.0.1',
      'X-Real-IP': '127.0.0.1',
      'X-Forwarded-Host': 'localhost',
      Forwarded: 'for=127.0.0.1',
    };
    for (const path of ['/', `/?week=${slackBot.services.lastWeek()}`]) {
      for (const headers of [{}, proxied]) {
        const page = await open(slackBot, path, headers);
        expect(page.status).toBe(401);
        expect(page.headers.get('cache-control')).toBe('no-store');
        expect(page.headers.get('referrer-policy')).toBe('no-referrer');
        expect(page.headers.get('www-authenticate')).toMatch(/^Bearer /);
        const html = await page.text();
        expect(html).toContain('This page shows customer data, so it only opens with a private link.');
        expect(html).toContain('<code>/digest link</code>');
        expectNoCustomerData(html);
      }
    }
  });

  it('has no playground: a connected bot can only be tried in its workspace', async () => {
    for (const path of ['/playground', '/playground?as=cco']) expect((await open(slackBot, path)).status).toBe(404);
    const typed = await fetch(`${slackBot.url}/playground/type`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'as=cco&line=%2Fdigest%20now',
    });
    expect(typed.status).toBe(404);
  });

  it('refuses staff a link in plain words, and makes none', async () => {
    const answer = await digestCommand(staff, 'link');
    expect(answer.text).toBe(
      'Only the CCO or a leader can get a private link to the digest page. You are staff here; ask your CCO if that should change.',
    );
    expect(JSON.stringify(answer)).not.toContain('signature=');
  });

  it('gives the CCO, privately, a 24-hour link on PUBLIC_URL that opens the digest', async () => {
    const before = Date.now();
    const answer = await digestCommand(cco, 'link');
    expect(answer.text).toContain(
      'Your private link to the customer asset digest for the week just ended. It works for 24 hours, until',
    );
    expect(answer.text).not.toContain('PUBLIC_URL is not set');
    const link = linkIn(answer);
    expect(link.origin).toBe(publicUrl);
    expect(link.pathname).toBe('/');
    const expires = Number(link.searchParams.get('expires')) * 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 24 * 3_600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);

    const page = await open(slackBot, link);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Did we earn the right to customer growth?');
    expect(html).toContain('Zircon accounts');
    expect(html).toContain('This page is private');
  });

  it('gives a leader a link for one week, which opens that week and no other', async () => {
    const roleResponse = `pp-${++responses}`;
    await sendSlashCommand(slackBot.url, signingSecret, {
      command: '/cco',
      text: `role <@${leader}|lee> leader`,
      userId: cco,
      channelId: 'C0ADMIN',
      responseUrl: slackApi.responseUrl(roleResponse),
    });
    await waitFor(() => slackApi.callsTo('response_url').find((one) => one.args.responseId === roleResponse), {
      what: 'the role change',
    });

    const week = slackBot.services.lastWeek();
    const answer = await digestCommand(leader, `link ${week}`);
    expect(answer.text).toContain('Your private link to the customer asset digest for the week of');
    const link = linkIn(answer);
    expect(link.searchParams.get('week')).toBe(week);
    const page = await open(slackBot, link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Zircon accounts');

    // The same signature on another week is a changed link.
    const otherWeek = new URL(link);
    otherWeek.searchParams.set('week', '2026-01-05');
    const refused = await open(slackBot, otherWeek);
    expect(refused.status).toBe(401);
    const html = await refused.text();
    expect(html).toContain('This link is not one the bot made, or it was changed after it was made');
    expectNoCustomerData(html);
  });

  it('gives a link for a quarter, which opens that quarter’s digest and no other period', async () => {
    const answer = await digestCommand(cco, 'link 2026-Q3');
    expect(answer.text).toMatch(/^Your private link to the customer asset digest for Q3 2026 \(Jul/);
    const link = linkIn(answer);
    expect(link.searchParams.get('period')).toBe('2026-Q3');
    const page = await open(slackBot, link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/Customer asset digest · Q3 2026 \(Jul/);
    expect(html).toContain('No customer movements were recorded this quarter');
    // Last week's customers are not the third quarter's.
    expect(html).not.toContain('Zircon accounts');

    const otherQuarter = new URL(link);
    otherQuarter.searchParams.set('period', '2026-Q4');
    expect((await open(slackBot, otherQuarter)).status).toBe(401);
  });

  it('makes no link for text that is not a period, and says what it takes', async () => {
    const answer = await digestCommand(cco, 'link someday');
    expect(answer.text).toBe(
      '“someday” is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in `/digest link 2026-Q3`. No link was made.',
    );
    expect(answer.blocks).toBeUndefined();
  });

  it('says plainly when the week is not a Monday, and makes no link', async () => {
    const answer = await digestCommand(cco, 'link 2026-11-17');
    expect(answer.text).toBe(
      '“2026-11-17” is not a Monday in YYYY-MM-DD form, such as `/digest link 2026-11-16`. No link was made.',
    );
    expect(answer.blocks).toBeUndefined();
  });

  it('refuses a link with a changed signature or expiry, and one that has expired, without data', async () => {
    const link = linkIn(await digestCommand(cco, 'link'));
    const signature = link.searchParams.get('signature')!;
    const flipped = new URL(link);
    flipped.searchParams.set(
      'signature',
      `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
    );
    // The last character carries 2 spare bits that base64 decoding ignores: changing them must not pass either.
    const lastChanged = new URL(link);
    lastChanged.searchParams.set('signature', `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`);
    const later = new URL(link);
    later.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 3600));
    const unsigned = new URL(link);
    unsigned.searchParams.delete('signature');
    for (const tampered of [flipped, lastChanged, later, unsigned]) {
      const page = await open(slackBot, tampered);
      expect(page.status).toBe(401);
      const html = await page.text();
      expect(html).toContain('This link is not one the bot made');
      expectNoCustomerData(html);
    }

    // A link the bot did sign, with its own key, whose 24 hours are over.
    const { value: key } = await db.database.prisma.botSecret.findUniqueOrThrow({ where: { name: 'preview-link' } });
    const expired = previewLinks(key).sign('/', new Date(Date.now() - 60_000));
    const page = await open(slackBot, expired);
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('This link has expired: links to the digest work for 24 hours.');
    expectNoCustomerData(html);
    // The same key, still in date, opens it: so the refusal above was the expiry.
    expect((await open(slackBot, previewLinks(key).sign('/', new Date(Date.now() + 60_000)))).status).toBe(200);
  });

  it('opens to the operator’s PREVIEW_TOKEN as a bearer token, and to nothing else like it', async () => {
    const page = await open(slackBot, '/', { Authorization: `Bearer ${previewToken}` });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('Zircon accounts');

    const wrong = await open(slackBot, '/', { Authorization: 'Bearer operator-preview-token-5f2c9f' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('is not the PREVIEW_TOKEN');
    // In the query it would end up in browser history and proxy logs, so it is not read there.
    const inQuery = await open(slackBot, `/?token=${previewToken}`);
    expect(inQuery.status).toBe(401);
    expectNoCustomerData(await inQuery.text());
    // The Teams bot has no PREVIEW_TOKEN: a bearer token opens nothing there.
    expect((await open(teamsBot, '/', { Authorization: `Bearer ${previewToken}` })).status).toBe(401);
  });

  it('in Teams, gives the link only in a personal chat, on the bot’s own address when PUBLIC_URL is unset', async () => {
    expect(await teamsSay(teamsStaff, personal(teamsStaff), 'digest link')).toContain(
      'Only the CCO or a leader can get a private link to the digest page.',
    );

    const inChannel = await teamsSay(teamsCco, channel, 'digest link');
    expect(inChannel).toContain('everyone here would see it. Ask me in a personal chat: “digest link”.');
    expect(inChannel).not.toContain('signature=');

    const answer = await teamsSay(teamsCco, personal(teamsCco), 'digest link');
    // Card Markdown escapes the underscore (PUBLIC\_URL); Teams shows PUBLIC_URL.
    expect(answer).toContain('PUBLIC\\\\_URL is not set, so the link uses the bot’s own address');
    const url = new URL(/\[Open the digest\]\(([^)]+)\)/.exec(answer)![1]!);
    expect(url.origin).toBe(teamsBot.url);
    expect((await fetch(url)).status).toBe(200);
    // Both processes read one key from the database, so a link made by one opens on the other.
    const onSlackBot = await open(slackBot, url);
    expect(onSlackBot.status).toBe(200);
    expect(await onSlackBot.text()).toContain('Zircon accounts');
  });

  it('serves /privacy and /terms to anyone, with no customer data', async () => {
    for (const bot of [slackBot, teamsBot]) {
      const privacy = await open(bot, '/privacy');
      expect(privacy.status).toBe(200);
      const html = await privacy.text();
      expect(html).toContain('What the bot stores');
      expect(html).toContain('How to delete it');
      expect(html).toContain('does not use an AI model');
      expectNoCustomerData(html);
      const terms = await open(bot, '/terms');
      expect(terms.status).toBe(200);
      expectNoCustomerData(await terms.text());
    }
  });
});
