// `issues …` and `resolve …` as typed words, parsed the same way for Slack (`/issues`) and
// Teams (`issues`, no slash); only the way a command is written in help differs.
import { typedNumber, type CommandPrefix } from './words.js';

export type IssuesCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'merge'; from: number; into: number }
  | { kind: 'split'; issue: number; feedback: number[] }
  | { kind: 'announce'; on: boolean };

export const issuesHelpFor = (prefix: CommandPrefix) =>
  `\`${prefix}issues\` lists open issues, \`${prefix}issues merge 12 into 7\` folds #12 into #7, \`${prefix}issues split 7 f12 f15\` moves feedback #12 and #15 into a new issue, \`${prefix}issues announce-here\` (or \`announce-stop\`) chooses where fixes are announced, and \`${prefix}resolve 7 what changed\` resolves one.`;

export const issuesHelp = issuesHelpFor('/');

export function parseIssuesCommand(
  text: string,
  prefix: CommandPrefix = '/',
): { ok: true; command: IssuesCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (!first || first === 'list') return { ok: true, command: { kind: 'list' } };
  if (first === 'help') return { ok: true, command: { kind: 'help' } };
  if (first === 'announce-here' || first === 'announce-stop')
    return { ok: true, command: { kind: 'announce', on: first === 'announce-here' } };
  if (first === 'merge') {
    const from = typedNumber(words[1]);
    const into = typedNumber(words[words[2]?.toLowerCase() === 'into' ? 3 : 2]);
    if (from !== undefined && into !== undefined) return { ok: true, command: { kind: 'merge', from, into } };
    return { ok: false, message: `Say which issue goes into which, like \`${prefix}issues merge 12 into 7\`.` };
  }
  if (first === 'split') {
    const issue = typedNumber(words[1]);
    const feedback = words
      .slice(2)
      .map((word) => (/^(f|#)?\d{1,9}$/i.test(word) ? Number(word.replace(/^(f|#)/i, '')) : NaN));
    if (issue !== undefined && feedback.length && feedback.every(Number.isInteger))
      return { ok: true, command: { kind: 'split', issue, feedback } };
    return {
      ok: false,
      message: `Say which issue and which feedback to move out of it, like \`${prefix}issues split 7 f12 f15\`.`,
    };
  }
  return { ok: false, message: `I don't know \`${prefix}issues ${first.slice(0, 40)}\`. ${issuesHelpFor(prefix)}` };
}

export function parseResolveCommand(
  text: string,
  prefix: CommandPrefix = '/',
): { ok: true; issue?: number; whatChanged: string } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, whatChanged: '' };
  const match = /^#?(\d{1,9})\b\s*(.*)$/s.exec(trimmed);
  if (!match)
    return {
      ok: false,
      message: `Start with the issue number, then what changed: \`${prefix}resolve 7 Refunds now arrive within 24 hours\`. \`${prefix}issues\` lists the open ones.`,
    };
  return { ok: true, issue: Number(match[1]), whatChanged: match[2]!.trim() };
}
