// Early warnings in Slack, end to end: signed slash commands and button presses into the
// running bot, the warning posted through the outbox to a local Slack stand-in, and what a
// person in the channel then sees: the post tagging the moment's owner, the post redrawn once
// someone acknowledges it, and the issues behind it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguage } from '../../src/domain/language.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';
import { outboxSettled } from '../support/outbox.js';
import { startSlackBot, type SlackBot } from '../support/slackBot.js';
import { waitFor } from '../support/slackRequests.js';

const cco = 'UCCO1';
const staff = 'USTAFF1';
const owner = 'UOPSLEAD';
const moment = 'Call answered';

let slack: SlackBot;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'slack-warnings-'));
  const languageFile = path.join(folder, 'language.json');
  const moments = [
    {
      name: moment,
      stage: 'Get help',
      metric: 'Average time to answer a call',
      unit: 'seconds',
      better: 'lower',
      standard: 60,
      owner: { platform: 'slack', person: owner, name: 'Dana' },
    },
  ];
  await writeFile(languageFile, JSON.stringify({ ...defaultLanguage, moments }));
  slack = await startSlackBot({ BOOTSTRAP_CCO_SLACK_IDS: cco, LANGUAGE_FILE: languageFile });
});

afterAll(async () => {
  await slack?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Sends `/warnings text` and returns the ephemeral answer the person sees. */
async function warnings(userId: string, channelId: string, text: string): Promise<string> {
  const answer = await slack.ask(userId, channelId, '/warnings', text);
  expect(answer.args.response_type).toBe('ephemeral');
  return answer.args.text as string;
}

const warningChannels = async () =>
  (await deliveryStore(slack.db.database.prisma).subscriptions('warnings')).map((row) => row.channelId);

describe('/warnings in Slack, end to end', () => {
  it('refuses staff, saving nothing, and subscribes the channel for the CCO (once)', async () => {
    expect(await warnings(staff, 'COPS', 'subscribe')).toMatch(
      /^Only the CCO or a leader can choose where early warnings are posted/,
    );
    expect(await warningChannels()).toEqual([]);

    expect(await warnings(cco, 'COPS', 'subscribe')).toMatch(/^This channel now gets early warnings/);
    expect(await warningChannels()).toEqual(['COPS']);
    expect(await warnings(cco, 'COPS', 'subscribe')).toBe(
      'This channel already gets early warnings. Nothing was changed.',
    );
    expect(await warningChannels()).toEqual(['COPS']);

    expect(await warnings(cco, 'COPS', 'unsubscribe')).toBe('This channel no longer gets early warnings.');
    expect(await warningChannels()).toEqual([]);
  });

  it('lists the moments for anyone', async () => {
    expect(await warnings(staff, 'COPS', 'moments')).toMatch(
      /^Get help: Call answered, Average time to answer a call, standard 60 seconds \(lower is better\)/,
    );
  });
});

describe('a warning post in Slack', () => {
  const channel = 'CWARN';
  const post = () => slack.standIn.messages(channel).find((message) => message.text.startsWith('Early warning'));
  const buttonsOf = (blocks: unknown[] | undefined) =>
    (blocks ?? [])
      .filter((block) => (block as { type: string }).type === 'actions')
      .flatMap((block) => (block as { elements: Array<{ action_id: string; value: string }> }).elements);
  let warningId: string;

  beforeAll(async () => {
    expect(await warnings(cco, channel, 'subscribe')).toMatch(/^This channel now gets early warnings/);
    const { services, warnings: early } = slack.bot;
    const vocabulary = await services.language.vocabulary();
    const stage = vocabulary.stages.find((one) => one.name === 'Get help')!;
    const logged = await services.logFeedback(
      { platform: 'slack', userId: staff },
      {
        text: 'Nobody picked up the phone for twenty minutes',
        stageId: stage.id,
        categoryId: vocabulary.categories[0]!.id,
      },
    );
    if (!logged.ok) throw new Error('the feedback was not logged');
    await services.sortFeedback(logged.view.feedback.id);
    const readings = [{ external_id: 'call-1', moment, value: 95, measured_at: new Date().toISOString() }];
    expect(await early.recordReadings(readings, { checkAfter: false })).toMatchObject({ stored: 1 });
    await early.checkWarnings();
    await outboxSettled(services, slack.db.database.prisma);
    warningId = buttonsOf(post()?.blocks)[0]!.value;
  });

  it('is posted once, tagging the moment’s owner, with Acknowledge, Open the issues and Make it a priority', async () => {
    expect(slack.standIn.messages(channel).filter((message) => message.text.startsWith('Early warning'))).toHaveLength(
      1,
    );
    const shown = JSON.stringify(post()!.blocks);
    expect(shown).toContain(`Owner: <@${owner}>`);
    expect(shown).not.toContain('<!channel>');
    expect(buttonsOf(post()!.blocks).map((button) => button.action_id)).toEqual([
      'warning_acknowledge',
      'warning_issues',
      'warning_priority',
    ]);
  });

  it('tells staff who can acknowledge, and leaves the post as it was', async () => {
    const { responseId } = await slack.press(staff, channel, {
      actionId: 'warning_acknowledge',
      value: warningId,
      message: post()!,
    });
    expect((await slack.answerAt(responseId)).args.text).toMatch(
      /^Only the CCO or a leader can acknowledge an early warning/,
    );
    expect(post()!.edited).toBeUndefined();
  });

  it('once the CCO acknowledges, the post itself says by whom and when, and its Acknowledge button is gone', async () => {
    const before = slack.standIn.callsTo('chat.update').length;
    await slack.press(cco, channel, { actionId: 'warning_acknowledge', value: warningId, message: post()! });
    await waitFor(() => slack.standIn.callsTo('chat.update').length > before, { what: 'the post to be updated' });
    const updated = post()!;
    expect(updated.edited).toBeDefined();
    expect(JSON.stringify(updated.blocks)).toMatch(
      new RegExp(`Acknowledged by <@${cco}> at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`),
    );
    expect(buttonsOf(updated.blocks).map((button) => button.action_id)).toEqual(['warning_issues', 'warning_priority']);
    expect(JSON.stringify(updated.blocks)).toContain(`Owner: <@${owner}>`);
    expect(await slack.db.database.prisma.warning.findUniqueOrThrow({ where: { id: warningId } })).toMatchObject({
      acknowledgedBy: `slack:${cco}`,
    });
  });

  it('a second press, from a copy of the post that still had the button, records nothing more and says who had it', async () => {
    const { responseId } = await slack.press(cco, channel, {
      actionId: 'warning_acknowledge',
      value: warningId,
      message: { ...post()!, blocks: [] },
    });
    expect((await slack.answerAt(responseId)).args.text).toMatch(
      /^This warning was already acknowledged by ucco1 at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Nothing more was recorded\.$/,
    );
  });

  it('Open the issues shows the open issues at the warning’s stage, each with its Resolve button, only to the presser', async () => {
    const { responseId } = await slack.press(staff, channel, {
      actionId: 'warning_issues',
      value: warningId,
      message: post()!,
    });
    const answer = await slack.answerAt(responseId);
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', text: 'Open issues for Get help, busiest first.' });
    const shown = JSON.stringify(answer.args.blocks);
    expect(shown).toContain('Nobody picked up the phone for twenty minutes');
    expect(shown).toContain('"action_id":"issue_resolve"');
  });
});
