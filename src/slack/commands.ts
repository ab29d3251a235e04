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

export type IssuesCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'merge'; from: number; into: number }
  | { kind: 'split'; issue: number; feedback: number[] }
  | { kind: 'announce'; on: boolean };

export const issuesHelp =
  '`/issues` lists open issues, `/issues merge 12 into 7` folds #12 into #7, `/issues split 7 f12 f15` moves feedback #12 and #15 into a new issue, `/issues announce-here` (or `announce-stop`) chooses where fixes are announced, and `/resolve 7 what changed` resolves one.';

const number = (word: string | undefined) => (word && /^#?\d{1,9}$/.test(word) ? Number(word.replace('#', '')) : undefined);

export function parseIssuesCommand(text: string): { ok: true; command: IssuesCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (!first || first === 'list') return { ok: true, command: { kind: 'list' } };
  if (first === 'help') return { ok: true, command: { kind: 'help' } };
  if (first === 'announce-here' || first === 'announce-stop') return { ok: true, command: { kind: 'announce', on: first === 'announce-here' } };
  if (first === 'merge') {
    const from = number(words[1]);
    const into = number(words[words[2]?.toLowerCase() === 'into' ? 3 : 2]);
    if (from !== undefined && into !== undefined) return { ok: true, command: { kind: 'merge', from, into } };
    return { ok: false, message: 'Say which issue goes into which, like `/issues merge 12 into 7`.' };
  }
  if (first === 'split') {
    const issue = number(words[1]);
    const feedback = words.slice(2).map((word) => (/^(f|#)?\d{1,9}$/i.test(word) ? Number(word.replace(/^(f|#)/i, '')) : NaN));
    if (issue !== undefined && feedback.length && feedback.every(Number.isInteger)) return { ok: true, command: { kind: 'split', issue, feedback } };
    return { ok: false, message: 'Say which issue and which feedback to move out of it, like `/issues split 7 f12 f15`.' };
  }
  return { ok: false, message: `I don't know \`/issues ${first.slice(0, 40)}\`. ${issuesHelp}` };
}

export function parseResolveCommand(text: string): { ok: true; issue?: number; whatChanged: string } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, whatChanged: '' };
  const match = /^#?(\d{1,9})\b\s*(.*)$/s.exec(trimmed);
  if (!match) return { ok: false, message: 'Start with the issue number, then what changed: `/resolve 7 Refunds now arrive within 24 hours`. `/issues` lists the open ones.' };
  return { ok: true, issue: Number(match[1]), whatChanged: match[2]!.trim() };
}
