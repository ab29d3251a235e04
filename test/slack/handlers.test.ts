import { describe, expect, it } from 'vitest';
import { slashCommands } from '../../src/slack/slashCommands.js';
import { action, sorry, unreadableCommand, view, type SlackFeature } from '../../src/slack/handlers.js';
import { slackFeatures } from '../../src/slack/listeners.js';
import type { Services } from '../../src/services.js';
import { z } from 'zod';
import { fakeSlack, textOf } from './fakeBolt.js';

describe('one registration for every Slack entry', () => {
  it('acknowledges a command before the work and answers through response_url, only to the person', async () => {
    const order: string[] = [];
    const slack = fakeSlack({
      commands: {
        '/digest': {
          handle: async ({ answer }) => {
            order.push('work');
            await answer('done');
          },
        },
      },
    });
    slack.ack.mockImplementation(async () => void order.push('ack'));
    await slack.command('/digest', 'preview');
    expect(order).toEqual(['ack', 'work']);
    expect(slack.respond).toHaveBeenCalledWith({ response_type: 'ephemeral', text: 'done' });
  });

  it('sends the first answer of an ack-after-store command in the acknowledgement, and replaces it later', async () => {
    const slack = fakeSlack({
      commands: {
        '/feedback': {
          ackWithAnswer: true,
          handle: async ({ answer, replace }) => {
            await answer('stored');
            await replace('sorted');
          },
        },
      },
    });
    await slack.command('/feedback', 'the app is slow');
    expect(slack.said).toEqual([
      { via: 'ack', message: { response_type: 'ephemeral', text: 'stored' } },
      { via: 'respond', message: { response_type: 'ephemeral', text: 'sorted', replace_original: true } },
    ]);
  });

  it('gives the handler the trigger for opening a form, and says so when Slack sent none', async () => {
    let trigger = '';
    const slack = fakeSlack({
      commands: {
        '/resolve': {
          handle: async (turn) => {
            trigger = turn.triggerId;
          },
        },
      },
    });
    await slack.command('/resolve', '', { trigger_id: 'trigger-42' });
    expect(trigger).toBe('trigger-42');
    await slack.command('/resolve', '', { trigger_id: '' });
    expect(textOf(slack.respond.mock.calls.at(-1)![0])).toBe(unreadableCommand);
  });

  it('answers a command it cannot read in the acknowledgement when the command acknowledges with its answer', async () => {
    const slack = fakeSlack({ commands: { '/feedback': { ackWithAnswer: true, handle: async () => {} } } });
    await slack.command('/feedback', 'x', { user_id: '' });
    expect(slack.said).toEqual([{ via: 'ack', message: { response_type: 'ephemeral', text: unreadableCommand } }]);
  });

  it('logs a failure with its context and tells the person the entry’s own truthful words, or the one sorry', async () => {
    const broken = async () => {
      throw new Error('database went away');
    };
    const slack = fakeSlack({
      commands: {
        '/issues': { handle: broken },
        '/resolve': { failed: 'The issue was not resolved.', handle: broken },
      },
    });
    await slack.command('/issues', 'list');
    await slack.command('/resolve', '7 fixed it');
    expect(slack.respond.mock.calls.map(([message]) => textOf(message))).toEqual([
      sorry,
      'The issue was not resolved.',
    ]);
    expect(slack.logs).toHaveLength(2);
    expect(slack.logs[0]).toMatchObject({
      message: 'slack handler failed',
      context: { level: 'error', kind: 'command', name: '/issues', userId: 'U0STAFF', channelId: 'C0SUPPORT' },
    });
    expect(String(slack.logs[0]!.context!.error)).toContain('database went away');
  });

  it('acknowledges an ack-after-store command that fails before answering, with its failure words', async () => {
    const slack = fakeSlack({
      commands: {
        '/feedback': {
          ackWithAnswer: true,
          failed: 'Nothing was saved.',
          handle: async () => {
            throw new Error('insert failed');
          },
        },
      },
    });
    await slack.command('/feedback', 'words');
    expect(slack.said).toEqual([{ via: 'ack', message: { response_type: 'ephemeral', text: 'Nothing was saved.' } }]);
  });

  it('reads an action’s payload with its schema: unreadable ones are answered or ignored, never handled', async () => {
    let handled = 0;
    const entry = {
      payload: z.object({ actions: z.array(z.object({ value: z.string() })).min(1) }),
      handle: async () => void handled++,
    };
    const slack = fakeSlack({
      actions: { loud: action({ ...entry, unreadable: 'I could not read that button.' }), quiet: action(entry) },
    });
    await slack.action('loud', { actions: [] });
    await slack.action('quiet', { actions: [] });
    expect(handled).toBe(0);
    expect(slack.ack).toHaveBeenCalledTimes(2);
    expect(slack.respond.mock.calls.map(([message]) => textOf(message))).toEqual(['I could not read that button.']);
    await slack.action('quiet', { actions: [{ value: 'v' }] });
    expect(handled).toBe(1);
  });

  it('keeps a form open with a message under its field when it comes back unreadable or fails before closing', async () => {
    const feature: SlackFeature = {
      views: {
        form: view({
          state: z.object({ name: z.object({ value: z.object({ value: z.string() }) }) }),
          incomplete: { field: 'name', message: 'The form came back incomplete.' },
          failed: { field: 'name', message: 'Nothing was saved.' },
          handle: async ({ values }) => {
            if (values.name.value.value === 'boom') throw new Error('store down');
          },
        }),
      },
    };
    const slack = fakeSlack(feature);
    await slack.view('form', {});
    await slack.view('form', { name: { value: { value: 'boom' } } });
    await slack.view('form', { name: { value: { value: 'fine' } } });
    expect(slack.ack.mock.calls.map(([answer]) => answer)).toEqual([
      { response_action: 'errors', errors: { name: 'The form came back incomplete.' } },
      { response_action: 'errors', errors: { name: 'Nothing was saved.' } },
      undefined,
    ]);
  });

  it('only logs a failure after the form closed: there is nothing left to answer', async () => {
    const slack = fakeSlack({
      views: {
        form: view({
          state: z.object({}),
          incomplete: { field: 'name', message: 'incomplete' },
          handle: async ({ accept }) => {
            await accept();
            throw new Error('the direct message failed');
          },
        }),
      },
    });
    await slack.view('form', {});
    expect(slack.ack).toHaveBeenCalledTimes(1);
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    expect(slack.logs.map((line) => line.message)).toEqual(['slack handler failed']);
  });

  it('offers nothing when a search fails, and says why in the log', async () => {
    const slack = fakeSlack({
      options: {
        search: {
          handle: async () => {
            throw new Error('usergroups.list failed');
          },
        },
      },
    });
    await slack.options('search', 'win');
    expect(slack.ack).toHaveBeenCalledWith({ options: [] });
    expect(slack.logs[0]).toMatchObject({
      message: 'slack handler failed',
      context: { kind: 'options', name: 'search' },
    });
  });

  it('answers a command nobody registers at once, and leaves the registered ones to their entries', async () => {
    const slack = fakeSlack({ commands: { '/digest': { handle: async ({ answer }) => answer('digest') } } });
    await slack.command('/old-name', '');
    expect(textOf(slack.ack.mock.calls[0]![0])).toMatch(/I don't know `\/old-name`/);
    slack.ack.mockClear();
    await slack.command('/digest', '');
    expect(slack.ack).toHaveBeenCalledTimes(1);
    expect(slack.ack).toHaveBeenCalledWith(undefined);
  });

  it('registers exactly the slash commands the manifest lists, each once', () => {
    const slack = fakeSlack(...slackFeatures({} as Services, { postDigest: async () => '' }));
    expect(slack.names('command').sort()).toEqual([...slashCommands].sort());
  });
});
