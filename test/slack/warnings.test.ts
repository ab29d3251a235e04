import { describe, expect, it, vi } from 'vitest';
import type { IssueSummary } from '../../src/domain/issues.js';
import { createWarnings, type WarningsServices } from '../../src/slack/warnings.js';
import { warningToSlack } from '../../src/render/warningSlack.js';
import type { WarningStory } from '../../src/domain/warnings.js';
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
        at: new Date(),
        message: 'Acknowledged: the warning records that you have it in hand.',
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
  fakeSlack(createWarnings({ warningCommands: commands } as unknown as WarningsServices));
const pressed = (warningId: string) => ({ actions: [{ action_id: 'x', value: warningId }] });

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
  const story: WarningStory = {
    kind: 'complaintSpike',
    weekStart: '2026-11-30',
    stageName: 'Get help',
    categoryName: null,
    why: 'Twelve complaints against three a week.',
    moment: null,
    complaints: { thisWeek: 12, weeklyBaseline: 3, pValue: 0.0001, verbatims: [] },
    lost: { customers: 0, value: 0, examples: [] },
    owners: [],
  };

  it('the warning post carries Acknowledge, Open the issues and Make it a priority, each with the warning id', () => {
    const rendered = warningToSlack(
      { kind: 'earlyWarning', warningId: 'w-1', story },
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

  it('Acknowledge records it for the person who pressed and answers only them', async () => {
    const commands = fakeCommands();
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', pressed('w-1'));
    expect(commands.acknowledge).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 'w-1');
    expect(slack.respond.mock.calls[0]![0]).toMatchObject({
      response_type: 'ephemeral',
      text: 'Acknowledged: the warning records that you have it in hand.',
    });
  });

  it('a second Acknowledge says who had it first is recorded, and nothing more', async () => {
    const commands = fakeCommands();
    commands.acknowledge.mockResolvedValueOnce({
      ok: false,
      code: 'alreadyAcknowledged',
      message: 'This warning was already acknowledged on 2026-12-01 09:00 UTC. Nothing more was recorded.',
    });
    const slack = slackFor(commands);
    await slack.action('warning_acknowledge', pressed('w-1'));
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'This warning was already acknowledged on 2026-12-01 09:00 UTC. Nothing more was recorded.',
    );
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
    await slack.action('warning_acknowledge', { actions: [{ action_id: 'warning_acknowledge' }] });
    expect(commands.acknowledge).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'Slack sent me a button I could not read. Nothing was recorded.',
    );
  });
});
