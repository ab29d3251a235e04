import { describe, expect, it, vi } from 'vitest';
import type { IssueSummary } from '../../src/domain/issues.js';
import { createWarnings, type WarningsServices } from '../../src/slack/warnings.js';
import { warningToSlack } from '../../src/render/warningSlack.js';
import { spikeStory } from '../support/warningStories.js';
import { fakeSlack, textOf } from './fakeBolt.js';

const issue = (number: number, title: string): IssueSummary => ({
  id: `issue-${number}`,
  number,
  title,
  status: 'open',
  stageName: 'Get help',
  categoryName: 'Speed',
  feedbackCount: 2,
  sources: ['support_desk'],
  mergedIntoNumber: null,
  lastResolution: null,
});

function fakeCommands() {
  return {
    subscribe: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        result: 'subscribed',
        message: 'This channel now gets early warnings.',
      }),
    ),
    moments: vi.fn(async () => ({
      ok: true,
      moments: [],
      message: 'Get help: First reply <!channel>, hours, standard 4 h (lower is better)',
    })),
    acknowledge: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        message: 'Acknowledged: the warning records that you have it in hand.',
        warning: acknowledged('U0STAFF'),
      }),
    ),
    issues: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        issues: [issue(7, 'Replies are slow')],
        message: 'Open issues for Speed at Get help, busiest first.',
      }),
    ),
  };
}

const slackFor = (commands: ReturnType<typeof fakeCommands>) =>
  fakeSlack(
    createWarnings({
      warningCommands: commands,
      settings: { locale: 'en-US', currency: 'USD' },
      log: () => {},
    } as unknown as WarningsServices),
  );
const pressed = (warningId: string) => ({
  user: { id: 'U0STAFF', name: 'sam' },
  container: { channel_id: 'COPS', message_ts: '1700000000.000100' },
  actions: [{ action_id: 'x', value: warningId }],
});

function acknowledged(userId: string) {
  return {
    content: { kind: 'earlyWarning', warningId: 'w-1', story: spikeStory },
    acknowledgement: {
      by: { platform: 'slack', userId },
      name: 'sam',
      at: new Date('2026-12-01T09:00:00Z'),
      atText: '2026-12-01 09:00 UTC',
    },
  };
}

describe('/warnings in Slack', () => {
  it('subscribes this channel for the person who asked, with the private-channel hint', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.command('/warnings', 'subscribe');
    expect(commands.subscribe).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      { platform: 'slack', channelId: 'C0SUPPORT' },
      true,
    );
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'This channel now gets early warnings. In a private channel, invite me so I can post.',
    );
  });

  it('unsubscribes, and passes a refusal on as the service words it', async () => {
    const commands = fakeCommands();
    commands.subscribe.mockResolvedValueOnce({
      ok: false,
      code: 'notAllowed',
      message: 'Only the CCO or a leader can choose where early warnings are posted.',
    });
    const slack = slackFor(commands);
    await slack.command('/warnings', 'unsubscribe');
    expect(commands.subscribe).toHaveBeenCalledWith(expect.anything(), expect.anything(), false);
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'Only the CCO or a leader can choose where early warnings are posted.',
    );
  });

  it('lists the moments, escaped, for `/warnings` and `/warnings moments`', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.command('/warnings', '');
    await slack.command('/warnings', 'moments');
    expect(commands.moments).toHaveBeenCalledTimes(2);
    expect(textOf(slack.respond.mock.calls[1]![0])).toBe(
      'Get help: First reply &lt;!channel&gt;, hours, standard 4 h (lower is better)',
    );
  });

  it('answers unknown words with the help, changing nothing', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.command('/warnings', 'subscribe everyone');
    expect(commands.subscribe).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toMatch(
      /^I don't know `\/warnings subscribe everyone`\. Nothing was changed\. `\/warnings`/,
    );
  });
});

describe('the warning post’s buttons', () => {
  it('the warning post carries Acknowledge, Open the issues and Make it a priority, each with the warning id', () => {
    const rendered = warningToSlack(
      { kind: 'earlyWarning', warningId: 'w-1', story: spikeStory },
      { locale: 'en-US', currency: 'USD' },
    );
    const actions = rendered.blocks.find((block) => block.type === 'actions') as unknown as {
      elements: Array<{ action_id: string; value: string }>;
    };
    expect(actions.elements.map((button) => [button.action_id, button.value])).toEqual([
      ['warning_acknowledge', 'w-1'],
      ['warning_issues', 'w-1'],
      ['warning_priority', 'w-1'],
    ]);
  });

  it('Acknowledge records it for the person who pressed and redraws the post without its button', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', pressed('w-1'));
    expect(commands.acknowledge).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 'w-1', 'sam');
    const update = slack.client.chat.update.mock.calls[0]![0] as { channel: string; ts: string; blocks: unknown[] };
    expect(update).toMatchObject({ channel: 'COPS', ts: '1700000000.000100' });
    expect(JSON.stringify(update.blocks)).toContain('Acknowledged by <@U0STAFF> at 2026-12-01 09:00 UTC');
    expect(JSON.stringify(update.blocks)).not.toContain('warning_acknowledge');
    expect(JSON.stringify(update.blocks)).toContain('warning_issues');
    expect(slack.respond).not.toHaveBeenCalled();
  });

  it('a second Acknowledge redraws the post with who had it first, and tells the presser nothing more was recorded', async () => {
    const commands = fakeCommands();
    commands.acknowledge.mockResolvedValueOnce({
      ok: false,
      code: 'alreadyAcknowledged',
      message: 'This warning was already acknowledged by dana at 2026-12-01 09:00 UTC. Nothing more was recorded.',
      warning: acknowledged('U0DANA'),
    });
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', pressed('w-1'));
    expect(JSON.stringify(slack.client.chat.update.mock.calls[0]![0])).toContain('Acknowledged by <@U0DANA>');
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'This warning was already acknowledged by dana at 2026-12-01 09:00 UTC. Nothing more was recorded.',
    );
  });

  it('staff are told who can acknowledge, and the post is left as it was', async () => {
    const commands = fakeCommands();
    commands.acknowledge.mockResolvedValueOnce({
      ok: false,
      code: 'notAllowed',
      message: 'Only the CCO or a leader can acknowledge an early warning.',
    });
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', pressed('w-1'));
    expect(slack.client.chat.update).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('Only the CCO or a leader can acknowledge an early warning.');
  });

  it('Open the issues lists the issues at the warning’s stage with their Resolve buttons', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.action('warning_issues', pressed('w-1'));
    expect(commands.issues).toHaveBeenCalledWith('w-1');
    const shown = slack.respond.mock.calls[0]![0] as { response_type: string; text: string };
    expect(shown).toMatchObject({
      response_type: 'ephemeral',
      text: 'Open issues for Speed at Get help, busiest first.',
    });
    expect(JSON.stringify(shown)).toContain('Replies are slow');
    expect(JSON.stringify(shown)).toContain('"action_id":"issue_resolve"');
  });

  it('a button without a warning id records nothing and says so', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', { ...pressed('w-1'), actions: [{ action_id: 'warning_acknowledge' }] });
    expect(commands.acknowledge).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'Slack sent me a button I could not read. Nothing was recorded.',
    );
  });
});
