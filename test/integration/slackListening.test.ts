// The listening path end to end: the real bot (database, HTTP server, Bolt) receives signed
// slash commands and interactive payloads exactly as Slack sends them, and talks to a local
// Slack Web API stand-in. Each test checks what a person in Slack would notice: the answer to
// the command, the reply that replaces it, the announcement in the channel, the thank-you DM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig, type Config } from '../../src/config.js';
import { weekContaining } from '../../src/domain/weeks.js';
import { digestToSlack } from '../../src/render/digestSlack.js';
import { unescapeMrkdwn } from '../../src/render/slackText.js';
import {
  startSlackStandIn,
  type RecordedCall,
  type SlackStandIn,
  type StoredMessage,
} from '../support/slackStandIn.js';
import {
  blockActionsPayload,
  messageShortcutPayload,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
  waitFor,
  type Interaction,
} from '../support/slackRequests.js';
import { outboxSettled } from '../support/outbox.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-listening';
const cco = 'UCCO1';
const staff1 = 'USTAFF1';
const staff2 = 'USTAFF2';
const staff3 = 'USTAFF3';
/** Logged feedback, then left the company: Slack no longer knows them. */
const leaver = 'ULEFT1';
const hopeChannel = 'C0HOPE';
const supportChannel = 'C0SUPPORT';
const noticeEvent = 'customer_growth_notice';

let db: TestDatabase;
let standIn: SlackStandIn;
let config: Config;
let bot: RunningBot;
let botStopped = false;
let responses = 0;
const logs: Array<{ message: string; context?: Record<string, unknown> }> = [];

const prisma = () => db.database.prisma;

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn({ unknownUsers: [leaver] });
  config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: standIn.apiUrl,
    BOOTSTRAP_CCO_SLACK_IDS: cco,
    ORG_TIMEZONE: 'UTC',
  });
  bot = await startBot(config, { log: (message, context) => logs.push({ message, ...(context ? { context } : {}) }) });
});

