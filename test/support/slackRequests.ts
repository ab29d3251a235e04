// Requests the way Slack sends them to the bot: form-encoded slash commands and interactive
// payloads (button and menu choices, message shortcuts, form submissions: JSON in a `payload`
// form field, to the same URL), signed with the app's signing secret
// (https://api.slack.com/authentication/verifying-requests-from-slack), plus a
// deadline-bound poll for answers that arrive later (through response_url).
import { createHmac } from 'node:crypto';

export interface SlashCommand {
  /** e.g. '/digest' */
  command: string;
  text: string;
  userId: string;
  channelId: string;
  /** Where the bot answers; use the stand-in's responseUrl(id). */
  responseUrl: string;
  userName?: string;
  channelName?: string;
  teamId?: string;
}

/** The form body Slack POSTs for a slash command, fields in Slack's order. */
export function slashCommandBody(slash: SlashCommand): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: slash.teamId ?? 'T0STANDIN1',
    team_domain: 'stand-in',
    channel_id: slash.channelId,
    channel_name: slash.channelName ?? slash.channelId.toLowerCase(),
    user_id: slash.userId,
    user_name: slash.userName ?? slash.userId.toLowerCase(),
    command: slash.command,
    text: slash.text,
    api_app_id: 'A0STANDIN1',
    is_enterprise_install: 'false',
    response_url: slash.responseUrl,
    trigger_id: `${Date.now()}.1234.${Math.random().toString(16).slice(2)}`,
  }).toString();
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`, keyed by the signing secret. */
export function slackSignature(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex')}`;
}

export interface SendOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Signs with this secret instead (a forged or misconfigured sender). */
  signWith?: string;
}

/** POSTs a slash command to `${botUrl}/slack/events` exactly as Slack does; resolves with the HTTP status and body. */
export async function sendSlashCommand(
  botUrl: string,
  signingSecret: string,
  slash: SlashCommand,
  options: SendOptions = {},
): Promise<{ status: number; body: string }> {
  return postSigned(botUrl, signingSecret, slashCommandBody(slash), options);
}

/** POSTs an interactive payload (`payload=<JSON>`, form-encoded) to `${botUrl}/slack/events` as Slack does. */
export async function sendInteraction(
  botUrl: string,
  signingSecret: string,
  payload: Record<string, unknown>,
  options: SendOptions = {},
): Promise<{ status: number; body: string }> {
  return postSigned(
    botUrl,
    signingSecret,
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    options,
  );
}

/** POSTs an Events API `event_callback` (JSON) to `${botUrl}/slack/events` as Slack does, addressed to the stand-in's bot. */
export async function sendEvent(
  botUrl: string,
  signingSecret: string,
  event: Record<string, unknown>,
  options: SendOptions & { botUserId?: string } = {},
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0STANDIN1',
    api_app_id: 'A0STANDIN1',
    event: { event_ts: actionTs(), ...event },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: 'T0STANDIN1',
        user_id: options.botUserId ?? 'U0STANDBOT',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
  return postSigned(botUrl, signingSecret, body, options, 'application/json');
}

async function postSigned(
  botUrl: string,
  signingSecret: string,
  body: string,
  options: SendOptions,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(options.signWith ?? signingSecret, timestamp, body),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** A wait is a guard against a hang, never a speed check: a second test run beside this one can slow anything down this much. */
const patienceMs = 60_000;

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs` (at least a minute). */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const timeoutMs = Math.max(options.timeoutMs ?? 0, patienceMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

const teamId = 'T0STANDIN1';
const appId = 'A0STANDIN1';

function triggerId(): string {
  return `${Date.now()}.1234.${Math.random().toString(16).slice(2)}`;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

function userOf(userId: string) {
  return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId };
}

export interface Interaction {
  userId: string;
  channelId: string;
  /** Where the bot answers; use the stand-in's responseUrl(id). */
  responseUrl: string;
  teamDomain?: string;
}

/**
 * A `block_actions` payload: someone chose an option in a menu (`selected`) or pressed a
 * button (`value`) on an ephemeral message the bot posted.
 */
export function blockActionsPayload(
  interaction: Interaction,
  action: {
    actionId: string;
    blockId: string;
    selected?: { text: string; value: string };
    value?: string;
    /** A button on a message posted in the channel (not an ephemeral one): Slack sends the message along. */
    onMessage?: { ts: string; text: string; blocks?: unknown[] };
  },
): Record<string, unknown> {
  const element = action.selected
    ? {
        type: 'static_select',
        selected_option: {
          text: { type: 'plain_text', text: action.selected.text, emoji: true },
          value: action.selected.value,
        },
        placeholder: { type: 'plain_text', text: 'Choose', emoji: true },
      }
    : { type: 'button', text: { type: 'plain_text', text: 'Button', emoji: true }, value: action.value ?? '' };
  return {
    type: 'block_actions',
    user: userOf(interaction.userId),
    api_app_id: appId,
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: action.onMessage?.ts ?? actionTs(),
      channel_id: interaction.channelId,
      is_ephemeral: !action.onMessage,
    },
    ...(action.onMessage
      ? { message: { type: 'message', user: 'U0STANDBOT', ...action.onMessage, blocks: action.onMessage.blocks ?? [] } }
      : {}),
    trigger_id: triggerId(),
    team: { id: teamId, domain: interaction.teamDomain ?? 'stand-in' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: interaction.channelId, name: interaction.channelId.toLowerCase() },
    state: { values: {} },
    response_url: interaction.responseUrl,
    actions: [{ ...element, action_id: action.actionId, block_id: action.blockId, action_ts: actionTs() }],
  };
}

/** A `message_action` payload: the message shortcut `callbackId` used on a message in a channel. */
export function messageShortcutPayload(
  interaction: Interaction,
  callbackId: string,
  message: { ts: string; user: string; text?: string; files?: unknown[] },
): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: actionTs(),
    team: { id: teamId, domain: interaction.teamDomain ?? 'stand-in' },
    user: userOf(interaction.userId),
    channel: { id: interaction.channelId, name: interaction.channelId.toLowerCase() },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: triggerId(),
    response_url: interaction.responseUrl,
    message_ts: message.ts,
    message: {
      type: 'message',
      user: message.user,
      ts: message.ts,
      team: teamId,
      text: message.text ?? '',
      ...(message.files ? { files: message.files, upload: true } : {}),
    },
  };
}

/** A `view_submission` payload: the person pressed the submit button of a modal with these `values` (view.state.values). */
export function viewSubmissionPayload(
  userId: string,
  view: { callbackId: string; privateMetadata?: string; values: Record<string, Record<string, unknown>> },
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'stand-in' },
    user: userOf(userId),
    api_app_id: appId,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(),
    view: {
      id: 'V0SUBMITTED',
      team_id: teamId,
      type: 'modal',
      blocks: [],
      private_metadata: view.privateMetadata ?? '',
      callback_id: view.callbackId,
      state: { values: view.values },
      hash: `${Math.floor(Date.now() / 1000)}.abcdef`,
      title: { type: 'plain_text', text: 'Form', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: 'V0SUBMITTED',
      app_id: appId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B0STANDBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
