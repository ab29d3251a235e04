// The Markdown subset Teams reads in TextBlocks (bold, italic, [links](url), backslash
// escapes), as HTML, so the Adaptive Cards renderer in tests draws cards the way Teams
// does. Self-contained so it can also be sent into a browser page as source text.

export function cardMarkdownToHtml(markdown: string): string {
  const escapeHtml = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const escaped: string[] = [];
  let html = markdown.replace(
    /\\([!-/:-@[-`{-~])/g,
    (_match, character: string) => `\u0000${escaped.push(character) - 1}\u0000`,
  );
  html = escapeHtml(html)
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, '<a href="$2">$1</a>')
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])_(.+?)_(?![\w])/g, '$1<em>$2</em>');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks the placeholders set above; no card text holds one.
  return html.replace(/\u0000(\d+)\u0000/g, (_match, index: string) => escapeHtml(escaped[Number(index)]!));
}
