// Teams parity, end to end: feedback, corrections, issues, resolve and marketing hope,
// campaigns and call cards, over real HTTP activities to /api/messages (emulator-mode
// authentication), a Bot Framework connector stand-in and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../../src/startBot.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import type { ConnectorStandIn, PostedActivity } from '../support/connectorStandIn.js';
import {
  botAddedActivity,
  installActivity,
  mentionActivity,
  messageActivity,
  postActivity,
  submitActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { outboxSettled } from '../support/outbox.js';
import { startTeamsBot, type TeamsBot } from '../support/teamsBot.js';
import type { TestDatabase } from '../support/testDatabase.js';

const cco: TeamsUser = { id: '29:cco', aadObjectId: 'a0000000-0000-4000-8000-00000000cc00', name: 'Chris CCO' };
const staff: TeamsUser = { id: '29:staff', aadObjectId: 'a0000000-0000-4000-8000-000000005a01', name: 'Sam Staff' };
const rep: TeamsUser = { id: '29:rep', aadObjectId: 'a0000000-0000-4000-8000-000000005a02', name: 'Robin Rep' };
const dana: TeamsUser = { id: '29:dana', aadObjectId: 'a0000000-0000-4000-8000-00000000da01', name: 'Dana Lee' };
const lee: TeamsUser = { id: '29:lee', aadObjectId: 'a0000000-0000-4000-8000-00000000da02', name: 'Lee Park' };
/** Only ever logs feedback, in a chat of their own. */
const kim: TeamsUser = { id: '29:kim', aadObjectId: 'a0000000-0000-4000-8000-00000000da03', name: 'Kim Ode' };
const email = (user: TeamsUser) => `${user.name.split(' ')[0]!.toLowerCase()}@example.com`;
const leadership: TeamsConversationShape = { id: '19:leadership@thread.tacv2', conversationType: 'channel' };
const personal = (user: TeamsUser): TeamsConversationShape => ({
  id: `a:personal-${user.id.slice(3)}`,
  conversationType: 'personal',
});

let teams: TeamsBot;
let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;

beforeAll(async () => {
  teams = await startTeamsBot({ BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId!, ORG_CURRENCY: 'EUR' });
  ({ db, connector, bot } = teams);
  for (const user of [cco, staff, rep, dana, lee])
    connector.addMember({ id: user.id, aadObjectId: user.aadObjectId!, name: user.name, email: email(user) });
});

afterAll(() => teams?.stop());

/** Everything the stand-in changed in a conversation while `send` ran (new activities; updates are applied in place). */
async function exchange(conversation: TeamsConversationShape, activity: unknown): Promise<PostedActivity[]> {
  const before = connector.activities(conversation.id).length;
  const sent = await postActivity(bot.url, activity);
  expect(sent.status).toBe(200);
  return connector.activities(conversation.id).slice(before);
}
const say = (from: TeamsUser, conversation: TeamsConversationShape, words: string) =>
  exchange(conversation, messageActivity(connector.serviceUrl, conversation, from, words));
const press = (
  from: TeamsUser,
  conversation: TeamsConversationShape,
  value: Record<string, unknown>,
  replyToId?: string,
) => exchange(conversation, submitActivity(connector.serviceUrl, conversation, from, value, replyToId));

interface CardJson {
  body: unknown[];
  actions?: Array<{ type?: string; title?: string; data?: Record<string, unknown> }>;
}
function cardOf(posted: PostedActivity): CardJson {
  const attachments = posted.activity.attachments as Array<{ contentType: string; content: CardJson }>;
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(adaptiveCardProblems(attachments[0]!.content)).toEqual([]);
  return attachments[0]!.content;
}
function onlyCard(answers: PostedActivity[]): CardJson {
  expect(answers).toHaveLength(1);
  return cardOf(answers[0]!);
}
const shown = (card: CardJson) => JSON.stringify(card);
/** The card's words with Markdown escapes and JSON quoting taken out, as a person reads them. */
const readable = (card: CardJson) => JSON.stringify(card).replace(/\\/g, '');
const updatesOf = (activityId: string) =>
  connector.calls.filter((call) => call.operation === 'update' && call.activityId === activityId);
/** Sorting runs after the turn has answered; it ends by updating the answer in place. */
const sorted = (answers: PostedActivity[]) =>
  vi.waitFor(() => expect(updatesOf(answers[0]!.id)).toHaveLength(1), { timeout: 30_000, interval: 50 });

describe('Teams listening path', () => {
  it('stores feedback before it answers, then files it and updates the same message with a correction form', async () => {
    const chat = personal(staff);
    let storedWhenAnswered: number | undefined;
    connector.onActivity(async () => {
      storedWhenAnswered ??= await db.database.prisma.feedback.count({ where: { reporterId: staff.aadObjectId } });
    });
    const answers = await say(staff, chat, 'feedback The refund took three weeks and nobody called back');
    connector.onActivity(undefined);
    expect(storedWhenAnswered).toBe(1);
    await sorted(answers);

    const card = onlyCard(answers);
    const stored = await db.database.prisma.feedback.findFirstOrThrow({ where: { reporterId: staff.aadObjectId } });
    expect(stored.text).toBe('The refund took three weeks and nobody called back');
    expect(shown(card)).toContain(`Logged as feedback #${stored.number}`);
    // The first answer said "Sorting…"; the update replaced it in place with where it went and the form.
    expect(updatesOf(answers[0]!.id)).toHaveLength(1);
    expect(
      card.body
        .filter((element) => (element as { type: string }).type === 'Input.ChoiceSet')
        .map((element) => (element as { id: string }).id),
    ).toEqual(['stage', 'category', 'source']);
    expect(card.actions?.[0]?.data).toEqual({ action: 'feedback_correct', feedbackId: stored.id });
  });

  it('takes a correction from the card’s Action.Submit and redraws the card in place', async () => {
    const chat = personal(staff);
    const stored = await db.database.prisma.feedback.findFirstOrThrow({ where: { reporterId: staff.aadObjectId } });
    const vocabulary = await bot.services.language.vocabulary();
    const stage = vocabulary.stages.find((candidate) => candidate.id !== stored.stageId)!;
    const messageId = connector.activities(chat.id).at(-1)!.id;
    const answers = await press(
      staff,
      chat,
      {
        action: 'feedback_correct',
        feedbackId: stored.id,
        stage: stage.id,
        category: stored.categoryId ?? vocabulary.categories[0]!.id,
        source: 'web',
      },
      messageId,
    );
    expect(answers).toEqual([]);
    const corrected = await db.database.prisma.feedback.findUniqueOrThrow({ where: { id: stored.id } });
    expect(corrected).toMatchObject({ stageId: stage.id, source: 'web', classifiedBy: 'person' });
    const redrawn = cardOf(connector.activities(chat.id).find((entry) => entry.id === messageId)!);
    expect(shown(redrawn)).toContain(`"value":"${stage.id}"`);
  });

  it('refuses a correction from someone else in plain words', async () => {
    const stored = await db.database.prisma.feedback.findFirstOrThrow({ where: { reporterId: staff.aadObjectId } });
    const card = onlyCard(
      await press(rep, personal(rep), { action: 'feedback_correct', feedbackId: stored.id, source: 'store' }),
    );
    expect(shown(card)).toContain('Only the CCO or a leader can correct feedback someone else logged.');
    expect((await db.database.prisma.feedback.findUniqueOrThrow({ where: { id: stored.id } })).source).toBe('web');
  });

  it('opens a form for bare “feedback”, logs what it sends, and answers bad input plainly', async () => {
    const chat = personal(rep);
    const form = onlyCard(await say(rep, chat, 'feedback'));
    expect(form.actions?.[0]?.data).toEqual({ action: 'feedback_log' });
    expect(shown(form)).toContain('"id":"verbatim"');

    const logged = await press(rep, chat, {
      action: 'feedback_log',
      verbatim: 'Checkout\nfailed twice on mobile',
      source: 'web',
      severity: 'high',
    });
    expect(shown(onlyCard(logged))).toContain('Logged as feedback #');
    expect(
      await db.database.prisma.feedback.findFirst({
        where: {
          reporterId: rep.aadObjectId,
          text: 'Checkout\nfailed twice on mobile',
          source: 'web',
          severity: 'high',
        },
      }),
    ).not.toBeNull();

    expect(shown(onlyCard(await press(rep, chat, { action: 'feedback_log', verbatim: '   ' })))).toContain(
      'Nothing was saved: there is no text to log yet.',
    );
    expect(shown(onlyCard(await say(rep, chat, `feedback ${'x'.repeat(50_001)}`)))).toContain(
      'Nothing was saved: that is longer than 50,000 characters.',
    );
    expect(await db.database.prisma.feedback.count({ where: { reporterId: rep.aadObjectId } })).toBe(1);
    expect(shown(onlyCard(await say(rep, chat, 'feedback 😡😡😡')))).toContain('Logged as feedback #');
    expect(await db.database.prisma.feedback.findFirst({ where: { text: '😡😡😡' } })).not.toBeNull();
  });

  it('never lets what someone typed become a link or a mention on any card', async () => {
    const chat = personal(rep);
    const answers = await say(rep, chat, 'feedback [bank](https://evil.example) <at>channel</at> **now**');
    const text = shown(onlyCard(answers));
    expect(text).not.toMatch(/(^|[^\\])<at>/);
    expect(text).not.toMatch(/(^|[^\\])\[bank(\\\\)?\]\(/);
    expect(text).toContain('\\\\[bank\\\\]\\\\(https://evil.example\\\\) \\\\<at\\\\>channel\\\\</at\\\\>');
    const issues = shown(onlyCard(await say(rep, chat, 'issues')));
    expect(issues).not.toMatch(/(^|[^\\])<at>/);
    expect(issues).not.toMatch(/(^|[^\\])\[bank(\\\\)?\]\(/);
  });

  it('keeps saying why a chosen stage was left out once the feedback is filed', async () => {
    const retiredOrUnknown = '00000000-0000-4000-8000-000000000000';
    const answers = await press(rep, personal(rep), {
      action: 'feedback_log',
      verbatim: 'The parcel arrived late and damaged',
      source: 'store',
      stage: retiredOrUnknown,
    });
    await sorted(answers);
    const card = onlyCard(answers);
    expect(updatesOf(answers[0]!.id)).toHaveLength(1);
    expect(shown(card)).toContain('"action":"feedback_correct"');
    expect(readable(card)).toContain(
      'The journey stage you picked is no longer in the company list, so I left it for you to choose again.',
    );
  });
});

describe('Teams feedback sent twice', () => {
  it('stores a redelivered activity once and answers it with the same feedback number', async () => {
    const chat = personal(kim);
    const activity = messageActivity(
      connector.serviceUrl,
      chat,
      kim,
      'feedback The invoice PDF will not open on my phone',
    );
    const first = onlyCard(await exchange(chat, activity));
    const stored = await db.database.prisma.feedback.findMany({ where: { reporterId: kim.aadObjectId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.platformMessageId).toBe(`${chat.id} ${activity.id}`);
    expect(readable(first)).toContain(`Logged as feedback #${stored[0]!.number}`);

    // Teams delivers the same activity again (it retries when an answer is slow): nothing new, the same answer.
    const again = onlyCard(await exchange(chat, activity));
    expect(readable(again)).toContain(`Logged as feedback #${stored[0]!.number}`);
    expect(await db.database.prisma.feedback.count({ where: { reporterId: kim.aadObjectId } })).toBe(1);
  });

  it('keeps feedback from another conversation that happens to carry the same activity id', async () => {
    // Teams activity ids are unique only within a conversation: someone else's message must not be taken for a redelivery.
    const first = messageActivity(
      connector.serviceUrl,
      personal(rep),
      rep,
      'feedback Returns label never arrived by email',
    );
    await exchange(personal(rep), first);
    const other = {
      ...messageActivity(connector.serviceUrl, personal(staff), staff, 'feedback The store closed an hour early'),
      id: first.id,
    };
    const card = onlyCard(await exchange(personal(staff), other));
    const theirs = await db.database.prisma.feedback.findFirstOrThrow({
      where: { reporterId: staff.aadObjectId, text: 'The store closed an hour early' },
    });
    expect(readable(card)).toContain(`Logged as feedback #${theirs.number}`);
  });

  it('asks before storing the same words from the same person again, and stores them when they press the button', async () => {
    const chat = personal(kim);
    const [earlier] = await db.database.prisma.feedback.findMany({ where: { reporterId: kim.aadObjectId } });
    const repeat = onlyCard(await say(kim, chat, 'feedback The invoice PDF will not open on my phone'));
    expect(readable(repeat)).toContain(
      `You already logged this as feedback **#${earlier!.number}** a moment ago, so nothing new was saved.`,
    );
    expect(repeat.actions).toEqual([
      expect.objectContaining({
        type: 'Action.Submit',
        title: 'Log it again anyway',
        data: expect.objectContaining({ action: 'feedback_log_again', repeatOf: earlier!.id }),
      }),
    ]);
    expect(await db.database.prisma.feedback.count({ where: { reporterId: kim.aadObjectId } })).toBe(1);

    const logged = await press(kim, chat, repeat.actions![0]!.data!);
    expect(readable(onlyCard(logged))).toMatch(/Logged as feedback #\d+/);
    const rows = await db.database.prisma.feedback.findMany({
      where: { reporterId: kim.aadObjectId },
      orderBy: { number: 'asc' },
    });
    expect(rows.map((row) => row.text)).toEqual([
      'The invoice PDF will not open on my phone',
      'The invoice PDF will not open on my phone',
    ]);
  });
});

describe('Teams marketing hope', () => {
  let issueNumber: number;

  it('files two people’s feedback under one issue and lists it with a Resolve form', async () => {
    const vocabulary = await bot.services.language.vocabulary();
    const [stage, category] = [vocabulary.stages[0]!, vocabulary.categories[0]!];
    // Robin has a personal chat with the bot already (installed); Dana only ever spoke in the channel: the bot opens one.
    expect((await postActivity(bot.url, installActivity(connector.serviceUrl, personal(rep), rep))).status).toBe(200);
    for (const [user, where] of [
      [rep, personal(rep)],
      [dana, leadership],
    ] as const) {
      const answers = await press(user, where, {
        action: 'feedback_log',
        verbatim: `Invoices arrive in the wrong currency (${user.name})`,
        stage: stage.id,
        category: category.id,
        source: 'call_centre',
      });
      expect(shown(onlyCard(answers))).toContain('Logged as feedback #');
      await sorted(answers);
    }
    const filed = await db.database.prisma.feedback.findMany({
      where: { text: { startsWith: 'Invoices arrive in the wrong currency' } },
      include: { issue: true },
    });
    expect(filed).toHaveLength(2);
    expect(filed[0]!.issueId).toBe(filed[1]!.issueId);
    issueNumber = filed[0]!.issue!.number;
    const list = onlyCard(await say(staff, leadership, 'issues'));
    expect(shown(list)).toContain(`"action":"issue_resolve","issue":${issueNumber}`);
  });

  it('refuses resolve and announce-here to staff', async () => {
    expect(
      shown(onlyCard(await say(staff, leadership, `resolve ${issueNumber} Invoices now use the customer's currency`))),
    ).toContain('Only the CCO or a leader can mark an issue resolved.');
    expect(shown(onlyCard(await say(staff, leadership, 'issues announce-here')))).toContain(
      'Only the CCO or a leader can choose where fixes are announced.',
    );
    expect(shown(onlyCard(await say(staff, leadership, 'resolve')))).toContain(
      'Only the CCO or a leader can mark an issue resolved.',
    );
    expect(await db.database.prisma.issue.findFirstOrThrow({ where: { number: issueNumber } })).toMatchObject({
      status: 'open',
    });
  });

  it('lets the CCO resolve: one announcement where fixes are announced, one thank-you to each Teams reporter', async () => {
    expect((await postActivity(bot.url, installActivity(connector.serviceUrl, leadership, cco))).status).toBe(200);
    expect(shown(onlyCard(await say(cco, leadership, 'issues announce-here')))).toContain(
      'When an issue is resolved, I will announce what changed in this conversation.',
    );
    const form = onlyCard(await say(cco, leadership, 'resolve'));
    expect(shown(form)).toContain(`"value":"${issueNumber}"`);

    const channelBefore = connector.activities(leadership.id).length;
    const answers = await press(cco, leadership, {
      action: 'issue_resolve',
      issue: String(issueNumber),
      what_changed: 'Invoices now use the currency on the [customer](https://evil.example) record',
    });
    await outboxSettled(bot.services, db.database.prisma);
    const inChannel = connector.activities(leadership.id).slice(channelBefore);
    // The CCO's answer, and the announcement as a new post in the channel.
    expect(inChannel).toHaveLength(2);
    expect(shown(cardOf(answers[0]!))).toContain(`Issue #${issueNumber} resolved`);
    const announcement = shown(cardOf(inChannel[1]!));
    expect(announcement).toContain('You told us. We changed it.');
    expect(announcement).toContain('\\\\[customer\\\\]\\\\(https://evil.example\\\\)');

    const thanksTo = (conversationId: string) =>
      connector.activities(conversationId).filter((entry) => shown(cardOf(entry)).includes('helped us fix it'));
    expect(thanksTo(personal(rep).id)).toHaveLength(1);
    const danaChat = connector.personalChatWith(dana.aadObjectId!);
    expect(danaChat).toBeDefined();
    expect(thanksTo(danaChat!)).toHaveLength(1);
    const notices = await db.database.prisma.notice.findMany({ where: { platform: 'teams' } });
    expect(notices.map((notice) => notice.status).sort()).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends nothing twice when the outbox runs again', async () => {
    const before = connector.calls.length;
    await bot.services.sendNotices();
    expect(
      connector.calls.slice(before).filter((call) => call.operation === 'send' || call.operation === 'create'),
    ).toEqual([]);
  });

  it('marks a thank-you undeliverable when Teams will not open a chat with the person (the app is not installed for them)', async () => {
    const ghost: TeamsUser = {
      id: '29:ghost',
      aadObjectId: 'a0000000-0000-4000-8000-0000000000f0',
      name: 'Gale Ghost',
    };
    const vocabulary = await bot.services.language.vocabulary();
    await sorted(
      await press(ghost, leadership, {
        action: 'feedback_log',
        verbatim: 'The store closed early without notice',
        stage: vocabulary.stages[1]!.id,
        category: vocabulary.categories[1]!.id,
      }),
    );
    const filed = await db.database.prisma.feedback.findFirstOrThrow({
      where: { reporterId: ghost.aadObjectId },
      include: { issue: true },
    });
    await press(cco, leadership, {
      action: 'issue_resolve',
      issue: String(filed.issue!.number),
      what_changed: 'Opening hours are now posted a week ahead',
    });
    await outboxSettled(bot.services, db.database.prisma);
    const thanks = await db.database.prisma.notice.findFirstOrThrow({ where: { target: ghost.aadObjectId } });
    expect(thanks).toMatchObject({ status: 'undeliverable', givenUpBecause: 'refused' });
    expect(thanks.lastError).toContain('403');

    // The CCO sees it in Teams; staff are told who can.
    const listed = readable(onlyCard(await say(cco, personal(cco), 'cco undelivered')));
    expect(listed).toContain(`a thank-you for reporting issue #${filed.issue!.number}`);
    expect(listed).toContain(`a person in Teams (${ghost.aadObjectId})`);
    expect(listed).toContain('Teams refused it for good (Teams answered 403');
    expect(readable(onlyCard(await say(staff, personal(staff), 'cco undelivered')))).toContain(
      'Only the CCO can see which messages the bot could not deliver.',
    );
  });
});

describe('Teams call campaigns', () => {
  it('lets the CCO start a campaign from the form; each caller gets one personal message with contact details only there', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const seeded = await bot.services.recordCustomerEvents(
      ['Acme', 'Beta', 'Gamma', 'Delta'].map((name, index) => ({
        external_id: `lost-${index}`,
        customer_id: `c-${index}`,
        customer_name: name,
        segment: index % 2 ? 'Retail, online' : 'Enterprise',
        kind: 'lost',
        value: 1000 - index * 100,
        occurred_at: `${today}T08:00:00Z`,
        customer_contact: `+44 20 7946 000${index}`,
      })),
    );
    expect(seeded.stored).toBe(4);

    const form = onlyCard(
      await exchange(
        leadership,
        mentionActivity(
          connector.serviceUrl,
          leadership,
          cco,
          `campaign start <at>${dana.name}</at> <at>${lee.name}</at>`,
          [dana, lee],
        ),
      ),
    );
    expect(shown(form)).toContain(`"value":"${email(dana)}, ${email(lee)}"`);
    expect(shown(form)).toContain('"value":"Retail%2C%20online"');
    expect(shown(onlyCard(await say(staff, leadership, 'campaign start')))).toContain('Only the CCO can start');

    const answers = await press(cco, leadership, {
      action: 'campaign_start',
      name: 'Spring win-back',
      lost_from: today,
      lost_until: today,
      segments: '',
      min_value: '',
      callers: `${email(dana)}, ${email(lee)}`,
      due_on: today,
      guidance: '',
    });
    expect(readable(onlyCard(answers))).toContain(
      'Campaign #1 "Spring win-back" started: 4 lost customers shared between 2 callers',
    );
    await outboxSettled(bot.services, db.database.prisma);

    for (const caller of [dana, lee]) {
      const chat = connector.personalChatWith(caller.aadObjectId!)!;
      const lists = connector.activities(chat).filter((entry) => shown(cardOf(entry)).includes('Lost-customer calls'));
      expect(lists).toHaveLength(1);
      const list = shown(cardOf(lists[0]!));
      expect(list.match(/\+44 20 7946 000\d/g)).toHaveLength(2);
      expect(list).toContain('"action":"call_log"');
    }
    // Contact details appear nowhere but the callers' personal chats.
    // (The whole number: four digits alone can turn up inside a random activity id.)
    for (const conversation of [leadership.id, personal(staff).id, personal(rep).id])
      expect(JSON.stringify(connector.activities(conversation))).not.toMatch(/\+44 20 7946/);
    const calls = await db.database.prisma.campaignCall.findMany();
    expect(new Set(calls.map((call) => call.callerId))).toEqual(new Set([dana.aadObjectId, lee.aadObjectId]));
  });

  it('logs a call from the card’s form and updates the caller’s list in place', async () => {
    const chat = connector.personalChatWith(dana.aadObjectId!)!;
    const list = connector.activities(chat).find((entry) => shown(cardOf(entry)).includes('Lost-customer calls'))!;
    const call = await db.database.prisma.campaignCall.findFirstOrThrow({
      where: { callerId: dana.aadObjectId },
      orderBy: { id: 'asc' },
    });
    const category = (await bot.services.language.vocabulary()).categories[0]!;
    const conversation: TeamsConversationShape = { id: chat, conversationType: 'personal' };
    const answers = await press(
      dana,
      conversation,
      {
        action: 'call_log',
        callId: call.id,
        [`reached_${call.id}`]: 'yes',
        [`reason_${call.id}`]: category.id,
        [`verbatim_${call.id}`]: 'Too slow to refund',
      },
      list.id,
    );
    expect(answers).toEqual([]);
    expect(updatesOf(list.id)).toHaveLength(1);
    expect(await db.database.prisma.campaignCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({
      status: 'reached',
    });
    const redrawn = shown(cardOf(connector.activities(chat).find((entry) => entry.id === list.id)!));
    expect(redrawn).toContain('✅ Reached');
    expect(redrawn).toContain('1 of 2 still to call');

    // Someone else's call is refused, and nothing changes.
    const other = await db.database.prisma.campaignCall.findFirstOrThrow({ where: { callerId: lee.aadObjectId } });
    expect(
      shown(onlyCard(await press(dana, conversation, { action: 'call_unreachable', callId: other.id }, list.id))),
    ).toContain('This call is assigned to someone else');
  });

  it('shows progress, and reassigns by @-mention', async () => {
    expect(shown(onlyCard(await say(cco, leadership, 'campaign status')))).toContain('Campaign #1: Spring win-back');
    const moved = await exchange(
      leadership,
      mentionActivity(
        connector.serviceUrl,
        leadership,
        cco,
        `campaign reassign <at>${lee.name}</at> <at>${dana.name}</at>`,
        [lee, dana],
      ),
    );
    expect(readable(onlyCard(moved))).toContain('Moved 2 open calls in campaign #1');
    expect(await db.database.prisma.campaignCall.count({ where: { callerId: lee.aadObjectId } })).toBe(0);
  });
});

describe('Teams install and removal', () => {
  it('remembers a personal install (for direct messages) and forgets a chat the bot was removed from', async () => {
    const chat = personal(lee);
    expect((await postActivity(bot.url, botAddedActivity(connector.serviceUrl, chat, lee))).status).toBe(200);
    expect(await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: chat.id } })).toMatchObject(
      { kind: 'personal' },
    );
    const removed = {
      ...botAddedActivity(connector.serviceUrl, chat, lee),
      membersAdded: undefined,
      membersRemoved: [{ id: '28:customer-growth-bot' }],
    };
    expect((await postActivity(bot.url, removed)).status).toBe(200);
    expect(await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: chat.id } })).toBeNull();
  });
});
