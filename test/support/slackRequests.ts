// Requests the way Slack sends them to the bot: form-encoded slash commands, signed with
// the app's signing secret (https://api.slack.com/authentication/verifying-requests-from-slack),
// plus a deadline-bound poll for answers that arrive later (through response_url).
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
export async function sendSlashCommand(botUrl: string, signingSecret: string, slash: SlashCommand, options: SendOptions = {}): Promise<{ status: number; body: string }> {
  const body = slashCommandBody(slash);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${botUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': slackSignature(options.signWith ?? signingSecret, timestamp, body),
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, options: { what: string; timeoutMs?: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
