import { describe, expect, it, vi } from 'vitest';
import type { CampaignSummary } from '../../src/domain/campaigns.js';
import { createCampaigns, type CampaignServices } from '../../src/slack/campaigns.js';
import { fakeSlack, textOf } from './fakeBolt.js';

const campaign: CampaignSummary = {
  id: 'camp-1',
  number: 3,
  name: 'Who left',
  status: 'active',
  dueOn: '2026-12-18',
  guidance: '',
  platform: 'slack',
};
const call = { campaign, callerId: 'U0STAFF', part: 0 };

function fakeServices() {
  return {
    log: vi.fn(),
    settings: { timeZone: 'UTC', currency: 'EUR', locale: 'en-GB', showCustomerNames: true },
    language: {
      vocabulary: vi.fn(async () => ({
        stages: [{ id: 'stage-1', name: 'Get help' }],
        categories: [{ id: 'cat-1', name: 'Price' }],
      })),
    },
    startCampaign: vi.fn(
      async (): Promise<
        { ok: true; message: string } | { ok: false; code: string; field?: 'dueOn'; message: string }
      > => ({ ok: true, message: 'Campaign #3 "Who left" started.' }),
    ),
    logCall: vi.fn(async () => ({ ok: true as const, message: 'Saved.', call })),
    callerCards: vi.fn(async () => ({ ok: true as const, cards: [] })),
  };
}

const slackFor = (services: ReturnType<typeof fakeServices>) =>
  fakeSlack(createCampaigns(services as unknown as CampaignServices));

const startValues = (extra: Record<string, unknown> = {}) => ({
  name: { value: { value: 'Who left' } },
  lost_from: { value: { selected_date: '2026-11-01' } },
  lost_until: { value: { selected_date: '2026-11-30' } },
  callers: { value: { selected_users: ['U0ONE'] } },
  due_on: { value: { selected_date: '2026-12-18' } },
  ...extra,
});

describe('the campaign start form', () => {
  it('adds everyone in the chosen user group to the callers and confirms in a direct message', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    slack.client.usergroups.users.list.mockResolvedValueOnce({ ok: true, users: ['U0TWO', 'U0THREE'] });
    await slack.view(
      'campaign_start_modal',
      startValues({ caller_group: { usergroup_search: { selected_option: { value: 'S0WINBACK' } } } }),
    );
    expect(slack.client.usergroups.users.list).toHaveBeenCalledWith({ usergroup: 'S0WINBACK' });
    expect(services.startCampaign).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      {
        name: 'Who left',
        lostFrom: '2026-11-01',
        lostUntil: '2026-11-30',
        segments: [],
        minValue: 0,
        callers: ['U0ONE', 'U0TWO', 'U0THREE'],
        dueOn: '2026-12-18',
        guidance: '',
      },
    );
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    expect(slack.client.chat.postMessage).toHaveBeenCalledWith({
      channel: 'D-U0STAFF',
      text: 'Campaign #3 "Who left" started.',
    });
  });

  it('shows a refusal under the field the domain names', async () => {
    const services = fakeServices();
    services.startCampaign.mockResolvedValueOnce({
      ok: false,
      code: 'invalid',
      field: 'dueOn',
      message: 'Pick a due date after today.',
    });
    const slack = slackFor(services);
    await slack.view('campaign_start_modal', startValues());
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { due_on: 'Pick a due date after today.' },
    });
  });

  it('keeps the form open under the group when Slack cannot list its members, starting nothing', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    slack.client.usergroups.users.list.mockRejectedValueOnce(new Error('missing_scope'));
    await slack.view(
      'campaign_start_modal',
      startValues({ caller_group: { usergroup_search: { selected_option: { value: 'S0WINBACK' } } } }),
    );
    expect(services.startCampaign).not.toHaveBeenCalled();
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { caller_group: 'I could not read that user group. Pick the callers one by one instead.' },
    });
  });

  it('finds user groups by name or handle', async () => {
    const slack = slackFor(fakeServices());
    slack.client.usergroups.list.mockResolvedValue({
      ok: true,
      usergroups: [
        { id: 'S0WIN', name: 'Win-back callers', handle: 'winback', user_count: 4 },
        { id: 'S0SUP', name: 'Support', handle: 'support', user_count: 9 },
      ],
    });
    await slack.options('usergroup_search', ' WIN ');
    expect(slack.ack).toHaveBeenCalledWith({
      options: [{ text: { type: 'plain_text', text: 'Win-back callers (@winback, 4)' }, value: 'S0WIN' }],
    });
  });
});

describe('a caller’s card', () => {
  const press = (actionId: string) => ({
    trigger_id: 'trigger-9',
    actions: [{ action_id: actionId, value: 'call-1' }],
    container: { channel_id: 'D0CALLER', message_ts: '17.5' },
  });

  it('opens the call form for the pressed call, remembering which card to update', async () => {
    const slack = slackFor(fakeServices());
    await slack.action('call_log', press('call_log'));
    const opened = slack.client.views.open.mock.calls[0]![0] as {
      trigger_id: string;
      view: { callback_id: string; private_metadata: string };
    };
    expect(opened.trigger_id).toBe('trigger-9');
    expect(opened.view.callback_id).toBe('call_log_modal');
    expect(JSON.parse(opened.view.private_metadata)).toEqual({ callId: 'call-1', channel: 'D0CALLER', ts: '17.5' });
  });

  it('says so when the form cannot open', async () => {
    const slack = slackFor(fakeServices());
    slack.client.views.open.mockRejectedValueOnce(new Error('expired_trigger_id'));
    await slack.action('call_log', press('call_log'));
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('I could not open the form. Please press "Log call" again.');
  });

  it('logs "Couldn\'t reach" and updates the card in place', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.action('call_unreachable', press('call_unreachable'));
    expect(services.logCall).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 'call-1', {
      reached: false,
    });
    expect(slack.client.chat.update).toHaveBeenCalledWith(expect.objectContaining({ channel: 'D0CALLER', ts: '17.5' }));
  });

  it('reads the call form into the outcome the domain takes', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.view(
      'call_log_modal',
      {
        reached: { value: { selected_option: { value: 'yes' } } },
        reason: { value: { selected_option: { value: 'cat-1' } } },
        verbatim: { value: { value: 'Too dear' } },
        might_return: { value: { selected_option: { value: 'maybe' } } },
      },
      JSON.stringify({ callId: 'call-1', channel: 'D0CALLER', ts: '17.5' }),
    );
    expect(services.logCall).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 'call-1', {
      reached: true,
      reason: 'cat-1',
      verbatim: 'Too dear',
      mightReturn: 'maybe',
    });
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    expect(slack.client.chat.update).toHaveBeenCalledTimes(1);
  });

  it('keeps a call form that does not say which call it is open, saving nothing', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.view('call_log_modal', { reached: { value: { selected_option: { value: 'no' } } } }, '');
    expect(services.logCall).not.toHaveBeenCalled();
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { reached: 'The form came back incomplete. Please fill it in again.' },
    });
  });
});
