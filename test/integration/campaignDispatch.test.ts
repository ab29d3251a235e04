// A call campaign reaching its callers through the real bot and a local Slack stand-in:
// each caller gets one direct message with their own cards (contacts only there), a button
// updates the card in place, and a sender killed in the middle of the run leaves nobody
// with two messages and nobody with none.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { startCampaign } from '../../src/domain/campaigns.js';
import { People } from '../../src/domain/people.js';
import { createServices } from '../../src/services.js';
import { campaignStore } from '../../src/store/campaignStore.js';
import { roleStore } from '../../src/store/peopleStore.js';
import { blockActionsPayload, sendInteraction, viewSubmissionPayload, waitFor } from '../support/slackRequests.js';
import { startSlackStandIn, type SlackStandIn, type StoredMessage } from '../support/slackStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-c4mp';
const cco = 'UCCO1';
const callers = Array.from({ length: 30 }, (_, n) => `UCALL${String(n).padStart(2, '0')}`);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const contactOf = (n: number) => `lost-${n}@customers.example`;

/** `perCaller` lost customers for each caller, lost three days ago, each with a contact. */
function lostCustomers(perCaller: number) {
  return Array.from({ length: callers.length * perCaller }, (_, n) => ({
    external_id: `lost-${n}`,
    customer_id: `customer-${n}`,
    customer_name: `Customer ${n}`,
    segment: n % 2 ? 'Retail' : 'Enterprise',
    customer_contact: contactOf(n),
    kind: 'lost',
    value: 1000 + n * 37,
    occurred_at: new Date(Date.now() - 3 * 86_400_000).toISOString(),
  }));
}

const groupCallers = ['UGROUP1', 'UGROUP2', 'UGROUP3'];
const campaignInput = {
  name: 'Who left this month',
  lostFrom: day(-10),
  lostUntil: day(0),
  segments: [],
  minValue: 0,
  callers,
  dueOn: day(7),
  guidance: 'Listen more than you talk.',
};

function noticePosts(standIn: SlackStandIn, userId: string): StoredMessage[] {
  return standIn
    .messages(standIn.dmChannel(userId))
    .filter((message) => message.metadata?.event_type === 'customer_growth_notice');
}

interface ActionsBlock {
  type: string;
  block_id?: string;
  elements?: Array<{ action_id: string; value: string }>;
}

