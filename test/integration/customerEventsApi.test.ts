// The customer events API and the preview page over real HTTP: a bot started the way
// main.ts starts it (no Slack), on a fresh PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const token = 'secret-token';
let db: TestDatabase;
let bot: RunningBot;
/** A second bot on the same database, started without EVENTS_API_TOKEN. */
let botWithoutToken: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  bot = await startBot(
    loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', EVENTS_API_TOKEN: token, ORG_TIMEZONE: 'UTC' }),
    { log: () => {} },
  );
  botWithoutToken = await startBot(
    loadConfig({ DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', ORG_TIMEZONE: 'UTC' }),
    { log: () => {} },
  );
});

afterAll(async () => {
  await botWithoutToken?.stop();
  await bot?.stop();
  await db?.drop();
});

function postEvents(body: unknown, options: { authorization?: string | null; raw?: boolean; url?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = options.authorization === undefined ? `Bearer ${token}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  return fetch(`${options.url ?? bot.url}/api/customer-events`, {
    method: 'POST',
    headers,
    body: options.raw ? (body as string) : JSON.stringify(body),
  });
}

async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as Record<string, unknown>;
}

const eventCount = () => db.database.prisma.customerEvent.count();

/** Three valid rows in the week just ended, then a bad kind and a negative value. */
function mixedBatch() {
  const week = bot.services.lastWeek();
  return [
    {
      external_id: 'api-1',
      customer_id: 'cust-1',
      customer_name: 'Acme Ltd',
      segment: 'Retail Banking',
      kind: 'won',
      value: 12000,
      occurred_at: `${week}T09:00:00Z`,
    },
    {
      external_id: 'api-2',
      customer_id: 'cust-2',
      customer_name: 'Globex',
      segment: 'Retail Banking',
      kind: 'lost',
      value: 3000,
      occurred_at: `${week}T10:00:00Z`,
      reason: 'Price increase at renewal',
      verbatim: 'Too expensive, sorry.',
    },
    {
      external_id: 'api-3',
      customer_id: 'cust-3',
      customer_name: 'Initech',
      segment: 'Retail Banking',
      kind: 'expanded',
      value: '450.50',
      occurred_at: `${week}T11:00:00Z`,
    },
    {
      external_id: 'api-4',
      customer_id: 'cust-4',
      customer_name: 'Umbrella',
      segment: 'Retail Banking',
      kind: 'churned',
      value: 100,
      occurred_at: `${week}T12:00:00Z`,
    },
    {
      external_id: 'api-5',
      customer_id: 'cust-5',
      customer_name: 'Hooli',
      segment: 'Retail Banking',
      kind: 'won',
      value: -5,
      occurred_at: `${week}T13:00:00Z`,
    },
  ];
}

describe('POST /api/customer-events', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'Bearer wrong-token'],
    ['a wrong token of the same length', `Bearer ${'x'.repeat(token.length)}`],
    ['the right token under another scheme', `Basic ${token}`],
    ['the bare token', token],
  ])('refuses %s with 401 and says how to authenticate; nothing is stored', async (_, authorization) => {
    const response = await postEvents(mixedBatch(), { authorization });
    expect(response.status).toBe(401);
    const body = await jsonOf(response);
    expect(body.error).toMatch(/Authorization: Bearer/);
    expect(await eventCount()).toBe(0);
  });

  it('stores the valid rows of a batch and lists the refused ones by their 1-based position', async () => {
    const response = await postEvents(mixedBatch());
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body.stored).toBe(3);
    expect(body.duplicates).toBe(0);
    const rejected = body.rejected as Array<{ row: number; reason: string }>;
    expect(rejected.map((row) => row.row)).toEqual([4, 5]);
    expect(rejected[0]!.reason).toMatch(/^kind must be one of: won, lost, expanded, contracted, referral, reactivated/);
    expect(rejected[1]!.reason).toMatch(/^value must be zero or more/);
    expect(body.message).toMatch(/Stored 3 new events/);
    expect(body.message).toMatch(/refused 2 rows/);

    expect(await eventCount()).toBe(3);
    const stored = await db.database.prisma.customerEvent.findMany({ orderBy: { externalId: 'asc' } });
    expect(stored.map((event) => [event.externalId, event.kind, Number(event.value)])).toEqual([
      ['api-1', 'won', 12000],
      ['api-2', 'lost', 3000],
      ['api-3', 'expanded', 450.5],
    ]);
    expect(stored[1]!.reason).toBe('Price increase at renewal');
    expect(stored[1]!.verbatim).toBe('Too expensive, sorry.');
  });

  it('stores nothing twice when the same batch is sent again', async () => {
    const response = await postEvents({ events: mixedBatch() });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({ stored: 0, duplicates: 3 });
    expect((body.rejected as unknown[]).length).toBe(2);
    expect(body.message).toMatch(/3 events were already stored/);
    expect(await eventCount()).toBe(3);
  });

  it('answers 422 when every row is refused', async () => {
    const week = bot.services.lastWeek();
    const response = await postEvents([
      {
        external_id: 'bad-1',
        customer_id: 'c',
        customer_name: 'C',
        segment: 'S',
        kind: 'won',
        value: 'lots',
        occurred_at: `${week}T09:00:00Z`,
      },
      {
        external_id: 'bad-2',
        customer_id: 'c',
        customer_name: 'C',
        segment: 'S',
        kind: 'won',
        value: 1,
        occurred_at: 'not a date',
      },
      'not an object',
    ]);
    expect(response.status).toBe(422);
    const body = await jsonOf(response);
    expect(body.stored).toBe(0);
    const rejected = body.rejected as Array<{ row: number; reason: string }>;
    expect(rejected.map((row) => row.row)).toEqual([1, 2, 3]);
    expect(rejected[0]!.reason).toMatch(/^value must be a number/);
    expect(rejected[1]!.reason).toMatch(/^occurred_at must be an ISO 8601 date/);
    expect(await eventCount()).toBe(3);
  });

  it('answers 400 with a friendly message when the body is not JSON', async () => {
    const response = await postEvents('external_id,kind\nx,won', { raw: true });
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error).toMatch(/not valid JSON/);
    expect(body.error).toMatch(/array of events/);
    expect(body.error).toContain('Nothing was stored.');
  });

  it.each([[{ foo: 1 }], [{ events: 'nope' }], ['just a string'], [null]])(
    'answers 400 to a JSON body that is not a batch: %j',
    async (payload) => {
      const response = await postEvents(payload);
      expect(response.status).toBe(400);
      const body = await jsonOf(response);
      expect(body.error).toMatch(/Send an array of events, or \{"events": \[\.\.\.\]\}/);
      expect(body.error).toContain('Nothing was stored.');
      expect(await eventCount()).toBe(3);
    },
  );

  it('answers 503 and says how to turn the API on when no EVENTS_API_TOKEN is configured', async () => {
    const response = await postEvents(mixedBatch(), { url: botWithoutToken.url });
    expect(response.status).toBe(503);
    const body = await jsonOf(response);
    expect(body.error).toMatch(/set EVENTS_API_TOKEN/);
    expect(await eventCount()).toBe(3);
  });

  it("refuses a row whose external_id is in the Stripe connector's space, and keeps the rest", async () => {
    const customer = { customer_id: 'cust-stripe', customer_name: 'Stripe Co', segment: 'Retail Banking' };
    const won = { ...customer, kind: 'won', value: 100, occurred_at: '2025-01-06T09:00:00Z' };
    // The connector's own first win for this customer; a second `stripe:` win would break the one-win rule.
    const connector = await bot.services.recordCustomerEvents(
      [{ ...won, external_id: 'stripe:sub_1:start' }],
      undefined,
      'connector',
    );
    expect(connector.stored).toBe(1);
    const before = await eventCount();
    const response = await postEvents([
      { ...won, external_id: 'stripe:crm-copy:start' },
      { ...won, kind: 'expanded', external_id: 'crm-expanded-1' },
    ]);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toMatchObject({ stored: 1, duplicates: 0 });
    expect(body.rejected).toEqual([
      {
        row: 1,
        reason: expect.stringMatching(
          /^external_id starts with "stripe:", which is kept for the bot's Stripe connector/,
        ),
      },
    ]);
    expect(await eventCount()).toBe(before + 1);
  });
});

describe('preview page', () => {
  it('shows stored events in the digest for the week just ended', async () => {
    const week = bot.services.lastWeek();
    const posted = await postEvents([
      {
        external_id: 'preview-1',
        customer_id: 'lib-1',
        customer_name: 'City Library',
        segment: 'Public Libraries',
        kind: 'won',
        value: 7000,
        occurred_at: `${week}T08:00:00Z`,
      },
      {
        external_id: 'preview-2',
        customer_id: 'lib-2',
        customer_name: 'Town Library',
        segment: 'Public Libraries',
        kind: 'referral',
        value: 0,
        occurred_at: `${week}T08:30:00Z`,
      },
    ]);
    expect(posted.status).toBe(200);

    const response = await fetch(`${bot.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('Did we earn the right to customer growth?');
    expect(html).toContain('Public Libraries');
    expect(html).toContain('Retail Banking');
    expect(html).toContain('Local preview: no Slack workspace is connected.');

    // The same week asked for by name gives the same page.
    const named = await fetch(`${bot.url}/?week=${week}`);
    expect(named.status).toBe(200);
    expect(await named.text()).toBe(html);
  });

  it('explains that ?week must be a Monday', async () => {
    const response = await fetch(`${bot.url}/?week=2026-11-17`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('is not a Monday in YYYY-MM-DD form');
    expect(html).toContain(`?week=${bot.services.lastWeek()}`);
  });

  it('shows a named period with ?period=, and explains what it takes when the text is not one', async () => {
    const quarter = await fetch(`${bot.url}/?period=2026-Q3`);
    expect(quarter.status).toBe(200);
    expect(await quarter.text()).toMatch(/Customer asset digest, Q3 2026 \(Jul/);
    const refused = await fetch(`${bot.url}/?period=2026-Q5`);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('&quot;2026-Q5&quot; is not a period I know.');
    expect(html).toContain('?period=2026-11-16 (the week starting that Monday)');
    expect(html).not.toContain('Did we earn the right to customer growth?');
  });

  it('an empty week says nothing moved rather than inventing an answer', async () => {
    const response = await fetch(`${bot.url}/?week=2020-01-06`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Did we earn the right to customer growth?');
    expect(html).toContain('No customer movements were recorded this week');
    expect(html).not.toContain('Public Libraries');
  });
});

describe('health and unknown paths', () => {
  it('GET /healthz answers 200 {status: ok}', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ status: 'ok' });
  });

  it.each([
    ['GET', '/nowhere'],
    ['GET', '/api/customer-events'],
    ['POST', '/'],
    ['GET', '/slack/events'],
  ])('%s %s answers 404 JSON', async (method, path) => {
    const response = await fetch(`${bot.url}${path}`, { method });
    expect(response.status).toBe(404);
    const body = await jsonOf(response);
    expect(body.error).toBe(`Nothing here: ${method} ${path}`);
  });
});