afterAll(async () => {
  if (!botStopped) await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

interface Sent {
  status: number;
  /** The HTTP response to the request itself: what Slack shows at once. */
  ack: Record<string, unknown> | undefined;
  responseId: string;
}

function parseAck(body: string): Record<string, unknown> | undefined {
  return body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
}

async function slash(userId: string, channelId: string, command: string, text: string): Promise<Sent> {
  const responseId = `resp-${++responses}`;
  const { status, body } = await sendSlashCommand(bot.url, signingSecret, {
    command,
    text,
    userId,
    channelId,
    responseUrl: standIn.responseUrl(responseId),
  });
  return { status, ack: parseAck(body), responseId };
}

async function interact(
  build: (interaction: Interaction) => Record<string, unknown>,
  userId: string,
  channelId: string,
  teamDomain?: string,
): Promise<Sent> {
  const responseId = `resp-${++responses}`;
  const payload = build({
    userId,
    channelId,
    responseUrl: standIn.responseUrl(responseId),
    ...(teamDomain ? { teamDomain } : {}),
  });
  const { status, body } = await sendInteraction(bot.url, signingSecret, payload);
  return { status, ack: parseAck(body), responseId };
}

function answersTo(responseId: string): Array<RecordedCall['args']> {
  return standIn
    .callsTo('response_url')
    .filter((call) => call.args.responseId === responseId)
    .map((call) => call.args);
}

async function firstAnswer(sent: Sent): Promise<RecordedCall['args']> {
  expect(sent.status).toBe(200);
  return waitFor(() => answersTo(sent.responseId)[0], { what: `an answer at response_url ${sent.responseId}` });
}

/** The reply that replaces "Logged as feedback #N" once it is sorted. */
async function sortedReply(sent: Sent): Promise<RecordedCall['args']> {
  expect(sent.status).toBe(200);
  return waitFor(() => answersTo(sent.responseId).find((answer) => answer.replace_original === true), {
    what: `the sorted reply at ${sent.responseId}`,
    timeoutMs: 15_000,
  });
}

async function ephemeralText(userId: string, channelId: string, command: string, text: string): Promise<string> {
  const answer = await firstAnswer(await slash(userId, channelId, command, text));
  expect(answer.response_type).toBe('ephemeral');
  return answer.text as string;
}

function feedbackNumberIn(ack: Record<string, unknown> | undefined): number {
  const match = /^Logged as feedback #(\d+)$/.exec(String(ack?.text));
  if (!match) throw new Error(`not a "Logged as feedback" answer: ${JSON.stringify(ack)}`);
  return Number(match[1]);
}

/** Logs feedback with /feedback and waits until the reply shows where it was filed. */
async function logAndSort(userId: string, channelId: string, text: string) {
  const sent = await slash(userId, channelId, '/feedback', text);
  const number = feedbackNumberIn(sent.ack);
  const reply = await sortedReply(sent);
  const row = await prisma().feedback.findUniqueOrThrow({ where: { number }, include: { issue: true } });
  return { sent, number, reply, row };
}

interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: Array<{
    type: string;
    action_id?: string;
    options?: Array<{ text: { text: string }; value: string }>;
    initial_option?: { text: { text: string }; value: string };
  }>;
  accessory?: { type: string; action_id: string; value: string };
}

function blocksOf(message: Record<string, unknown> | undefined): Block[] {
  return (message?.blocks as Block[] | undefined) ?? [];
}

function shown(message: Record<string, unknown> | undefined): string {
  return JSON.stringify({ text: message?.text, blocks: message?.blocks });
}

function menu(message: Record<string, unknown>, actionId: string) {
  const element = blocksOf(message)
    .find((block) => block.type === 'actions')
    ?.elements?.find((candidate) => candidate.action_id === actionId);
  if (!element) throw new Error(`no ${actionId} menu in ${shown(message)}`);
  return element;
}

function optionNamed(message: Record<string, unknown>, actionId: string, name: string) {
  const option = menu(message, actionId).options?.find((candidate) => candidate.text.text === name);
  if (!option) throw new Error(`no "${name}" in the ${actionId} menu`);
  return { text: option.text.text, value: option.value };
}

function notices(messages: StoredMessage[]): StoredMessage[] {
  return messages.filter((message) => message.metadata?.event_type === noticeEvent);
}

function dms(userId: string): StoredMessage[] {
  return notices(standIn.messages(standIn.dmChannel(userId)));
}

/** Waits until the outbox holds nothing still to send. */

async function feedbackCount(): Promise<number> {
  return prisma().feedback.count();
}

describe('logging feedback from Slack', () => {
  it('answers /feedback with the feedback number once it is stored, then shows where it was filed with menus to correct it', async () => {
    const text = 'The courier left my parcel in the rain and it arrived late';
    const sent = await slash(staff1, supportChannel, '/feedback', text);
    expect(sent.status).toBe(200);
    // The answer to the command itself: no waiting for the classifier.
    expect(sent.ack).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Logged as feedback #\d+$/),
    });
    const number = feedbackNumberIn(sent.ack);
    expect(shown(sent.ack)).toContain(`Logged as feedback *#${number}*`);
    expect(shown(sent.ack)).toContain(`>${text}`);
    // Stored by the time Slack hears back.
    const stored = await prisma().feedback.findUnique({ where: { number } });
    expect(stored).toMatchObject({ text, platform: 'slack', reporterId: staff1, source: 'other' });

    const reply = await sortedReply(sent);
    expect(reply).toMatchObject({
      response_type: 'ephemeral',
      replace_original: true,
      text: `Logged as feedback #${number}`,
    });
    expect(shown(reply)).toContain('Filed under *Use* › *Delivery*');
    const actions = blocksOf(reply).find((block) => block.type === 'actions')!;
    expect(actions.block_id).toBe(`feedback:${stored!.id}`);
    expect(actions.elements!.map((element) => [element.type, element.action_id])).toEqual([
      ['static_select', 'feedback_stage'],
      ['static_select', 'feedback_category'],
      ['static_select', 'feedback_source'],
    ]);
    expect(menu(reply, 'feedback_stage').initial_option?.text.text).toBe('Use');
    expect(menu(reply, 'feedback_category').initial_option?.text.text).toBe('Delivery');
    expect(menu(reply, 'feedback_source').initial_option?.value).toBe('other');
    const row = await prisma().feedback.findUniqueOrThrow({ where: { number } });
    expect(row.issueId).not.toBeNull();
  });

  it('lets the reporter correct the category from the reply, and plainly refuses another staff member', async () => {
    const { reply, row } = await logAndSort(
      staff1,
      supportChannel,
      'Parcel delivery was late again and the box was damaged',
    );
    expect(shown(reply)).toContain('*Delivery*');
    const quality = optionNamed(reply, 'feedback_category', 'Product quality');
    const blockId = `feedback:${row.id}`;

    const corrected = await interact(
      (at) => blockActionsPayload(at, { actionId: 'feedback_category', blockId, selected: quality }),
      staff1,
      supportChannel,
    );
    expect(corrected.status).toBe(200);
    const replaced = await firstAnswer(corrected);
    expect(replaced).toMatchObject({
      response_type: 'ephemeral',
      replace_original: true,
      text: `Logged as feedback #${row.number}`,
    });
    expect(shown(replaced)).toContain('› *Product quality*');
    expect(menu(replaced, 'feedback_category').initial_option?.value).toBe(quality.value);
    expect(await prisma().feedback.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      categoryId: quality.value,
      classifiedBy: 'person',
    });

    const price = optionNamed(reply, 'feedback_category', 'Price');
    const refused = await interact(
      (at) => blockActionsPayload(at, { actionId: 'feedback_category', blockId, selected: price }),
      staff2,
      supportChannel,
    );
    const refusal = await firstAnswer(refused);
    expect(refusal.text).toBe(
      'Only the CCO or a leader can correct feedback someone else logged. You are staff here; ask your CCO if that should change.',
    );
    expect(refusal.replace_original).not.toBe(true);
    expect(await prisma().feedback.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      categoryId: quality.value,
      classifiedBy: 'person',
    });
  });

  it('opens the feedback form when /feedback has nothing after it', async () => {
    const before = await feedbackCount();
    const sent = await slash(staff1, supportChannel, '/feedback', '    ');
    expect(sent.status).toBe(200);
    const opened = await waitFor(
      () =>
        standIn
          .callsTo('views.open')
          .find((call) => (call.args.view as { callback_id?: string }).callback_id === 'feedback_modal'),
      { what: 'the feedback form' },
    );
    const view = opened.args.view as { private_metadata: string; blocks: Array<{ block_id: string }> };
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: supportChannel });
    expect(view.blocks.map((block) => block.block_id)).toEqual([
      'verbatim',
      'customer',
      'source',
      'stage',
      'category',
      'severity',
    ]);
    expect(answersTo(sent.responseId)).toEqual([]);
    expect(await feedbackCount()).toBe(before);
  });

  it('stores a 10,000-character text whole and says so in its first answer', async () => {
    const sentence = 'The parcel arrived late and the courier never called. ';
    const text = sentence.repeat(Math.ceil(10_000 / sentence.length)).slice(0, 9_999) + '!';
    expect(text).toHaveLength(10_000);
    const sent = await slash(staff2, supportChannel, '/feedback', text);
    expect(sent.status).toBe(200);
    const number = feedbackNumberIn(sent.ack);
    expect(shown(sent.ack)).toContain('All 10,000 characters are stored');
    const row = await prisma().feedback.findUniqueOrThrow({ where: { number } });
    expect(row.text).toHaveLength(10_000);
    expect(row.text).toBe(text);
    // Every block stays within Slack's 3,000-character limit, quote included.
    for (const block of blocksOf(sent.ack)) expect(JSON.stringify(block).length).toBeLessThan(3_200);
    await sortedReply(sent);
  });

  it('stores the customer’s words as typed, not as Slack escaped them', async () => {
    const { row, reply } = await logAndSort(
      staff1,
      supportChannel,
      'Our R&amp;D team says the invoice shows 3 &lt; 4 items',
    );
    expect(row.text).toBe('Our R&D team says the invoice shows 3 < 4 items');
    expect(shown(reply)).toContain('Our R&amp;D team says the invoice shows 3 &lt; 4 items');
  });

  it('stores emoji-only feedback and asks the reporter to pick the stage and category', async () => {
    const { reply, row } = await logAndSort(staff2, supportChannel, '😡😡😡');
    expect(row).toMatchObject({ text: '😡😡😡', stageId: null, categoryId: null, issueId: null });
    expect(shown(reply)).toContain('please pick them below so it counts');
    expect(menu(reply, 'feedback_stage').initial_option).toBeUndefined();
    expect(menu(reply, 'feedback_category').initial_option).toBeUndefined();
  });

  it('answers a message shortcut on a message without text in plain words, storing nothing', async () => {
    const before = await feedbackCount();
    const sent = await interact(
      (at) =>
        messageShortcutPayload(at, 'log_feedback', {
          ts: '1712345600.000100',
          user: 'UCUSTOMERFACING',
          files: [{ id: 'F0PHOTO', name: 'receipt.png' }],
        }),
      staff1,
      'C0CHATTER',
    );
    const answer = await firstAnswer(sent);
    expect(answer).toMatchObject({
      response_type: 'ephemeral',
      text: 'Nothing was saved: that message has no text to log (only files or attachments). Use `/feedback` and write what the customer said.',
    });
    expect(await feedbackCount()).toBe(before);
  });

  it('logs a message through the shortcut with a link back to the message', async () => {
    const text = 'Customer on the phone: the courier threw the parcel over the fence';
    const sent = await interact(
      (at) => messageShortcutPayload(at, 'log_feedback', { ts: '1712345678.123456', user: 'UCUSTOMERFACING', text }),
      staff3,
      'C0CHATTER',
      'acme-growth',
    );
    expect(sent.status).toBe(200);
    const first = await firstAnswer(sent);
    const number = feedbackNumberIn(first);
    const row = await prisma().feedback.findUniqueOrThrow({ where: { number } });
    expect(row).toMatchObject({
      text,
      reporterId: staff3,
      messageLink: 'https://acme-growth.slack.com/archives/C0CHATTER/p1712345678123456',
    });
    expect(shown(await sortedReply(sent))).toContain('Filed under *Use* › *Delivery*');
  });

  it('keeps feedback from a form whose stage was retired, without the stage, and says so', async () => {
    const vocabulary = await bot.services.language.vocabulary();
    const staffCategory = vocabulary.categories.find((category) => category.name === 'Staff and service')!;
    const retiredStage = '4b0c8a2e-9d1f-4c5e-8a7b-3f2e1d0c9b8a';
    const text = 'The staff member was rude to my mother';
    const submitted = await interact(
      () =>
        viewSubmissionPayload(staff1, {
          callbackId: 'feedback_modal',
          privateMetadata: JSON.stringify({ channelId: supportChannel }),
          values: {
            verbatim: { value: { type: 'plain_text_input', value: text } },
            customer: { customer_search: { type: 'external_select', selected_option: null } },
            source: {
              value: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'store' }, value: 'store' },
              },
            },
            stage: {
              value: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'Onboarding' }, value: retiredStage },
              },
            },
            category: {
              value: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: staffCategory.name }, value: staffCategory.id },
              },
            },
            severity: { value: { type: 'static_select', selected_option: null } },
          },
        }),
      staff1,
      supportChannel,
    );
    // The form closes: an empty acknowledgement, no errors on it.
    expect(submitted).toMatchObject({ status: 200, ack: undefined });
    const row = await waitFor(
      () =>
        prisma()
          .feedback.findFirst({ where: { text } })
          .then((found) => found ?? undefined),
      { what: 'the submitted feedback' },
    );
    expect(row).toMatchObject({ reporterId: staff1, source: 'store', stageId: null, categoryId: staffCategory.id });

    const reply = await waitFor(
      () =>
        standIn
          .ephemerals(supportChannel)
          .find((message) => message.user === staff1 && message.text === `Logged as feedback #${row.number}`),
      {
        what: 'the reply in the channel the form was opened from',
        timeoutMs: 15_000,
      },
    );
    expect(JSON.stringify(reply.blocks)).toContain(
      'The journey stage you picked is no longer in the company list, so I left it for you to choose again.',
    );
    expect(JSON.stringify(reply.blocks)).toContain('please pick them below so it counts');
  });

  it('sends the form’s reply as a direct message when it cannot post in the channel', async () => {
    standIn.notInChannel.add('G0PRIVATE');
    const text = 'The welcome email after sign up was confusing';
    const submitted = await interact(
      () =>
        viewSubmissionPayload(staff2, {
          callbackId: 'feedback_modal',
          privateMetadata: JSON.stringify({ channelId: 'G0PRIVATE' }),
          values: {
            verbatim: { value: { type: 'plain_text_input', value: text } },
            source: {
              value: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'call centre' }, value: 'call_centre' },
              },
            },
          },
        }),
      staff2,
      'G0PRIVATE',
    );
    expect(submitted.status).toBe(200);
    const dm = await waitFor(
      () =>
        standIn.messages(standIn.dmChannel(staff2)).find((message) => message.text.startsWith('Logged as feedback #')),
      { what: 'the reply by DM', timeoutMs: 15_000 },
    );
    expect(JSON.stringify(dm.blocks)).toContain('Filed under *Start* › *Communication*');
    expect(standIn.callsTo('conversations.open').map((call) => call.args.users)).toContain(staff2);
  });

  it('says plainly that an issue number does not exist', async () => {
    expect(await ephemeralText(cco, supportChannel, '/resolve', '99999 fixed it')).toBe(
      'There is no issue #99999. `/issues` lists the open ones.',
    );
  });
});

