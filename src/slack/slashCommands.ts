// Slash-command text, parsed at the edge. `/cco`, `/campaign` and `/issues` are read in
// src/commands/, shared with Teams.
import { z } from 'zod';

export const commandPayload = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
});

const digestActions = ['preview', 'subscribe', 'unsubscribe', 'now', 'link', 'help'] as const;
export type DigestAction = (typeof digestActions)[number];

/** A word that starts like a period (`month`, `2026-Q3`, `2026-10`): `/digest 2026-Q3` previews it. */
const periodLike = /^(week|month|quarter|year|\d{4}(-.*)?)$/i;

/**
 * `/digest link 2026-11-16`, `/digest preview 2026-Q3`, `/digest subscribe monthly` carry the
 * period or cadence as typed (`argument`); the service says whether it is one.
 */
export function parseDigestCommand(
  text: string,
): { ok: true; action: DigestAction; argument?: string } | { ok: false; message: string } {
  const [first, second] = text.trim().split(/\s+/);
  const word = first?.toLowerCase() || 'preview';
  const parsed = z.enum(digestActions).safeParse(word);
  if (parsed.success)
    return second && parsed.data !== 'help'
      ? { ok: true, action: parsed.data, argument: second }
      : { ok: true, action: parsed.data };
  if (first && periodLike.test(first)) return { ok: true, action: 'preview', argument: first };
  return { ok: false, message: `I don't know \`/digest ${word.slice(0, 40)}\`. ${digestHelp}` };
}

/** Added where a subscription begins: Slack lets a bot join a public channel, but only a person can invite it to a private one. */
export const privateChannelHint = ' In a private channel, invite me so I can post.';

export const digestHelp =
  'Try `/digest preview` (only you see it), `/digest subscribe` or `/digest unsubscribe` (this channel gets the Monday digest), `/digest now` (post it here now), or `/digest link` (a private link to the digest page, for 24 hours). Add a period to see another: `/digest preview month`, `quarter`, `year`, `2026-10`, `2026-Q3` or `2026`; `/digest subscribe monthly` (or `quarterly`, `yearly`) sends that story on the first Monday after each one ends.';

/**
 * Every slash command the bot answers, as in manifests/slack.yaml. Bolt gives no "no listener
 * matched" hook, so a command outside this list is answered "I don't know" instead of timing out.
 */
export const slashCommands = [
  '/digest',
  '/cco',
  '/feedback',
  '/issues',
  '/resolve',
  '/campaign',
  '/warnings',
  '/priorities',
  '/customer-room',
  '/state-of-the-customer',
] as const;

export function unknownCommandAnswer(command: string): string {
  return `I don't know \`${command.slice(0, 40)}\`. I answer ${slashCommands.map((name) => `\`${name}\``).join(', ')}; try \`/digest help\`.`;
}
