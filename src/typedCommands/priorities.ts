// `priorities …` and `customer-room` as typed words, parsed the same way for Slack
// (`/priorities`) and Teams (`priorities`, no slash); only the way a command is written differs.
import { typedNumber, type CommandPrefix } from './words.js';

export type PrioritiesCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'add' }
  | { kind: 'done'; priority: number }
  | { kind: 'weeks'; priority: number; weeks: number };

export const prioritiesHelpFor = (prefix: CommandPrefix) =>
  `\`${prefix}priorities\` lists the priorities and how each stands; \`${prefix}priorities add\` sets one (a form: title, owner, what it is about, what the company stops doing); \`${prefix}priorities done 3\` marks #3 done once its complaints have stayed below the baseline long enough (the CCO or a leader); \`${prefix}priorities weeks 3 6\` sets how many weeks that takes for #3 (the CCO; 4 unless changed).`;

export function parsePrioritiesCommand(
  text: string,
  prefix: CommandPrefix = '/',
): { ok: true; command: PrioritiesCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (!first || (first === 'list' && words.length === 1)) return { ok: true, command: { kind: 'list' } };
  if (first === 'help' && words.length === 1) return { ok: true, command: { kind: 'help' } };
  if (first === 'add' && words.length === 1) return { ok: true, command: { kind: 'add' } };
  const priority = typedNumber(words[1]);
  if (first === 'done' && words.length === 2 && priority !== undefined)
    return { ok: true, command: { kind: 'done', priority } };
  const weeks = typedNumber(words[2]);
  if (first === 'weeks' && words.length === 3 && priority !== undefined && weeks !== undefined)
    return { ok: true, command: { kind: 'weeks', priority, weeks } };
  return {
    ok: false,
    message: `I don't know \`${prefix}priorities ${text.trim().slice(0, 40)}\`. Nothing was changed. ${prioritiesHelpFor(prefix)}`,
  };
}
