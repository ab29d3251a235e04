// What typed commands share on both platforms: how a command is written, how a mention is
// read, and how an issue or campaign number is typed.

/** How a command is written on this platform: `/issues` in Slack, `issues` in Teams. */
export type CommandPrefix = '/' | '';

export interface CommandWords {
  prefix: CommandPrefix;
  /** The user id a word names, if it is a mention. */
  mention(word: string): string | undefined;
}

/** Slack sends mentions escaped as <@U123|name> because the manifest sets should_escape. */
const slackMention = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/;

export const slackWords: CommandWords = { prefix: '/', mention: (word) => slackMention.exec(word)?.[1] };

/** "7" or "#7". */
export function typedNumber(word: string | undefined): number | undefined {
  return word && /^#?\d{1,9}$/.test(word) ? Number(word.replace('#', '')) : undefined;
}
