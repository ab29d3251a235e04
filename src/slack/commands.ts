// Slash-command text, parsed at the edge. `/cco`, `/campaign` and `/issues` are read in
// src/commands/, shared with Teams.
import { z } from 'zod';

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
