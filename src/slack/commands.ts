// Slash-command text, parsed at the edge. Slack sends mentions escaped as <@U123|name>
// because the manifest sets should_escape.
import { z } from 'zod';
import { roleNames, type RoleName } from '../domain/people.js';
import type { TermKind } from '../domain/vocabulary.js';

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

export type CcoCommand =
  | { kind: 'role'; userId: string; role: RoleName }
  | { kind: 'claim' }
  | { kind: 'help' }
  | { kind: 'terms'; terms: TermKind; action: 'list' }
  | { kind: 'terms'; terms: TermKind; action: 'replace'; names: string }
  | { kind: 'terms'; terms: TermKind; action: 'rename'; from: string; to: string }
  | { kind: 'terms'; terms: TermKind; action: 'keywords'; name: string; keywords: string };

export const ccoHelp =
  'Try `/cco role @person leader` (or `cco`, `staff`), `/cco claim` if the workspace has no CCO yet, `/cco stages` or `/cco categories` to see the company language, `/cco stages Discover, Decide, Start, Use, Get help, Renew or leave` to set it, `/cco stages rename Get help to Support`, or `/cco keywords category Billing: invoice, refund`.';

/** `/cco stages …` and `/cco categories …`: one company language, set by the CCO. */
function parseTerms(terms: TermKind, rest: string): { ok: true; command: CcoCommand } | { ok: false; message: string } {
  if (!rest) return { ok: true, command: { kind: 'terms', terms, action: 'list' } };
  const rename = /^rename\s+(.+?)\s+to\s+(.+)$/i.exec(rest);
  if (rename) return { ok: true, command: { kind: 'terms', terms, action: 'rename', from: unquote(rename[1]!), to: unquote(rename[2]!) } };
  if (/^rename\b/i.test(rest)) return { ok: false, message: `Say what to rename and to what, like \`/cco ${terms === 'stage' ? 'stages rename Get help to Support' : 'categories rename Price to Price and value'}\`.` };
  return { ok: true, command: { kind: 'terms', terms, action: 'replace', names: rest } };
}

const unquote = (text: string) => text.trim().replace(/^["“']|["”']$/g, '').trim();

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
  const rest = text.trim().slice(words[0]!.length).trim();
  if (first === 'stages') return parseTerms('stage', rest);
  if (first === 'categories') return parseTerms('category', rest);
  if (first === 'keywords') {
    const keywords = /^(stage|category)\s+([^:]+):(.*)$/is.exec(rest);
    if (keywords) return { ok: true, command: { kind: 'terms', terms: keywords[1]!.toLowerCase() as TermKind, action: 'keywords', name: unquote(keywords[2]!), keywords: keywords[3]!.trim() } };
    return { ok: false, message: 'Say which stage or category and its words, like `/cco keywords category Billing: invoice, refund, charged twice`.' };
  }
  if (first === 'role') {
    const parsed = roleCommand.safeParse([first, words[1] ?? '', words[2]?.toLowerCase() ?? '']);
    if (parsed.success) return { ok: true, command: { kind: 'role', userId: /^<@([UW][A-Z0-9]+)/.exec(parsed.data[1])![1]!, role: parsed.data[2] } };
    return { ok: false, message: 'Name the person with an @-mention and a role, like `/cco role @dana leader`. Roles are `cco`, `leader` and `staff`.' };
  }
  return { ok: false, message: `I don't know \`/cco ${first.slice(0, 40)}\`. ${ccoHelp}` };
}
