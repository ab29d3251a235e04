// Text that reaches an Adaptive Card from customers or staff is data. TextBlock and
// Fact values read a Markdown subset (bold, italic, lists, [links](url)), and Teams
// turns `<at>…</at>` into a mention when the card names it, so every character that
// could start formatting is escaped with a backslash (CommonMark's escape). Line
// breaks become spaces, so a list can only start at the very beginning, where its
// marker is escaped too. Other punctuation is left alone so names read as written.

const markdownCharacters = /[\\`*_~[\]()<>#]/g;
const listMarkerAtStart = /^(\s*)([-+]|\d+\.)(?=\s|$)/;

export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(markdownCharacters, (character) => `\\${character}`)
    .replace(
      listMarkerAtStart,
      (_match, space: string, marker: string) => `${space}${marker.replace(/([-+.])$/, '\\$1')}`,
    );
}

/** Shortens user text before escaping it, so a long name cannot push a card past Teams' message size. */
export function fitUserText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Customer-provided words for a card: shortened, then escaped. */
export function cardUserText(text: string, max = 200): string {
  return escapeCardMarkdown(fitUserText(text, max));
}
