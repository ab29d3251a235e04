// What the playground shows is replayed from the bot's own Slack calls; these are the rules
// Slack follows that the replay must follow too.
import { describe, expect, it } from 'vitest';
import { Conversation, keptMessages } from '../../src/playground/conversation.js';
import type { RecordedCall } from '../../src/playground/slackStandIn.js';

const call = (method: string, args: Record<string, unknown>, result: Record<string, unknown> = { ok: true }) =>
  ({ method, args, at: Date.now(), result }) as RecordedCall;
const section = (text: string) => [{ type: 'section', text: { type: 'mrkdwn', text } }];

describe('the playground conversation', () => {
  it('shows a command’s answer only to whoever typed it, and a later replace_original replaces that answer', () => {
    const conversation = new Conversation();
    conversation.typed('C1', 'U1', '/feedback late again');
    conversation.expectResponses('r1', { place: 'C1', user: 'U1' });
    conversation.answered('r1', { text: 'Logged as #14', blocks: section('Logged as #14') });
    conversation.catchUp([
      call('response_url', {
        responseId: 'r1',
        replace_original: true,
        text: 'Filed',
        blocks: section('Filed under Use'),
      }),
    ]);
    expect(conversation.messages.map((message) => [message.visibleTo, message.text])).toEqual([
      [undefined, '/feedback late again'],
      ['U1', 'Filed'],
    ]);
  });

  it('updates a posted message in place, drops a deleted one, and ignores calls Slack refused', () => {
    const conversation = new Conversation();
    conversation.catchUp([
      call(
        'chat.postMessage',
        { channel: 'D1', text: 'List', blocks: section('3 to call') },
        { ok: true, channel: 'D1', ts: '1.1' },
      ),
      call('chat.postMessage', { channel: 'C2', text: 'Gone' }, { ok: true, channel: 'C2', ts: '1.2' }),
      call('chat.postMessage', { channel: 'C9', text: 'Refused' }, { ok: false, error: 'channel_not_found' }),
      call('chat.update', { channel: 'D1', ts: '1.1', text: 'List', blocks: section('2 to call') }),
      call('chat.delete', { channel: 'C2', ts: '1.2' }),
    ]);
    expect(conversation.messages).toHaveLength(1);
    expect(conversation.messages[0]!.blocks).toEqual(section('2 to call'));
  });

  it('opens a form for whoever acted, and replaces it when the bot updates it', () => {
    const conversation = new Conversation();
    conversation.actor('U2');
    conversation.catchUp([
      call('views.open', { view: { callback_id: 'log', title: 'Log' } }, { ok: true, view: { id: 'V1' } }),
      call('views.update', { view_id: 'V1', view: { callback_id: 'log', title: 'Log again' } }),
    ]);
    expect(conversation.views).toEqual([
      { id: 'V1', user: 'U2', view: { callback_id: 'log', title: 'Log again', id: 'V1' } },
    ]);
    conversation.closeViews('U2');
    expect(conversation.views).toEqual([]);
  });

  it('keeps the latest messages only, and forgets the calls it has shown', () => {
    const conversation = new Conversation();
    const calls = Array.from({ length: keptMessages + 5 }, (_, index) =>
      call('chat.postMessage', { channel: 'C1', text: `m${index}` }, { ok: true, channel: 'C1', ts: `1.${index}` }),
    );
    conversation.catchUp(calls);
    expect(calls).toEqual([]);
    expect(conversation.messages).toHaveLength(keptMessages);
    expect(conversation.messages[0]!.text).toBe('m5');
  });
});
