// `campaign …` as typed words, for Slack (`/campaign`, mentions `<@U123|name>`) and Teams
// (`campaign`, mentions `<at>Name</at>` resolved from the activity's entities). Each
// platform says how to read a mention; the rest is the same.
import { slackWords, typedNumber, type CommandPrefix, type CommandWords } from './words.js';

export type CampaignCommand =
  | { kind: 'start' | 'help' }
  | { kind: 'status'; number?: number }
  | { kind: 'change'; action: 'pause' | 'resume' | 'close'; number?: number }
  | { kind: 'reassign'; from: string; to: string; number?: number };

export const campaignHelpFor = (prefix: CommandPrefix) =>
  `\`${prefix}campaign start\` (CCO) opens the form, \`${prefix}campaign status [number]\` shows progress, \`${prefix}campaign pause|resume|close [number]\`, and \`${prefix}campaign reassign @from @to\` moves open calls.`;

export const campaignHelp = campaignHelpFor('/');

export function parseCampaignCommand(
  text: string,
  words: CommandWords = slackWords,
): { ok: true; command: CampaignCommand } | { ok: false; message: string } {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.toLowerCase() ?? 'status';
  if (first === 'start' || first === 'help') return { ok: true, command: { kind: first } };
  if (first === 'status') return { ok: true, command: { kind: 'status', number: typedNumber(parts[1]) } };
  if (first === 'pause' || first === 'resume' || first === 'close')
    return { ok: true, command: { kind: 'change', action: first, number: typedNumber(parts[1]) } };
  if (first === 'reassign') {
    const from = parts[1] ? words.mention(parts[1]) : undefined;
    const to = parts[2] ? words.mention(parts[2]) : undefined;
    if (from && to) return { ok: true, command: { kind: 'reassign', from, to, number: typedNumber(parts[3]) } };
    return { ok: false, message: `Name both people with @-mentions: \`${words.prefix}campaign reassign @from @to\`.` };
  }
  return {
    ok: false,
    message: `I don't know \`${words.prefix}campaign ${first.slice(0, 40)}\`. ${campaignHelpFor(words.prefix)}`,
  };
}
