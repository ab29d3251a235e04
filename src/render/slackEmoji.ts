// Slack's emoji shortcodes (`:memo:`) as the characters Slack draws for them. The names come
// from emoji-datasource (iamcal's emoji-data), the data set Slack's own names are taken from,
// so a shortcode the bot writes shows here exactly as it does in Slack.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface EmojiRow {
  unified: string;
  short_names: string[];
}

let byName: Map<string, string> | undefined;

function emojiByName(): Map<string, string> {
  if (!byName) {
    const file = createRequire(import.meta.url).resolve('emoji-datasource/emoji.json');
    const rows = JSON.parse(readFileSync(file, 'utf8')) as EmojiRow[];
    byName = new Map();
    for (const row of rows) {
      const character = row.unified
        .split('-')
        .map((hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
        .join('');
      for (const name of row.short_names) byName.set(name, character);
    }
  }
  return byName;
}

/** The emoji Slack shows for `:name:`, or undefined for a name it does not know (a time such as 10:00: stays text). */
export function slackEmoji(name: string): string | undefined {
  return emojiByName().get(name);
}

/** Every known `:shortcode:` in the text replaced by its emoji; unknown ones are left as typed, as Slack does. */
export function withSlackEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+'-]+):/g, (whole, name: string) => slackEmoji(name) ?? whole);
}