describe('marketing hope: a fix is announced and the reporters are thanked', () => {
  const billing = [
    [staff1, 'Customer was charged twice on their renewal invoice and wants a refund'],
    [staff2, 'Charged twice for the renewal invoice, the customer asked for a refund'],
    [leaver, 'The renewal invoice charged them twice, refund please'],
    [staff1, 'Renewal invoice charged twice again, customer wants a refund today'],
  ] as const;
  const whatChanged = 'We now refund double charges automatically within 24 hours';

  it('announces once in the hope channel and thanks each reporter once, even when a reporter has left', async () => {
    expect(await ephemeralText(cco, hopeChannel, '/issues', 'announce-here')).toBe(
      'When an issue is resolved, I will announce what changed in this channel. In a private channel, invite me so I can post.',
    );

    const logged = [];
    for (const [userId, text] of billing) logged.push(await logAndSort(userId, supportChannel, text));
    const issueIds = new Set(logged.map(({ row }) => row.issueId));
    expect(issueIds.size).toBe(1);
    const issue = logged[0]!.row.issue!;
    expect(shown(logged[0]!.reply)).toContain('Filed under *Use* › *Billing*');
    expect(shown(logged[3]!.reply)).toContain(`with issue *#${issue.number}*`);

    // Anyone can see the open issues; each has its own Resolve button.
    const list = await firstAnswer(await slash(staff1, supportChannel, '/issues', ''));
    const line = blocksOf(list).find((block) => block.block_id === `issue:${issue.number}`);
    expect(line?.text?.text).toContain('Use › Billing · 4 reports');
    expect(line?.accessory).toMatchObject({ type: 'button', action_id: 'issue_resolve', value: String(issue.number) });

    // The button opens the resolve form for a leader, with the issue chosen.
    const pressed = await interact(
      (at) =>
        blockActionsPayload(at, {
          actionId: 'issue_resolve',
          blockId: `issue:${issue.number}`,
          value: String(issue.number),
        }),
      cco,
      supportChannel,
    );
    expect(pressed.status).toBe(200);
    const form = await waitFor(
      () =>
        standIn
          .callsTo('views.open')
          .find((call) => (call.args.view as { callback_id?: string }).callback_id === 'resolve_modal'),
      { what: 'the resolve form' },
    );
    expect(JSON.stringify(form.args.view)).toContain(
      `"initial_option":{"text":{"type":"plain_text","text":"#${issue.number} `,
    );

    const refusal = await ephemeralText(staff2, supportChannel, '/resolve', `${issue.number} Fixed the double charges`);
    expect(refusal).toBe(
      'Only the CCO or a leader can mark an issue resolved. You are staff here; ask your CCO if that should change.',
    );
    expect(await prisma().issue.findUniqueOrThrow({ where: { id: issue.id } })).toMatchObject({ status: 'open' });
    expect(await prisma().notice.count()).toBe(0);

    const resolved = await ephemeralText(cco, supportChannel, '/resolve', `${issue.number} ${whatChanged}`);
    expect(resolved).toBe(
      `Issue #${issue.number} is resolved. I am announcing it in 1 channel, and thanking 3 people who logged it.`,
    );
    await outboxSettled(bot.services, prisma());

    const announcements = notices(standIn.messages(hopeChannel));
    expect(announcements).toHaveLength(1);
    expect(announcements[0]!.text).toBe(`You told us: ${issue.title}. Here is what we changed.`);
    expect(JSON.stringify(announcements[0]!.blocks)).toContain(`*What we changed:* ${whatChanged}`);
    expect(JSON.stringify(announcements[0]!.blocks)).toContain('_4 reports via other · Use › Billing_');

    // One DM per person, however many times they logged it.
    const [first, second, , fourth] = logged.map(({ number }) => number);
    expect(dms(staff1)).toHaveLength(1);
    expect(JSON.stringify(dms(staff1)[0]!.blocks)).toContain(`The feedback you logged (#${first}, #${fourth})`);
    expect(dms(staff2)).toHaveLength(1);
    expect(JSON.stringify(dms(staff2)[0]!.blocks)).toContain(`The feedback you logged (#${second})`);
    expect(JSON.stringify(dms(staff2)[0]!.blocks)).toContain(`*What changed:* ${whatChanged}`);
    expect(standIn.messages(standIn.dmChannel(leaver))).toEqual([]);
    expect(standIn.callsTo('conversations.open').map((call) => call.args.users)).toEqual(
      expect.arrayContaining([staff1, staff2, leaver]),
    );

    const rows = await prisma().notice.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows.map((row) => [row.kind, row.target, row.status])).toEqual(
      expect.arrayContaining([
        ['hopeAnnouncement', hopeChannel, 'sent'],
        ['hopeThanks', staff1, 'sent'],
        ['hopeThanks', staff2, 'sent'],
        ['hopeThanks', leaver, 'undeliverable'],
      ]),
    );
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row.target === leaver)?.lastError).toBe('Slack said user_not_found');
    expect(rows.find((row) => row.target === hopeChannel)?.messageId).toBe(announcements[0]!.ts);

    // Sending again owes nothing: no second announcement, no second thank-you.
    const postsBefore = standIn.callsTo('chat.postMessage').length;
    await bot.services.sendNotices();
    await bot.services.sendNotices();
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    expect(notices(standIn.messages(hopeChannel))).toHaveLength(1);
    expect(dms(staff1)).toHaveLength(1);
    expect(dms(staff2)).toHaveLength(1);
  });

  it('reopens the issue when customers raise it again, and tells whoever resolved it', async () => {
    const issue = await prisma().issue.findFirstOrThrow({
      where: { status: 'resolved', category: { name: 'Billing' } },
    });
    expect(dms(cco)).toEqual([]);
    const { row, reply } = await logAndSort(
      staff3,
      supportChannel,
      'Charged twice on the renewal invoice again, customer wants a refund',
    );
    expect(row.issueId).toBe(issue.id);
    expect(shown(reply)).toContain(`with issue *#${issue.number}*`);
    expect(await prisma().issue.findUniqueOrThrow({ where: { id: issue.id } })).toMatchObject({ status: 'open' });

    const [alert] = await waitFor(() => dms(cco).length > 0 && dms(cco), {
      what: 'the resolver’s DM',
      timeoutMs: 15_000,
    });
    expect(alert!.text).toBe(`Issue #${issue.number} is open again: customers are still raising it.`);
    expect(JSON.stringify(alert!.blocks)).toContain(`New feedback #${row.number}`);
    expect(JSON.stringify(alert!.blocks)).toContain('We now refund double charges automatically within 24 hours');
    await outboxSettled(bot.services, prisma());
    expect(dms(cco)).toHaveLength(1);
  });
});

