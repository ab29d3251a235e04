import { describe, expect, it, vi } from 'vitest';
import type { FeedbackView, Logged } from '../../src/domain/feedback.js';
import { notStoredWords as notStored } from '../../src/services/apologies.js';
import { createFeedback, type FeedbackServices } from '../../src/slack/feedback.js';
import { fakeSlack, textOf } from './fakeBolt.js';

const vocabulary = { stages: [{ id: 'stage-1', name: 'Get help' }], categories: [{ id: 'cat-1', name: 'Speed' }] };

function viewOf(text: string, filed = false): FeedbackView {
  return {
    feedback: {
      id: 'f-1',
      number: 12,
      platform: 'slack',
      reporterId: 'U0STAFF',
      text,
      source: 'support_desk',
      severity: null,
      segment: null,
      stageId: filed ? 'stage-1' : null,
      categoryId: filed ? 'cat-1' : null,
      sentiment: null,
      summary: null,
      classifiedBy: null,
      issueId: null,
      loggedAt: new Date(0),
    } as FeedbackView['feedback'],
    stageName: filed ? 'Get help' : null,
    categoryName: filed ? 'Speed' : null,
    issue: null,
    notes: [],
  };
}

/** Only what the feedback entries call; each test says what the domain answers. */
function fakeServices(logged: (text: string) => Promise<Logged>) {
  return {
    log: vi.fn(),
    language: { vocabulary: vi.fn(async () => vocabulary) },
    logFeedback: vi.fn(async (_by: unknown, input: { text: string }) => logged(input.text)),
    sortFeedback: vi.fn(async () => viewOf('sorted', true)),
    correctFeedback: vi.fn(async () => ({ ok: true as const, view: viewOf('corrected', true) })),
    searchCustomers: vi.fn(async () => [{ id: 'cust-1', name: 'Acme', segment: 'Retail' }]),
  };
}

const slackFor = (services: ReturnType<typeof fakeServices>) =>
  fakeSlack(createFeedback(services as unknown as FeedbackServices));

describe('/feedback in Slack', () => {
  it('stores the words before acknowledging, answers in the acknowledgement, then shows where it was filed', async () => {
    const services = fakeServices(async (text) => ({
      ok: true,
      kind: 'logged',
      view: viewOf(text),
      redelivered: false,
    }));
    const slack = slackFor(services);
    slack.ack.mockImplementation(async (message?: unknown) => {
      // By the time Slack hears back, the feedback is stored.
      expect(services.logFeedback).toHaveBeenCalledTimes(1);
      slack.said.push({ via: 'ack', message });
    });
    await slack.command('/feedback', 'R&amp;D says checkout is slow');
    expect(services.logFeedback).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      { text: 'R&D says checkout is slow' },
    );
    expect(slack.said.map((entry) => entry.via)).toEqual(['ack', 'respond']);
    expect(textOf(slack.said[0]!.message)).toBe('Logged as feedback #12');
    expect(JSON.stringify(slack.said[0]!.message)).toContain('Sorting it into a journey stage and category');
    expect(slack.said[1]!.message).toMatchObject({ replace_original: true });
    expect(JSON.stringify(slack.said[1]!.message)).toContain('Filed under *Get help* › *Speed*');
  });

  it('says nothing was saved when storing fails, in the acknowledgement', async () => {
    const services = fakeServices(async () => {
      throw new Error('connection refused');
    });
    const slack = slackFor(services);
    await slack.command('/feedback', 'words');
    expect(slack.said).toEqual([{ via: 'ack', message: { response_type: 'ephemeral', text: notStored } }]);
    expect(services.sortFeedback).not.toHaveBeenCalled();
  });

  it('opens the form with the command’s trigger when no words are given, remembering the channel', async () => {
    const services = fakeServices(async () => {
      throw new Error('not called');
    });
    const slack = slackFor(services);
    await slack.command('/feedback', '  ', { trigger_id: 'trigger-7', channel_id: 'C0HERE' });
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    const opened = slack.client.views.open.mock.calls[0]![0] as {
      trigger_id: string;
      view: { callback_id: string; private_metadata: string };
    };
    expect(opened.trigger_id).toBe('trigger-7');
    expect(opened.view.callback_id).toBe('feedback_modal');
    expect(JSON.parse(opened.view.private_metadata)).toEqual({ channelId: 'C0HERE' });
  });

  it('tells the person to type it in when the form cannot open', async () => {
    const slack = slackFor(fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: '' })));
    slack.client.views.open.mockRejectedValueOnce(new Error('expired_trigger_id'));
    await slack.command('/feedback', '');
    expect(textOf(slack.respond.mock.calls[0]![0])).toContain('Type it straight in instead');
  });
});

