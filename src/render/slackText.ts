// Text that reaches Slack from customers or staff is data. Slack reads `<...>` as
// mentions (`<!channel>`) and links (`<https://evil|bank.com>`), so we escape the three
// characters Slack's formatting guide names; plain `@channel` only pings with link_names,
// which the bot never sets.

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Undoes the three escapes in one pass, so `&amp;lt;` stays the literal text `&lt;`. Slack escapes text it sends us the same way. */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** Shortens text to fit a Block Kit limit without cutting an escape such as `&amp;` in half. */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

/** Block Kit's limits (https://api.slack.com/reference/block-kit/blocks). */
export const blockKitLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
} as const;
