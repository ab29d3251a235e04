// Slash-command text, parsed at the edge. Slack sends mentions escaped as <@U123|name>
// because the manifest sets should_escape.
import { z } from 'zod';
import { roleNames, type RoleName } from '../domain/people.js';

export const commandPayload = z.object({
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  text: z.string().default(''),
});

const digestActions = ['preview', 'subscribe', 'unsubscribe', 'now', 'help'] as const;
export type DigestAction = (typeof digestActions)[number];

export function parseDigestCommand(text: string): { ok: true; action: DigestAction } | { ok: false; message: string } {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() || 'preview';
  const parsed = z.enum(digestActions).safeParse(word);
  if (parsed.success) return { ok: true, action: parsed.data };
  return { ok: false, message: `I don't know \`/digest ${word.slice(0, 40)}\`. ${digestHelp}` };
}

export const digestHelp =
  'Try `/digest preview` (only you see it), `/digest subscribe` or `/digest unsubscribe` (this channel gets the Monday digest), or `/digest now` (post it here now).';

export type CcoCommand = { kind: 'role'; userId: string; role: RoleName } | { kind: 'claim' } | { kind: 'help' };

export const ccoHelp = 'Try `/cco role @person leader` (or `cco`, `staff`), or `/cco claim` if the workspace has no CCO yet.';

const roleCommand = z.tuple([
  z.literal('role'),
  z.string().regex(/^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/, 'mention'),
  z.enum(roleNames),
]);

export function parseCcoCommand(text: string): { ok: true; command: CcoCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (!first || first === 'help') return { ok: true, command: { kind: 'help' } };
  if (first === 'claim' && words.length === 1) return { ok: true, command: { kind: 'claim' } };
  if (first === 'role') {
    const parsed = roleCommand.safeParse([first, words[1] ?? '', words[2]?.toLowerCase() ?? '']);
    if (parsed.success) return { ok: true, command: { kind: 'role', userId: /^<@([UW][A-Z0-9]+)/.exec(parsed.data[1])![1]!, role: parsed.data[2] } };
    return { ok: false, message: 'Name the person with an @-mention and a role, like `/cco role @dana leader`. Roles are `cco`, `leader` and `staff`.' };
  }
  return { ok: false, message: `I don't know \`/cco ${first.slice(0, 40)}\`. ${ccoHelp}` };
}
