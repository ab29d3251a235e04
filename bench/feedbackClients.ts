// The 200 people of the /feedback bench, in a process of their own so the bot's process is
// measured alone. Every request is signed first, then all are sent at once; each one's time
// is from sending to Slack's answer (the acknowledgement) arriving.
import { performance } from 'node:perf_hooks';
import { slashCommandBody, slackSignature } from '../test/support/slackRequests.js';

interface Plan {
  botUrl: string;
  signingSecret: string;
  /** 0 sends everything at once; otherwise one request every `spacingMs`. */
  spacingMs: number;
  commands: Array<{ userId: string; text: string; responseUrl: string }>;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const timestamp = Math.floor(Date.now() / 1000);
const signed = plan.commands.map((command) => {
  const body = slashCommandBody({
    command: '/feedback',
    text: command.text,
    userId: command.userId,
    channelId: 'C0BENCH',
    responseUrl: command.responseUrl,
  });
  return { body, signature: slackSignature(plan.signingSecret, timestamp, body) };
});
const results = await Promise.all(
  signed.map(async ({ body, signature }, index) => {
    if (plan.spacingMs) await new Promise((resolve) => setTimeout(resolve, index * plan.spacingMs));
    const started = performance.now();
    const response = await fetch(`${plan.botUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': signature,
      },
      body,
    });
    const text = await response.text();
    return { ms: performance.now() - started, status: response.status, body: text };
  }),
);
process.stdout.write(JSON.stringify(results));