describe('a campaign reaching its callers in Slack', () => {
  let test: TestDatabase;
  let standIn: SlackStandIn;
  let bot: RunningBot;

  beforeAll(async () => {
    test = await freshDatabase();
    standIn = await startSlackStandIn({
      userGroups: { S0WINBACK: { handle: 'win-back', name: 'Win-back callers', users: groupCallers } },
    });
    bot = await startBot(
      loadConfig({
        DATABASE_URL: test.url,
        PORT: '0',
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: standIn.apiUrl,
        BOOTSTRAP_CCO_SLACK_IDS: cco,
        ORG_TIMEZONE: 'UTC',
        ORG_CURRENCY: 'USD',
      }),
      { log: () => {} },
    );
    expect(await bot.services.recordCustomerEvents(lostCustomers(2))).toMatchObject({ stored: 60, rejected: [] });
  });
  afterAll(async () => {
    await bot?.stop();
    await standIn?.close();
    await test?.drop();
  });

  async function callsByCaller() {
    const calls = await test.database.prisma.campaignCall.findMany({ include: { customer: true } });
    return new Map(callers.map((caller) => [caller, calls.filter((call) => call.callerId === caller)]));
  }

  it('sends each of 30 callers exactly one direct message with their own cards, contacts included only there', async () => {
    const submitted = await sendInteraction(
      bot.url,
      signingSecret,
      viewSubmissionPayload(cco, {
        callbackId: 'campaign_start_modal',
        values: {
          name: { value: { type: 'plain_text_input', value: campaignInput.name } },
          lost_from: { value: { type: 'datepicker', selected_date: campaignInput.lostFrom } },
          lost_until: { value: { type: 'datepicker', selected_date: campaignInput.lostUntil } },
          segments: { value: { type: 'multi_static_select', selected_options: [] } },
          min_value: { value: { type: 'number_input', value: null } },
          callers: { value: { type: 'multi_users_select', selected_users: callers } },
          due_on: { value: { type: 'datepicker', selected_date: campaignInput.dueOn } },
          guidance: { value: { type: 'plain_text_input', value: campaignInput.guidance } },
        },
      }),
    );
    expect(submitted.status).toBe(200);
    // The CCO hears it started, in a direct message.
    const confirmation = await waitFor(() => standIn.messages(standIn.dmChannel(cco))[0], {
      what: 'the CCO’s confirmation',
    });
    expect(confirmation.text).toBe(
      'Campaign #1 "Who left this month" started: 60 lost customers shared between 30 callers, due ' +
        campaignInput.dueOn +
        '. Each caller gets their list in a direct message.',
    );

    await waitFor(() => callers.every((caller) => noticePosts(standIn, caller).length > 0), {
      what: 'every caller’s list',
      timeoutMs: 20_000,
    });
    const calls = await callsByCaller();
    const everyContact = [...calls.values()].flat().map((call) => call.customer.contact!);
    for (const caller of callers) {
      const posts = noticePosts(standIn, caller);
      expect(posts).toHaveLength(1);
      const shown = JSON.stringify(posts[0]!.blocks);
      const own = calls.get(caller)!;
      expect(own).toHaveLength(2);
      for (const call of own) {
        expect(shown).toContain(call.customer.name);
        expect(shown).toContain(call.customer.contact!);
        expect(shown).toContain(`"value":"${call.id}"`);
      }
      for (const contact of everyContact.filter((contact) => !own.some((call) => call.customer.contact === contact)))
        expect(shown).not.toContain(contact);
    }
    // Every post went to a direct-message channel that conversations.open gave for the caller.
    const posted = standIn.callsTo('chat.postMessage');
    expect(posted).toHaveLength(callers.length + 1);
    expect(new Set(posted.map((call) => call.args.channel))).toEqual(
      new Set([cco, ...callers].map((user) => standIn.dmChannel(user))),
    );
    expect(
      standIn
        .callsTo('conversations.open')
        .map((call) => call.args.users)
        .sort(),
    ).toEqual([cco, ...callers].sort());
  });

  async function press(userId: string, post: StoredMessage, actionId: 'call_unreachable' | 'call_log', callId: string) {
    const responseId = `press-${userId}-${callId}`;
    const payload = blockActionsPayload(
      { userId, channelId: post.channel, responseUrl: standIn.responseUrl(responseId) },
      { actionId, blockId: `call:${callId}`, value: callId },
    );
    // A button on the bot's own message in the DM: the container names that message.
    payload.container = { type: 'message', message_ts: post.ts, channel_id: post.channel, is_ephemeral: false };
    payload.message = { type: 'message', ts: post.ts, text: post.text, blocks: post.blocks };
    const sent = await sendInteraction(bot.url, signingSecret, payload);
    expect(sent.status).toBe(200);
    return responseId;
  }

  it('updates the caller’s card in place when they could not reach the customer, and refuses anyone else', async () => {
    const caller = callers[3]!;
    const [post] = noticePosts(standIn, caller);
    const buttons = (post!.blocks as ActionsBlock[]).filter((block) => block.type === 'actions');
    expect(buttons).toHaveLength(2);
    const callId = buttons[0]!.elements!.find((element) => element.action_id === 'call_unreachable')!.value;

    // Someone else's press (a replayed or forged payload) changes nothing and is told why.
    const refused = await press(callers[4]!, post!, 'call_unreachable', callId);
    const answer = await waitFor(
      () => standIn.callsTo('response_url').find((call) => call.args.responseId === refused),
      { what: 'the refusal' },
    );
    expect(answer.args.text).toBe('This call is assigned to someone else: only they and the CCO can see or log it.');
    expect(standIn.callsTo('chat.update')).toHaveLength(0);

    await press(caller, post!, 'call_unreachable', callId);
    const update = await waitFor(() => standIn.callsTo('chat.update')[0], { what: 'the card to be updated' });
    expect(update.args).toMatchObject({ channel: post!.channel, ts: post!.ts });
    const [after] = noticePosts(standIn, caller);
    expect(noticePosts(standIn, caller)).toHaveLength(1); // updated in place, not posted again
    expect(after!.edited).toBeDefined();
    const shown = JSON.stringify(after!.blocks);
    expect(shown).toContain(':no_entry_sign: could not reach');
    expect(shown).not.toContain(`"value":"${callId}"`);
    expect(shown).toContain('1 of 2 still to call');
    const contacts = (await callsByCaller()).get(caller)!.map((call) => call.customer.contact!);
    for (const contact of contacts) expect(shown).toContain(contact); // still the caller's own view
    expect(await test.database.prisma.campaignCall.findUniqueOrThrow({ where: { id: callId } })).toMatchObject({
      status: 'unreachable',
      loggedBy: caller,
    });
  });

  it('lets the CCO name a user group as the callers: everyone in it gets their list', async () => {
    const search = await sendInteraction(bot.url, signingSecret, {
      type: 'block_suggestion',
      user: { id: cco },
      action_id: 'usergroup_search',
      block_id: 'caller_group',
      value: 'win',
      team: { id: 'T0TEST' },
      view: { id: 'V1', callback_id: 'campaign_start_modal' },
    });
    expect(JSON.parse(search.body)).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Win-back callers (@win-back, 3)' }, value: 'S0WINBACK' }],
    });

    const submitted = await sendInteraction(
      bot.url,
      signingSecret,
      viewSubmissionPayload(cco, {
        callbackId: 'campaign_start_modal',
        values: {
          name: { value: { type: 'plain_text_input', value: 'Group calls' } },
          lost_from: { value: { type: 'datepicker', selected_date: campaignInput.lostFrom } },
          lost_until: { value: { type: 'datepicker', selected_date: campaignInput.lostUntil } },
          callers: { value: { type: 'multi_users_select', selected_users: [] } },
          caller_group: {
            usergroup_search: {
              type: 'external_select',
              selected_option: { text: { type: 'plain_text', text: 'Win-back callers' }, value: 'S0WINBACK' },
            },
          },
          due_on: { value: { type: 'datepicker', selected_date: campaignInput.dueOn } },
        },
      }),
    );
    expect(submitted.status).toBe(200);
    await waitFor(() => groupCallers.every((caller) => noticePosts(standIn, caller).length === 1), {
      what: 'each group member’s list',
    });
    const campaign = await test.database.prisma.campaign.findUniqueOrThrow({
      where: { number: 2 },
      include: { calls: true },
    });
    expect(new Set(campaign.calls.map((call) => call.callerId))).toEqual(new Set(groupCallers));
    expect(campaign.calls).toHaveLength(60);
  });
});

