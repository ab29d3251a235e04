// A stand-in for Bolt's App in unit tests, as Bolt's sample apps test their listeners: the
// registration adds its listeners here, and a test calls one with a fake ack, respond and client.
import { vi } from 'vitest';
import { registerHandlers, type ListenerHost, type SlackFeature } from '../../src/slack/handlers.js';

type Listener = (args: Record<string, unknown>) => Promise<void>;
type Kind = 'command' | 'action' | 'view' | 'shortcut' | 'options' | 'event';

export interface LogLine {
  message: string;
  context?: Record<string, unknown>;
}

/** A Web API client that records calls; `views.open` and friends answer as Slack does. */
export function fakeClient() {
  return {
    views: { open: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true })) },
    chat: {
      postMessage: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true, ts: '1.1' })),
      postEphemeral: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true })),
      update: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true })),
    },
    conversations: {
      open: vi.fn(async (args: { users: string }) => ({ ok: true, channel: { id: `D-${args.users}` } })),
      join: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true })),
    },
    usergroups: {
      list: vi.fn(async (_args: Record<string, unknown>) => ({
        ok: true,
        usergroups: [] as Array<Record<string, unknown>>,
      })),
      users: { list: vi.fn(async (_args: Record<string, unknown>) => ({ ok: true, users: [] as string[] })) },
    },
  };
}

export type FakeClient = ReturnType<typeof fakeClient>;

/** Registers the features on a fake app and lets a test deliver one request to a listener. */
export function fakeSlack(...features: SlackFeature[]) {
  const listeners: Array<{ kind: Kind; name: string | RegExp; listener: Listener }> = [];
  const on = (kind: Kind) => (name: string | RegExp, listener: Listener) =>
    void listeners.push({ kind, name, listener });
  const host = {
    command: on('command'),
    action: on('action'),
    view: on('view'),
    shortcut: on('shortcut'),
    options: on('options'),
    event: on('event'),
    error: () => {},
  };
  const logs: LogLine[] = [];
  registerHandlers(
    host as unknown as ListenerHost,
    (message, context) => void logs.push({ message, ...(context ? { context } : {}) }),
    features,
  );
  const client = fakeClient();

  /** Every listener Bolt would run for this request, in the order they were added, as Bolt does. */
  async function deliver(kind: Kind, name: string, args: Record<string, unknown>) {
    const matching = listeners.filter(
      (entry) => entry.kind === kind && (typeof entry.name === 'string' ? entry.name === name : entry.name.test(name)),
    );
    if (!matching.length) throw new Error(`nothing listens for ${kind} ${name}`);
    for (const entry of matching) await entry.listener({ client, ...args });
  }

  /** Calls in the order they happened: acknowledgements and answers through response_url. */
  const said: Array<{ via: 'ack' | 'respond'; message: unknown }> = [];
  const ack = vi.fn(async (message?: unknown) => void said.push({ via: 'ack', message }));
  const respond = vi.fn(async (message: unknown) => void said.push({ via: 'respond', message }));

  return {
    client,
    logs,
    said,
    ack,
    respond,
    names: (kind: Kind) =>
      listeners
        .filter((entry) => entry.kind === kind && typeof entry.name === 'string')
        .map((entry) => entry.name as string),
    command: (command: string, text: string, body: Record<string, unknown> = {}) =>
      deliver('command', command, {
        ack,
        respond,
        command: { command, user_id: 'U0STAFF', channel_id: 'C0SUPPORT', text, trigger_id: 'trigger-1', ...body },
      }),
    action: (actionId: string, body: Record<string, unknown>) =>
      deliver('action', actionId, { ack, respond, body: { user: { id: 'U0STAFF' }, ...body } }),
    shortcut: (callbackId: string, body: Record<string, unknown>) =>
      deliver('shortcut', callbackId, { ack, respond, body: { user: { id: 'U0STAFF' }, ...body } }),
    view: (callbackId: string, values: unknown, privateMetadata = '') =>
      deliver('view', callbackId, {
        ack,
        view: { callback_id: callbackId, state: { values }, private_metadata: privateMetadata },
        body: { user: { id: 'U0STAFF' } },
      }),
    options: (actionId: string, value: string) => deliver('options', actionId, { ack, options: { value } }),
    event: (type: string, event: Record<string, unknown>, context: Record<string, unknown> = {}) =>
      deliver('event', type, { event: { type, ...event }, context }),
  };
}

/** The text of an answer, whether plain or with blocks. */
export const textOf = (message: unknown) =>
  typeof message === 'string' ? message : (message as { text?: string } | undefined)?.text;
