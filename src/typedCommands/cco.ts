// `cco …` as typed words, for Slack (`/cco`, mentions escaped as `<@U123|name>` because the
// manifest sets should_escape) and Teams (`cco`, mentions `<at>Name</at>` resolved from the
// activity's entities). Each platform says how to read a mention; the rest is the same.
import { z } from 'zod';
import { roleNames, type RoleName } from '../domain/people.js';
import type { SourcesOrSurveysRequest, TermKind } from '../domain/language.js';
import type { CustomerLifeRequest } from '../domain/customerLife.js';
import { slackWords, type CommandPrefix, type CommandWords } from './words.js';

export type CcoCommand =
  | { kind: 'role'; userId: string; role: RoleName }
  | { kind: 'claim' }
  | { kind: 'help' }
  | { kind: 'undelivered' }
  | { kind: 'terms'; terms: TermKind; action: 'list' }
  | { kind: 'terms'; terms: TermKind; action: 'replace'; names: string }
  | { kind: 'terms'; terms: TermKind; action: 'rename'; from: string; to: string }
  | { kind: 'terms'; terms: TermKind; action: 'keywords'; name: string; keywords: string }
  | SourcesOrSurveysRequest
  | CustomerLifeRequest;

export const ccoHelpFor = (prefix: CommandPrefix) =>
  `Try \`${prefix}cco role @person leader\` (or \`cco\`, \`staff\`), \`${prefix}cco claim\` if ${prefix === '/' ? 'the workspace has' : 'there is'} no CCO yet, \`${prefix}cco stages\` or \`${prefix}cco categories\` to see the company language, \`${prefix}cco stages Discover, Decide, Start, Use, Get help, Renew or leave\` to set it, \`${prefix}cco stages rename Get help to Support\`, \`${prefix}cco keywords category Billing: invoice, refund\`, \`${prefix}cco sources\`, \`${prefix}cco surveys "Onboarding NPS" Start\` to file a survey's answers under a stage, \`${prefix}cco lapse Retail 90 days\` for how long a segment's customers may stay silent before they count as lapsed, \`${prefix}cco tiers Bronze 0, Silver 1000, Gold 10000\` to name value tiers by yearly value, or \`${prefix}cco undelivered\` for messages the bot could not deliver.`;

export const ccoHelp = ccoHelpFor('/');

type Parsed = { ok: true; command: CcoCommand } | { ok: false; message: string };

const unquote = (text: string) =>
  text
    .trim()
    .replace(/^["“']|["”']$/g, '')
    .trim();

/** `cco stages …` and `cco categories …`: one company language, set by the CCO. */
function parseTerms(terms: TermKind, rest: string, prefix: CommandPrefix = '/'): Parsed {
  if (!rest) return { ok: true, command: { kind: 'terms', terms, action: 'list' } };
  const rename = /^rename\s+(.+?)\s+to\s+(.+)$/i.exec(rest);
  if (rename)
    return {
      ok: true,
      command: { kind: 'terms', terms, action: 'rename', from: unquote(rename[1]!), to: unquote(rename[2]!) },
    };
  if (/^rename\b/i.test(rest))
    return {
      ok: false,
      message: `Say what to rename and to what, like \`${prefix}cco ${terms === 'stage' ? 'stages rename Get help to Support' : 'categories rename Price to Price and value'}\`.`,
    };
  return { ok: true, command: { kind: 'terms', terms, action: 'replace', names: rest } };
}

/** `cco surveys`, `cco surveys "Onboarding NPS" Start` (or `Onboarding NPS: Start`), `cco surveys remove "Onboarding NPS"`. */
function parseSurveys(rest: string, prefix: CommandPrefix): Parsed {
  if (!rest) return { ok: true, command: { kind: 'surveys', action: 'list' } };
  const remove = /^remove\s+(.+)$/i.exec(rest);
  if (remove) return { ok: true, command: { kind: 'surveys', action: 'remove', name: unquote(remove[1]!) } };
  const mapping = /^["“]([^"”]+)["”]\s+(.+)$/.exec(rest) ?? /^([^:]+):\s*(.+)$/.exec(rest);
  if (mapping)
    return {
      ok: true,
      command: { kind: 'surveys', action: 'map', name: mapping[1]!.trim(), stage: unquote(mapping[2]!) },
    };
  return {
    ok: false,
    message: `Put the survey's name in quotes, then the journey stage where customers receive it, like \`${prefix}cco surveys "Onboarding NPS" Start\`.`,
  };
}

const roleName = z.enum(roleNames);

export function parseCcoCommand(text: string, words: CommandWords = slackWords): Parsed {
  const { prefix } = words;
  const parts = text.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.toLowerCase();
  if (!first || first === 'help') return { ok: true, command: { kind: 'help' } };
  if (first === 'claim' && parts.length === 1) return { ok: true, command: { kind: 'claim' } };
  if (first === 'undelivered' && parts.length === 1) return { ok: true, command: { kind: 'undelivered' } };
  const rest = text.trim().slice(parts[0]!.length).trim();
  if (first === 'stages') return parseTerms('stage', rest, prefix);
  if (first === 'categories') return parseTerms('category', rest, prefix);
  if (first === 'sources') return { ok: true, command: { kind: 'sources' } };
  if (first === 'surveys') return parseSurveys(rest, prefix);
  // The words themselves are checked where the change is made, so both platforms answer alike.
  if (first === 'lapse' || first === 'tiers')
    return { ok: true, command: rest ? { kind: first, action: 'set', text: rest } : { kind: first, action: 'list' } };
  if (first === 'keywords') {
    const keywords = /^(stage|category)\s+([^:]+):(.*)$/is.exec(rest);
    if (keywords)
      return {
        ok: true,
        command: {
          kind: 'terms',
          terms: keywords[1]!.toLowerCase() as TermKind,
          action: 'keywords',
          name: unquote(keywords[2]!),
          keywords: keywords[3]!.trim(),
        },
      };
    return {
      ok: false,
      message: `Say which stage or category and its words, like \`${prefix}cco keywords category Billing: invoice, refund, charged twice\`.`,
    };
  }
  if (first === 'role') {
    const userId = parts[1] ? words.mention(parts[1]) : undefined;
    const role = roleName.safeParse(parts[2]?.toLowerCase());
    if (userId && role.success) return { ok: true, command: { kind: 'role', userId, role: role.data } };
    return {
      ok: false,
      message: `Name the person with an @-mention and a role, like \`${prefix}cco role @dana leader\`. Roles are \`cco\`, \`leader\` and \`staff\`.`,
    };
  }
  return { ok: false, message: `I don't know \`${prefix}cco ${first.slice(0, 40)}\`. ${ccoHelpFor(prefix)}` };
}