describe('a sender killed in the middle of a campaign', () => {
  let test: TestDatabase;
  let standIn: SlackStandIn;

  beforeAll(async () => {
    test = await freshDatabase();
    standIn = await startSlackStandIn();
    const services = createServices(
      test.database.prisma,
      loadConfig({ BOOTSTRAP_CCO_SLACK_IDS: cco, ORG_TIMEZONE: 'UTC' }),
      { log: () => {} },
    );
    expect(await services.recordCustomerEvents(lostCustomers(1))).toMatchObject({ stored: 30 });
    // Started through the domain, so nothing in this process tries to send: the child processes do.
    const deps = {
      campaigns: campaignStore(test.database.prisma),
      people: new People(roleStore(test.database.prisma), { slack: [cco], teams: [] }),
      timeZone: 'UTC',
      clock: () => new Date(),
    };
    expect(await startCampaign(deps, { platform: 'slack', userId: cco }, campaignInput)).toMatchObject({ ok: true });
    expect(await test.database.prisma.notice.count({ where: { kind: 'campaignCalls', status: 'pending' } })).toBe(30);
  });
  afterAll(async () => {
    await standIn?.close();
    await test?.drop();
  });

  /** The outbox sender as its own node process (not the tsx wrapper, whose child would outlive SIGKILL). */
  function sender() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sendNoticesOnce.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: test.url,
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'unused',
        SLACK_API_URL: standIn.apiUrl,
        ORG_TIMEZONE: 'UTC',
        OPENAI_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  it('resumes after SIGKILL without sending any caller their list twice and without skipping anyone', async () => {
    // The 15th post is taken by Slack but never answered: the kill lands before the bot records it.
    let posts = 0;
    const held = standIn.holdNext('chat.postMessage', () => ++posts === 15);
    const first = sender();
    await Promise.race([
      held,
      first.exited.then((code) => {
        throw new Error(`the sender finished (exit ${code}) before the 15th post:\n${first.output()}`);
      }),
    ]);
    first.child.kill('SIGKILL');
    await first.exited;
    standIn.releaseHeld();

    // Callers are sent to a few at a time, so other lanes may have gone on past the 15th before the kill landed.
    const delivered = callers.filter((caller) => noticePosts(standIn, caller).length === 1).length;
    expect(delivered).toBeGreaterThanOrEqual(15);
    expect(callers.every((caller) => noticePosts(standIn, caller).length <= 1)).toBe(true);
    const statuses = await test.database.prisma.notice.groupBy({ by: ['status'], _count: { _all: true } });
    const count = (status: string) => statuses.find((row) => row.status === status)?._count._all ?? 0;
    const sentBefore = count('sent');
    expect(sentBefore).toBeLessThan(delivered); // the 15th landed in Slack but was never recorded
    expect(sentBefore + count('sending') + count('pending')).toBe(30);

    // The dead process's lease runs out.
    await test.database.prisma
      .$executeRaw`UPDATE notice SET not_before = now() - interval '1 minute' WHERE status = 'sending'`;
    const second = sender();
    expect(await second.exited, second.output()).toBe(0);
    expect(JSON.parse(second.output().trim().split('\n').at(-1)!)).toEqual({
      sent: 30 - sentBefore,
      givenUp: 0,
      retrying: 0,
    });

    for (const caller of callers) expect(noticePosts(standIn, caller), caller).toHaveLength(1);
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(30); // one post per caller: the unrecorded ones were found, not sent again
    // The claimed-but-unconfirmed ones were looked up in the conversation before anything was sent.
    expect(standIn.callsTo('conversations.history').length).toBeGreaterThan(0);
    const notices = await test.database.prisma.notice.findMany();
    expect(notices.every((notice) => notice.status === 'sent')).toBe(true);
    for (const notice of notices) {
      const [post] = noticePosts(standIn, notice.target);
      expect(notice.messageId).toBe(post!.ts);
      expect(post!.metadata?.event_payload).toEqual({ notice_id: notice.id });
    }
  }, 120_000);
});
