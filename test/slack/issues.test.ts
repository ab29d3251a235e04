import { describe, expect, it, vi } from 'vitest';
import type { IssueSummary } from '../../src/domain/issues.js';
import { createIssues, type IssuesServices } from '../../src/slack/issues.js';
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

function fakeServices() {
  return {
    openIssues: vi.fn(async () => [issue(7, 'Checkout is slow <script>')]),
    mergeIssues: vi.fn(async () => ({ ok: true, message: 'Merged #12 into #7 “R&D”.' })),
    resolveChoices: vi.fn(
      async (): Promise<{ ok: true; open: IssueSummary[] } | { ok: false; code: string; message: string }> => ({
        ok: true,
        open: [issue(7, 'Checkout is slow'), issue(9, 'Refunds')],
      }),
    ),
    resolveIssue: vi.fn(async (): Promise<{ ok: boolean; message: string }> => ({ ok: true, message: 'Resolved #7.' })),
  };
}

const slackFor = (services: ReturnType<typeof fakeServices>) =>
  fakeSlack(createIssues(services as unknown as IssuesServices));

describe('/issues and /resolve in Slack', () => {
  it('lists open issues with a Resolve button each, titles escaped', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.command('/issues', '');
    expect(services.openIssues).toHaveBeenCalledWith(40);
    const shown = JSON.stringify(slack.respond.mock.calls[0]![0]);
    expect(shown).toContain('Checkout is slow &lt;script&gt;');
    expect(shown).toContain('"action_id":"issue_resolve"');
  });

  it('escapes the domain’s words before they reach mrkdwn', async () => {
    const slack = slackFor(fakeServices());
    await slack.command('/issues', 'merge 12 into 7');
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('Merged #12 into #7 “R&amp;D”.');
  });

  it('opens the resolve form with the command’s trigger, the issue given already chosen', async () => {
    const slack = slackFor(fakeServices());
    await slack.command('/resolve', '9', { trigger_id: 'trigger-3' });
    const opened = slack.client.views.open.mock.calls[0]![0] as {
      trigger_id: string;
      view: { callback_id: string; blocks: Array<{ element?: { initial_option?: { value: string } } }> };
    };
    expect(opened.trigger_id).toBe('trigger-3');
    expect(opened.view.callback_id).toBe('resolve_modal');
    expect(opened.view.blocks[0]!.element!.initial_option!.value).toBe('9');
  });

  it('opens no form when there is nothing to resolve or the person may not, and says why', async () => {
    const services = fakeServices();
    services.resolveChoices.mockResolvedValueOnce({
      ok: false,
      code: 'nothingOpen',
      message: 'There are no open issues to resolve.',
    });
    const slack = slackFor(services);
    await slack.action('issue_resolve', { trigger_id: 'trigger-4', actions: [{ value: '7' }] });
    expect(slack.client.views.open).not.toHaveBeenCalled();
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('There are no open issues to resolve.');
  });

  it('resolves straight from the command when it says what changed', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.command('/resolve', '7 the checkout was rebuilt');
    expect(services.resolveIssue).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      7,
      'the checkout was rebuilt',
    );
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('Resolved #7.');
  });

  it('says the issue was not resolved when resolving fails on our side', async () => {
    const services = fakeServices();
    services.resolveIssue.mockRejectedValueOnce(new Error('deadlock'));
    const slack = slackFor(services);
    await slack.command('/resolve', '7 the checkout was rebuilt');
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'Something went wrong on our side and the issue was not resolved. Please try again in a minute.',
    );
  });
});

describe('the resolve form', () => {
  const values = (picked: string | null, whatChanged = 'Rebuilt it') => ({
    issue: { value: { selected_option: picked === null ? null : { value: picked } } },
    what_changed: { value: { value: whatChanged } },
  });

  it('asks for the issue when none was picked, resolving nothing', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.view('resolve_modal', values(null));
    expect(services.resolveIssue).not.toHaveBeenCalled();
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { issue: 'Pick the issue that was fixed.' },
    });
  });

  it('shows the domain’s refusal under "What changed"', async () => {
    const services = fakeServices();
    services.resolveIssue.mockResolvedValueOnce({
      ok: false,
      message: 'Say what changed, in a sentence customers would understand.',
    });
    const slack = slackFor(services);
    await slack.view('resolve_modal', values('7', ''));
    expect(slack.ack).toHaveBeenCalledWith({
      response_action: 'errors',
      errors: { what_changed: 'Say what changed, in a sentence customers would understand.' },
    });
  });

  it('closes the form and confirms in a direct message', async () => {
    const services = fakeServices();
    const slack = slackFor(services);
    await slack.view('resolve_modal', values('7'));
    expect(services.resolveIssue).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, 7, 'Rebuilt it');
    expect(slack.ack).toHaveBeenCalledWith(undefined);
    expect(slack.client.chat.postMessage).toHaveBeenCalledWith({ channel: 'D-U0STAFF', text: 'Resolved #7.' });
  });
});
