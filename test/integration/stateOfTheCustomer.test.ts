// `/state-of-the-customer 2026-Q3` end to end over real HTTP and PostgreSQL: the summary posted
// in the channel, private expiring links to the full page and PDF, the page refused without a
// valid link, and the PDF turned into PNG pages with Debian's pdftoppm to prove it is a real,
// non-blank document (the pages are kept in test/artifacts/state-of-the-customer to look at).
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connectorStandIn.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendSlashCommand, waitFor } from '../support/slackRequests.js';
import { messageActivity, postActivity, type TeamsUser } from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const run = promisify(execFile);
const signingSecret = 'soc-signing-secret-7d1e0b9a';
const publicUrl = 'https://growth.example.com';
const cco = 'UCCOSOC';
const staff = 'USTAFFSOC';
const teamsCco: TeamsUser = { id: '29:soc-cco', aadObjectId: 'aad-soc-cco', name: 'Chris CCO' };
const artifacts = path.resolve('test/artifacts/state-of-the-customer');

// Customer words that must stay harmless everywhere: a channel ping, a script, Slack bold.
const hostileArea = 'EMEA <script>alert(1)</script>';
const hostileIssue = 'Charged twice <!channel>';
const hostileReason = '*bold* price rise';

let db: TestDatabase;
let slackApi: SlackStandIn;
let connector: ConnectorStandIn;
let slackBot: RunningBot;
let teamsBot: RunningBot;
let responses = 0;