/** Every string in a message, however deeply nested (text, blocks, options, metadata). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Slack markup that would ping, link or mention: `<!channel>`, `<!subteam^…>`, `<https://…|…>`,
 * `<@U…>`, `<#C…>`. Only the bot's own mentions of people it knows by id may appear.
 */
function liveMarkup(message: unknown, botMentions: ReadonlySet<string>): string[] {
  return stringsIn(message).flatMap((text) =>
    [...text.matchAll(/<(?:!|@|#|http)[^>]*>?/g)]
      .map((match) => match[0])
      .filter((markup) => !botMentions.has(/^<@([UW][A-Z0-9]+)>$/.exec(markup)?.[1] ?? '')),
  );
}

describe('customers’ words never ping, mention or disguise a link', () => {
  const rude = ' the agent was rude and kept me on hold';
  const hostile = [
    '<!channel> refund now,' + rude,
    '<!here>' + rude,
    '<!subteam^S123>' + rude,
    '<https://evil.example|yourbank.com> login,' + rude,
    '@channel' + rude,
    '&lt;!channel&gt;' + rude,
    '<@U0VICTIM> and <#C0SECRET|secret> said' + rude,
  ];

  it('escapes them in every message the bot sends: answers, replies, announcement, thanks and digest', async () => {
    const reporters = [staff1, staff2, staff3];
    const sent: Array<Record<string, unknown>> = [];
    const numbers: number[] = [];
    for (const [index, text] of hostile.entries()) {
      const {
        sent: request,
        number,
        reply,
      } = await logAndSort(reporters[index % reporters.length]!, supportChannel, text);
      numbers.push(number);
      sent.push(request.ack!, ...answersTo(request.responseId));
      expect(shown(reply)).toContain('Filed under *Get help* › *Staff and service*');
    }
    expect(shown(sent[0])).toContain('>&lt;!channel&gt; refund now,');
    expect(shown(sent.find((message) => shown(message).includes('evil.example')))).toContain(
      '&lt;https://evil.example|yourbank.com&gt; login',
    );

    const rows = await prisma().feedback.findMany({ where: { number: { in: numbers } } });
    // Stored as typed: Slack's own escapes (how it sends a literal "<") are undone, nothing else.
    expect(rows.map((row) => row.text).sort()).toEqual(hostile.map(unescapeMrkdwn).sort());
    const issueNumbers = [
      ...new Set(
        await Promise.all(
          rows.map(async (row) => (await prisma().issue.findUniqueOrThrow({ where: { id: row.issueId! } })).number),
        ),
      ),
    ];

    expect(issueNumbers).toHaveLength(1);
    const list = await firstAnswer(await slash(staff1, supportChannel, '/issues', 'list'));
    sent.push(list);
    expect(shown(list)).toContain('&lt;!channel&gt; refund now');

    await ephemeralText(cco, hopeChannel, '/issues', 'announce-here');
    const before = standIn.calls.length;
    for (const number of issueNumbers) {
      const answer = await firstAnswer(
        await slash(
          cco,
          supportChannel,
          '/resolve',
          `${number} Agents now call back within the hour <!channel> <https://evil.example|details>`,
        ),
      );
      expect(answer.text).toMatch(new RegExp(`^Issue #${number} is resolved\\.`));
      sent.push(answer);
    }
    await outboxSettled(bot.services, prisma());
    const posted = standIn.calls.slice(before).filter((call) => call.method === 'chat.postMessage');
    const announcements = posted.filter((call) => call.args.channel === hopeChannel);
    expect(announcements).toHaveLength(issueNumbers.length);
    const thanks = posted.filter((call) => String(call.args.channel).startsWith('D'));
    expect(thanks.map((call) => call.args.channel).sort()).toEqual(reporters.map((id) => standIn.dmChannel(id)).sort());
    expect(shown(announcements[0]!.args)).toContain('&lt;!channel&gt; refund now');
    expect(shown(announcements[0]!.args)).toContain(
      '*What we changed:* Agents now call back within the hour &lt;!channel&gt; &lt;https://evil.example|details&gt;',
    );
    sent.push(...posted.map((call) => call.args));

    const digest = digestToSlack(await bot.services.digestFor(weekContaining(new Date(), 'UTC')));
    const digestText = JSON.stringify(digest);
    expect(digestText).toContain('&lt;!channel&gt; refund now'); // the issue's title, in the week's issues and what was fixed
    expect(digestText).toContain('Agents now call back within the hour &lt;!channel&gt;');
    expect(digestText).toContain('*In their words*');
    sent.push(...digest.map((message) => ({ ...message })));

    // The only people the bot may mention are the ones it knows by id; here it mentions nobody.
    const botMentions = new Set([cco, staff1, staff2, staff3]);
    for (const message of sent) expect(liveMarkup(message, botMentions), shown(message)).toEqual([]);
    // And it never asks Slack to turn plain "@channel" into a ping.
    for (const call of standIn.callsTo('chat.postMessage')) {
      expect(call.args.link_names).toBeFalsy();
      expect(call.args.parse).not.toBe('full');
    }
    for (const answer of standIn.callsTo('response_url')) expect(answer.args.link_names).toBeFalsy();
  });
});

describe('a notice whose post landed but was never confirmed', () => {
  it('is found in the channel after a restart and not posted again', async () => {
    const reports = [
      await logAndSort(staff1, supportChannel, 'The app login page is broken on my phone'),
      await logAndSort(staff2, supportChannel, 'Login page of the app is broken again on the phone'),
    ];
    const issue = reports[0]!.row.issue!;
    expect(reports[1]!.row.issueId).toBe(issue.id);
    await outboxSettled(bot.services, prisma());

    // Slack takes the announcement, but the bot never hears back: then the process dies.
    const landed = standIn.holdNext('chat.postMessage', (args) => args.channel === hopeChannel);
    const resolved = await ephemeralText(
      cco,
      supportChannel,
      '/resolve',
      `${issue.number} The login page was rebuilt and now works on every phone`,
    );
    expect(resolved).toContain(`Issue #${issue.number} is resolved.`);
    await landed;
    const held = notices(standIn.messages(hopeChannel)).at(-1)!;
    expect(JSON.stringify(held.blocks)).toContain('The login page was rebuilt');
    const notice = await prisma().notice.findFirstOrThrow({
      where: { kind: 'hopeAnnouncement', status: 'sending', target: hopeChannel },
    });
    expect(held.metadata?.event_payload.notice_id).toBe(notice.id);

    // The held request stays unanswered: a dead process never records anything more.
    botStopped = true;
    await bot.stop();

    bot = await startBot(config, {
      log: (message, context) => logs.push({ message, ...(context ? { context } : {}) }),
    });
    botStopped = false;
    // A new process leaves a live lease alone...
    await bot.services.sendNotices();
    expect(await prisma().notice.findUniqueOrThrow({ where: { id: notice.id } })).toMatchObject({
      status: 'sending',
      attempts: 1,
    });

    // ...and once the lease has run out, it takes the notice over and looks before it posts.
    await prisma().notice.updateMany({
      where: { status: 'sending' },
      data: { notBefore: new Date(Date.now() - 1000) },
    });
    const before = standIn.calls.length;
    await bot.services.sendNotices();
    const after = standIn.calls.slice(before);

    expect(
      after.filter((call) => call.method === 'conversations.history' && call.args.channel === hopeChannel),
    ).toHaveLength(1);
    expect(after.filter((call) => call.method === 'chat.postMessage' && call.args.channel === hopeChannel)).toEqual([]);
    const announcements = notices(standIn.messages(hopeChannel)).filter(
      (message) => message.metadata?.event_payload.notice_id === notice.id,
    );
    expect(announcements).toHaveLength(1);
    expect(await prisma().notice.findUniqueOrThrow({ where: { id: notice.id } })).toMatchObject({
      status: 'sent',
      messageId: held.ts,
      attempts: 2,
    });

    // The thank-you notes queued behind it go out once each.
    await outboxSettled(bot.services, prisma());
    for (const reporter of [staff1, staff2]) {
      const thanks = dms(reporter).filter((message) =>
        JSON.stringify(message.blocks).includes('The login page was rebuilt'),
      );
      expect(thanks).toHaveLength(1);
    }
    standIn.releaseHeld();
  });
});

describe('along the way', () => {
  it('logged no failure of its own', () => {
    // The restarted process's predecessor may log its unanswered post; nothing else should fail.
    const failures = logs.filter(
      (entry) =>
        /failed|error/i.test(entry.message) &&
        entry.message !== 'sending notices failed' &&
        entry.message !== 'notice failed; it will be retried',
    );
    expect(failures).toEqual([]);
  });
});