describe('the "Log as customer feedback" shortcut', () => {
  const message = (text?: string) => ({
    channel: { id: 'C0CHAT' },
    team: { domain: 'acme' },
    message_ts: '1712345678.123456',
    message: text === undefined ? {} : { text },
  });

  it('stores the message with a link back to it before acknowledging', async () => {
    const services = fakeServices(async (text) => ({
      ok: true,
      kind: 'logged',
      view: viewOf(text),
      redelivered: false,
    }));
    const slack = slackFor(services);
    await slack.shortcut('log_feedback', message('The parcel was thrown over the fence'));
    expect(services.logFeedback).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      {
        text: 'The parcel was thrown over the fence',
        messageLink: 'https://acme.slack.com/archives/C0CHAT/p1712345678123456',
      },
    );
    expect(slack.said.map((entry) => entry.via)).toEqual(['ack', 'respond', 'respond']);
    expect(slack.said[0]!.message).toBeUndefined();
  });

  it('says in plain words that a message without text stores nothing', async () => {
    const slack = slackFor(
      fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: 'empty' })),
    );
    await slack.shortcut('log_feedback', message());
    expect(textOf(slack.respond.mock.calls[0]![0])).toMatch(/^Nothing was saved: that message has no text to log/);
  });

  it('refuses a shortcut from outside a conversation without storing anything', async () => {
    const services = fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: '' }));
    const slack = slackFor(services);
    await slack.shortcut('log_feedback', { message_ts: 'not a ts' });
    expect(services.logFeedback).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'I can only log a message from a channel or conversation. Nothing was stored.',
    );
  });
});

describe('the feedback form and the reply’s menus', () => {
  const values = (text: string) => ({
    verbatim: { value: { value: text } },
    source: { value: { selected_option: { value: 'call_centre' } } },
    stage: { value: { selected_option: null } },
  });

  it('keeps the form open with the domain’s refusal under the words', async () => {
    const slack = slackFor(
      fakeServices(async () => ({
        ok: false,
        kind: 'refused',
        reason: 'empty',
        message: 'Write what the customer said.',
      })),
    );
    await slack.view('feedback_modal', values(''), JSON.stringify({ channelId: 'C0HERE' }));
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { verbatim: 'Write what the customer said.' },
    });
  });

  it('reads the form into what the domain logs and answers where /feedback was typed', async () => {
    const services = fakeServices(async (text) => ({
      ok: true,
      kind: 'logged',
      view: viewOf(text),
      redelivered: false,
    }));
    const slack = slackFor(services);
    await slack.view('feedback_modal', values('Too slow'), JSON.stringify({ channelId: 'C0HERE' }));
    expect(services.logFeedback).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      { text: 'Too slow', source: 'call_centre' },
    );
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    expect(slack.client.chat.postEphemeral).toHaveBeenCalledWith(
      expect.objectContaining({ channel: 'C0HERE', user: 'U0STAFF' }),
    );
  });

  it('answers in a direct message when the form does not say where it came from', async () => {
    const slack = slackFor(
      fakeServices(async (text) => ({ ok: true, kind: 'logged', view: viewOf(text), redelivered: false })),
    );
    await slack.view('feedback_modal', values('Too slow'), 'not json');
    expect(slack.client.chat.postEphemeral).not.toHaveBeenCalled();
    expect(slack.client.chat.postMessage).toHaveBeenCalledWith(expect.objectContaining({ channel: 'D-U0STAFF' }));
  });

  it('applies a menu choice to the feedback its block names, and replaces the reply', async () => {
    const services = fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: '' }));
    const slack = slackFor(services);
    await slack.action('feedback_category', {
      actions: [{ action_id: 'feedback_category', block_id: 'feedback:f-1', selected_option: { value: 'cat-1' } }],
    });
    expect(services.correctFeedback).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 'f-1', {
      categoryId: 'cat-1',
    });
    expect(slack.respond.mock.calls[0]![0]).toMatchObject({ replace_original: true, text: 'Logged as feedback #12' });
  });

  it('changes nothing for a menu it cannot read', async () => {
    const services = fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: '' }));
    const slack = slackFor(services);
    await slack.action('feedback_stage', {
      actions: [{ action_id: 'feedback_stage', block_id: 'somewhere-else', selected_option: { value: 'stage-1' } }],
    });
    expect(services.correctFeedback).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('I could not read that choice. Nothing was changed.');
  });

  it('logs it again as asked from the duplicate’s button, and refuses a button it cannot read', async () => {
    const services = fakeServices(async (text) => ({
      ok: true,
      kind: 'logged',
      view: viewOf(text),
      redelivered: false,
    }));
    const slack = slackFor(services);
    const repeatOf = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    await slack.action('feedback_log_again', {
      actions: [{ value: JSON.stringify({ repeatOf, source: 'call_centre' }) }],
    });
    expect(services.logFeedback).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      { repeatOf, source: 'call_centre', text: '' },
    );
    await slack.action('feedback_log_again', { actions: [{ value: '{not json' }] });
    expect(services.logFeedback).toHaveBeenCalledTimes(1);
    expect(textOf(slack.respond.mock.calls.at(-1)![0])).toMatch(/^I could not read that button. Nothing was saved/);
  });

  it('searches customers only once two characters are typed', async () => {
    const services = fakeServices(async () => ({ ok: false, kind: 'refused', reason: 'empty', message: '' }));
    const slack = slackFor(services);
    await slack.options('customer_search', 'a');
    await slack.options('customer_search', 'ac');
    expect(services.searchCustomers).toHaveBeenCalledTimes(1);
    expect(slack.ack.mock.calls.map(([answer]) => answer)).toEqual([
      { options: [] },
      { options: [{ text: { type: 'plain_text', text: 'Acme (Retail)' }, value: 'cust-1' }] },
    ]);
  });
});