async function seed(): Promise<void> {
  const events = await slackBot.services.recordCustomerEvents([
    {
      external_id: 'soc-1',
      customer_id: 'soc-c1',
      customer_name: 'Acme',
      segment: 'Enterprise',
      market_area: hostileArea,
      kind: 'won',
      value: 5000,
      occurred_at: '2026-08-03T10:00:00Z',
    },
    {
      external_id: 'soc-2',
      customer_id: 'soc-c2',
      customer_name: 'Beta',
      segment: 'Enterprise',
      kind: 'lost',
      value: 700,
      occurred_at: '2026-08-10T10:00:00Z',
      reason: hostileReason,
    },
    {
      external_id: 'soc-3',
      customer_id: 'soc-c3',
      customer_name: 'Gamma',
      segment: 'Small business',
      market_area: 'Americas',
      kind: 'won',
      value: 900,
      occurred_at: '2026-09-01T10:00:00Z',
    },
  ]);
  expect(events.stored).toBe(3);
  const prisma = db.database.prisma;
  // Issue 1 was resolved mid-August and its complaints stopped; issue 2 is still open and fell from 10 to 5.
  await prisma.$executeRawUnsafe(`
    WITH stage AS (SELECT id FROM journey_stage ORDER BY position LIMIT 1),
         category AS (SELECT id FROM feedback_category ORDER BY position LIMIT 1)
    INSERT INTO issue (id, number, stage_id, category_id, title, status, opened_at)
    SELECT gen_random_uuid(), 9001, stage.id, category.id, '${hostileIssue}', 'resolved'::"IssueStatus", '2026-07-01T00:00:00Z'::timestamptz FROM stage, category
    UNION ALL
    SELECT gen_random_uuid(), 9002, stage.id, category.id, 'App crashes on login', 'open'::"IssueStatus", '2026-01-10T00:00:00Z'::timestamptz FROM stage, category`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO issue_resolution (id, issue_id, what_changed, platform, resolved_by, resolved_at)
    SELECT gen_random_uuid(), id, 'Billing runs once a month', 'slack'::"Platform", '${cco}', '2026-08-15T00:00:00Z'::timestamptz FROM issue WHERE number = 9001`);
  const feedback = (issue: number, customer: string | null, at: string, count: number) => `
    INSERT INTO feedback (id, reporter_id, text, source, customer_id, segment, stage_id, category_id, sentiment, issue_id, logged_at)
    SELECT gen_random_uuid(), 'api', 'It went wrong', 'web'::"FeedbackSource", c.id, c.segment, i.stage_id, i.category_id,
           'negative'::"Sentiment", i.id,
           '${at}'::timestamptz + g * interval '1 hour'
      FROM issue i LEFT JOIN customer c ON c.external_id = ${customer ? `'${customer}'` : 'NULL'}, generate_series(1, ${count}) g
     WHERE i.number = ${issue}`;
  await prisma.$executeRawUnsafe(feedback(9001, 'soc-c1', '2026-08-01T00:00:00Z', 6));
  await prisma.$executeRawUnsafe(feedback(9002, null, '2026-05-01T00:00:00Z', 10));
  await prisma.$executeRawUnsafe(feedback(9002, 'soc-c1', '2026-08-20T00:00:00Z', 4));
  await prisma.$executeRawUnsafe(feedback(9002, 'soc-c2', '2026-09-02T00:00:00Z', 1));
}

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
    }),
    { log: () => {} },
  );
  teamsBot = await startBot(
    loadConfig({ ...common, TEAMS_EMULATOR: 'true', BOOTSTRAP_CCO_TEAMS_IDS: teamsCco.aadObjectId }),
    { log: () => {} },
  );
  await seed();
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
});

afterAll(async () => {
  await slackBot?.stop();
  await teamsBot?.stop();
  await slackApi?.close();
  await connector?.close();
  await db?.drop();
});

async function stateCommand(userId: string, text: string, channelId: string) {
  const responseId = `soc-${++responses}`;
  const sent = await sendSlashCommand(slackBot.url, signingSecret, {
    command: '/state-of-the-customer',
    text,
    userId,
    channelId,
    responseUrl: slackApi.responseUrl(responseId),
  });
  expect(sent.status).toBe(200);
  const call = await waitFor(() => slackApi.callsTo('response_url').find((one) => one.args.responseId === responseId), {
    what: `the answer to /state-of-the-customer ${text}`,
  });
  expect(call.args.response_type).toBe('ephemeral');
  return call.args as { text: string; blocks?: unknown };
}

function linksIn(answer: { blocks?: unknown }): URL[] {
  return [...JSON.stringify(answer.blocks).matchAll(/"type":"link","url":"([^"]+)"/g)].map(
    (match) => new URL(match[1]!),
  );
}

const open = (link: URL | string) =>
  fetch(`${slackBot.url}${typeof link === 'string' ? link : `${link.pathname}${link.search}`}`);

/** Share of pixels darker than near-white in a binary PGM (P5) page, which `pdftoppm -gray` writes. */
function inkShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  expect(header, 'a PGM page').not.toBeNull();
  const pixels = pgm.subarray(header![0].length);
  let dark = 0;
  for (const value of pixels) if (value < 200) dark++;
  return dark / pixels.length;
}

/** Shares of clearly green and clearly red pixels in a binary PPM (P6) page, which `pdftoppm` writes by default. */
function colourShares(ppm: Buffer): { green: number; red: number } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString('latin1'));
  expect(header, 'a PPM page').not.toBeNull();
  const pixels = ppm.subarray(header![0].length);
  let green = 0;
  let red = 0;
  for (let at = 0; at + 2 < pixels.length; at += 3) {
    const [r, g, b] = [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!];
    if (g > r + 40 && g > b + 40) green++;
    if (r > g + 60 && r > b + 60) red++;
  }
  const count = pixels.length / 3;
  return { green: green / count, red: red / count };
}

describe('/state-of-the-customer', () => {
  it('refuses staff in plain words and posts nothing', async () => {
    const answer = await stateCommand(staff, '2026-Q3', 'CSTAFFROOM');
    expect(answer.text).toContain('Only the CCO or a leader can post the State of the Customer');
    expect(slackApi.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CSTAFFROOM')).toHaveLength(0);
  });

  it('says what a period looks like when it cannot read one, and posts nothing', async () => {
    const answer = await stateCommand(cco, 'someday', 'CTYPO');
    expect(answer.text).toContain('“someday” is not a year or a quarter');
    expect(answer.text).toContain('Nothing was posted.');
    expect(slackApi.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CTYPO')).toHaveLength(0);
  });

  it('posts the summary in the channel, escaped, and gives the CCO private links to the page and the PDF', async () => {
    const answer = await stateCommand(cco, '2026-Q3', 'CPLANNING');
    const posted = slackApi.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CPLANNING');
    expect(posted).toHaveLength(1);
    const summary = JSON.stringify(posted[0]!.args.blocks);
    expect(summary).toContain('The State of the Customer, Q3 2026 (Jul');
    expect(summary).toContain('What improved');
    expect(summary).toContain('fell from 10 in Q2 2026 (Apr');
    // Customer words cannot ping the channel or reach Slack as markup.
    expect(summary).toContain('Charged twice &lt;!channel&gt;');
    expect(summary).not.toContain('<!channel>');
    expect(summary).toContain('EMEA &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(summary).not.toContain('<script>');
    // The picture is uploaded to Slack and shown by its file id; the words beside it say every number.
    expect(posted[0]!.args.blocks).toContainEqual(
      expect.objectContaining({ type: 'image', slack_file: { id: slackApi.files().at(-1)!.id } }),
    );
    expect(slackApi.files().at(-1)).toMatchObject({ completed: true, filename: 'customer-movement.png' });
    expect(summary).toContain('Customers won and lost, last 13 months');

    expect(answer.text).toContain('Your private links to the full State of the Customer for Q3 2026');
    const [page, pdf] = linksIn(answer);
    expect(page!.origin).toBe(publicUrl);
    expect(page!.pathname).toBe('/state-of-the-customer');
    expect(page!.searchParams.get('period')).toBe('2026-Q3');
    expect(pdf!.pathname).toBe('/state-of-the-customer.pdf');

    const html = await (await open(page!)).text();
    await writeFile(path.join(artifacts, 'state-of-the-customer.html'), html);
    expect(html).toContain('The State of the Customer, Q3 2026');
    expect(html).toContain('Top five problems by market area');
    expect(html).toContain('EMEA &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Billing runs once a month');
    expect(html).toContain('This page is private');
    // The picture travels inside the page, and the words beside it say every number on it.
    expect(html).toContain('<img src="data:image/png;base64,');
    expect(html).toContain('Customers won and lost, last 13 months');
    expect(html).toContain('Aug 26: won 1, lost 1, net ±0');
    expect(html).toContain('Sep 26: won 1, lost 0, net +1');
  });

  it('draws no chart when no customer moved in the months it would show', async () => {
    const [page, pdfLink] = linksIn(await stateCommand(cco, '2025-Q1', 'CQUIETYEAR'));
    const html = await (await open(page!)).text();
    expect(html).toContain('The State of the Customer, Q1 2025');
    expect(html).not.toContain('data:image/png');
    expect(html).not.toContain('Customers won and lost, last');
    const pdf = Buffer.from(await (await open(pdfLink!)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).not.toContain('/Subtype /Image');
  });

  it('refuses the page and the PDF without a valid link, and shows no customer data', async () => {
    const [page, pdf] = linksIn(await stateCommand(cco, '2026-Q3', 'CPLANNING'));
    const otherPeriod = new URL(page!);
    otherPeriod.searchParams.set('period', '2026-Q2');
    // A page's signature does not open the PDF, or another period.
    const pdfWithPageSignature = new URL(pdf!);
    pdfWithPageSignature.searchParams.set('signature', page!.searchParams.get('signature')!);
    for (const refused of [
      '/state-of-the-customer?period=2026-Q3',
      '/state-of-the-customer.pdf?period=2026-Q3',
      otherPeriod,
      pdfWithPageSignature,
    ]) {
      const response = await open(refused);
      expect(response.status).toBe(401);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.text();
      expect(body).toContain('The State of the Customer is private');
      expect(body).not.toContain('Charged twice');
      expect(body).not.toContain('Enterprise');
    }
  });

  it('makes a real PDF: pdftoppm turns it into pages with ink on them, and customer text prints as typed', async () => {
    const [, pdfLink] = linksIn(await stateCommand(cco, '2026-Q3', 'CPLANNING'));
    const response = await open(pdfLink!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = path.join(artifacts, 'state-of-the-customer.pdf');
    await writeFile(file, pdf);

    await run('pdftoppm', ['-png', '-r', '80', file, path.join(artifacts, 'page')]);
    const pngs = (await readdir(artifacts)).filter((name) => name.endsWith('.png'));
    expect(pngs.length).toBeGreaterThanOrEqual(1);
    await run('pdftoppm', ['-gray', '-r', '40', file, path.join(artifacts, 'gray')]);
    const grays = (await readdir(artifacts)).filter((name) => name.startsWith('gray') && name.endsWith('.pgm'));
    expect(grays).toHaveLength(pngs.length);
    for (const gray of grays) expect(inkShare(await readFile(path.join(artifacts, gray)))).toBeGreaterThan(0.002);

    // The first page carries the chart: an image in the document, drawn in the chart's green and red.
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
    await run('pdftoppm', ['-r', '40', '-f', '1', '-l', '1', file, path.join(artifacts, 'colour')]);
    const colour = (await readdir(artifacts)).find((name) => name.startsWith('colour') && name.endsWith('.ppm'));
    const shares = colourShares(await readFile(path.join(artifacts, colour!)));
    expect(shares.green).toBeGreaterThan(0.001);
    expect(shares.red).toBeGreaterThan(0.001);

    const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('The State of the Customer, Q3 2026');
    expect(text).toContain('Customers won and lost, last 13 months');
    expect(text).toContain('Aug 26: won 1, lost 1, net ±0');
    expect(text).toContain(hostileArea);
    expect(text).toContain(hostileIssue);
    expect(text).toContain(hostileReason);
  });
});

describe('state-of-the-customer in Teams', () => {
  it('answers a CCO in a personal chat with the summary card and both private links', async () => {
    const conversation = { id: 'a:personal-soc-cco', conversationType: 'personal' as const };
    const sent = await postActivity(
      teamsBot.url,
      messageActivity(connector.serviceUrl, conversation, teamsCco, 'state-of-the-customer 2026-Q3'),
    );
    expect(sent.status).toBe(200);
    const answer = await waitFor(() => connector.activities(conversation.id)[0], { what: 'the Teams card' });
    const card = JSON.stringify(answer.activity.attachments);
    expect(card).toContain('The State of the Customer, Q3 2026');
    expect(card).toContain('Charged twice \\\\<!channel\\\\>');
    expect(card).toMatch(/\[Open the full report\]\(http:\/\/localhost:\d+\/state-of-the-customer\?/);
    expect(card).toContain('Download the PDF');
    // The chart comes from the bot behind a signed link of its own: the 13 months up to September.
    const image = JSON.parse(card)
      .flatMap((attachment: { content: { body: unknown[] } }) => JSON.stringify(attachment.content.body))
      .join('');
    const chartUrl = /"url":"(http:\/\/localhost:\d+\/charts\/movement\.png\?[^"]+)"/.exec(image)?.[1];
    expect(chartUrl).toBeDefined();
    expect(new URL(chartUrl!).searchParams.get('period')).toBe('2026-09');
    const fetched = await fetch(chartUrl!);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
  });

  it('shows the summary in a channel without links, and says where to ask for them', async () => {
    const conversation = { id: '19:soc-planning@thread.tacv2', conversationType: 'channel' as const };
    const sent = await postActivity(
      teamsBot.url,
      messageActivity(connector.serviceUrl, conversation, teamsCco, 'state-of-the-customer 2026-Q3'),
    );
    expect(sent.status).toBe(200);
    const answer = await waitFor(() => connector.activities(conversation.id)[0], { what: 'the Teams card' });
    const card = JSON.stringify(answer.activity.attachments);
    expect(card).toContain('The State of the Customer, Q3 2026');
    expect(card).not.toContain('signature=');
    expect(card).not.toContain('/charts/movement.png');
    expect(card).toContain('Customers won and lost, last 13 months');
    expect(card).toContain('Ask me in a personal chat');
  });
});
