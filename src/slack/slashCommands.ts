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

/** `/digest link 2026-11-16` carries the week as typed; the domain says whether it is one. */
export function parseDigestCommand(
  text: string,
): { ok: true; action: DigestAction; week?: string } | { ok: false; message: string } {
  const [first, second] = text.trim().split(/\s+/);
  const word = first?.toLowerCase() || 'preview';
  const parsed = z.enum(digestActions).safeParse(word);
  if (parsed.success)
    return parsed.data === 'link' && second
      ? { ok: true, action: 'link', week: second }
      : { ok: true, action: parsed.data };
  return { ok: false, message: `I don't know \`/digest ${word.slice(0, 40)}\`. ${digestHelp}` };
}

/** Added where a subscription begins: Slack lets a bot join a public channel, but only a person can invite it to a private one. */
export const privateChannelHint = ' In a private channel, invite me so I can post.';

export const digestHelp =
  'Try `/digest preview` (only you see it), `/digest subscribe` or `/digest unsubscribe` (this channel gets the Monday digest), `/digest now` (post it here now), or `/digest link` (a private link to the digest page, for 24 hours).';

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
  '/state-of-the-customer',
] as const;

export function unknownCommandAnswer(command: string): string {
  return `I don't know \`${command.slice(0, 40)}\`. I answer ${slashCommands.map((name) => `\`${name}\``).join(', ')}; try \`/digest help\`.`;
}
