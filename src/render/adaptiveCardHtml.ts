// An Adaptive Card drawn as plain HTML for a page with no scripts (the playground's Teams
// chat): the elements the bot's cards use, each text read as Teams reads it (its Markdown
// subset, CommonMark backslash escapes undone) and then HTML-escaped, so nothing a
// customer wrote can become markup. Buttons and inputs are shown, not wired.
import { escapeHtml } from './blockKitHtml.js';

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const list = (value: unknown) => (Array.isArray(value) ? value.map(record) : []);
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Teams' Markdown: **bold**, _italic_ and [words](url) shown as their words; a backslash keeps the next character as written. */
export function cardMarkdownToHtml(markdown: string): string {
  const kept: string[] = [];
  const held = markdown.replace(/\\([\\`*_~[\]()<>#\-+.!])/g, (_match, character: string) => {
    kept.push(character);
    return `\uE000${kept.length - 1}\uE000`;
  });
  const html = escapeHtml(held)
    .replace(/\*\*([^*\uE000]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_\uE000]+)_(?=\s|$|[.,;:!?])/g, '$1<em>$2</em>')
    .replace(/\[([^\]\uE000]+)\]\(([^)\s\uE000]+)\)/g, (_match, words: string, url: string) =>
      /^https?:\/\//i.test(url) ? `<a href="${url}" rel="noopener noreferrer">${words}</a>` : words,
    );
  return html.replace(/\uE000(\d+)\uE000/g, (_match, index: string) => escapeHtml(kept[Number(index)] ?? ''));
}

function elementHtml(element: Record<string, unknown>): string {
  switch (element.type) {
    case 'TextBlock': {
      const classes = ['card-text', element.weight === 'Bolder' ? 'bolder' : '', element.isSubtle ? 'subtle' : '']
        .concat(typeof element.size === 'string' ? [`size-${element.size.toLowerCase()}`] : [])
        .filter(Boolean)
        .join(' ');
      return `<div class="${classes}">${cardMarkdownToHtml(text(element.text))}</div>`;
    }
    case 'FactSet':
      return `<dl class="card-facts">${list(element.facts)
        .map(
          (fact) => `<dt>${cardMarkdownToHtml(text(fact.title))}</dt><dd>${cardMarkdownToHtml(text(fact.value))}</dd>`,
        )
        .join('')}</dl>`;
    case 'Container':
      return `<div class="card-container${element.separator ? ' separator' : ''}">${list(element.items).map(elementHtml).join('')}</div>`;
    case 'ColumnSet':
      return `<div class="card-columns">${list(element.columns)
        .map((column) => `<div class="card-column">${list(column.items).map(elementHtml).join('')}</div>`)
        .join('')}</div>`;
    case 'Image': {
      const url = text(element.url);
      return /^https?:\/\//i.test(url)
        ? `<img class="card-image" src="${escapeHtml(url)}" alt="${escapeHtml(text(element.altText))}">`
        : `<div class="card-image">${escapeHtml(text(element.altText))}</div>`;
    }
    case 'ActionSet':
      return actionsHtml(list(element.actions));
    case 'Input.Text':
    case 'Input.ChoiceSet':
    case 'Input.Date':
    case 'Input.Number':
      return `<div class="card-input"><span class="card-label">${escapeHtml(text(element.label))}</span><span class="card-field">${escapeHtml(text(element.placeholder) || ' ')}</span></div>`;
    default:
      return `<div class="unsupported">[unsupported element: ${escapeHtml(text(element.type))}]</div>`;
  }
}

function actionsHtml(actions: Record<string, unknown>[]): string {
  if (!actions.length) return '';
  return `<div class="card-actions">${actions.map((action) => `<span class="button">${escapeHtml(text(action.title))}</span>`).join('')}</div>`;
}

export function adaptiveCardToHtml(card: unknown): string {
  const shown = record(card);
  return `<div class="adaptive-card">${list(shown.body).map(elementHtml).join('')}${actionsHtml(list(shown.actions))}</div>`;
}

export const adaptiveCardCss = `
.adaptive-card{border:1px solid #e1dfdd;border-radius:6px;padding:10px 14px;background:#fff;display:flex;flex-direction:column;gap:6px}
.card-text{white-space:pre-wrap}.card-text.bolder{font-weight:700}.card-text.subtle{color:#616161}
.card-text.size-large{font-size:18px}.card-text.size-medium{font-size:16px}.card-text.size-small{font-size:12px}
.card-facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}.card-facts dt{font-weight:700}.card-facts dd{margin:0}
.card-container.separator{border-top:1px solid #e1dfdd;padding-top:6px}
.card-columns{display:flex;gap:12px}.card-column{flex:1}
.card-image{max-width:100%}
.card-actions{display:flex;gap:6px;flex-wrap:wrap}
.card-input{display:flex;flex-direction:column;gap:2px}.card-label{font-weight:700;font-size:13px}.card-field{border:1px solid #bbb;border-radius:4px;padding:4px 8px;color:#616161;min-height:1em}
`;
