// `warnings …` as typed words, parsed the same way for Slack (`/warnings`) and Teams
// (`warnings`, no slash); only the way a command is written in help differs.
import type { CommandPrefix } from './words.js';

export type WarningsCommand = { kind: 'moments' } | { kind: 'help' } | { kind: 'subscribe'; on: boolean };

export const warningsHelpFor = (prefix: CommandPrefix) =>
  `\`${prefix}warnings\` (or \`${prefix}warnings moments\`) lists the moments that matter and how each stands, and \`${prefix}warnings subscribe\` (or \`unsubscribe\`) chooses whether this channel gets early warnings (the CCO or a leader).`;

export const warningsHelp = warningsHelpFor('/');

export function parseWarningsCommand(
  text: string,
  prefix: CommandPrefix = '/',
): { ok: true; command: WarningsCommand } | { ok: false; message: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (words.length <= 1) {
    if (!first || first === 'moments') return { ok: true, command: { kind: 'moments' } };
    if (first === 'help') return { ok: true, command: { kind: 'help' } };
    if (first === 'subscribe' || first === 'unsubscribe')
      return { ok: true, command: { kind: 'subscribe', on: first === 'subscribe' } };
  }
  return {
    ok: false,
    message: `I don't know \`${prefix}warnings ${text.trim().slice(0, 40)}\`. Nothing was changed. ${warningsHelpFor(prefix)}`,
  };
}
