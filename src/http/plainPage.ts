// A small HTML page of headings and paragraphs, for pages that are words only (the sign-in
// explanation, privacy, terms). Every word is escaped.
const page = `body{font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1c1d}h2{font-size:1.1rem;margin-top:1.5rem}code{background:#f4f4f4;padding:0 .2em}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A section is a heading (optional) and its paragraphs. `code` spans are written `like this` in backticks. */
export interface PlainSection {
  heading?: string;
  paragraphs: string[];
}

function paragraph(text: string): string {
  return `<p>${escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`;
}

export function renderPlainPage(title: string, sections: PlainSection[]): string {
  const body = sections
    .map(
      (section) =>
        `${section.heading ? `<h2>${escapeHtml(section.heading)}</h2>\n` : ''}${section.paragraphs.map(paragraph).join('\n')}`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${page}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}
