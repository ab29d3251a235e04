// A self-contained HTML page that shows Block Kit messages roughly as Slack draws them, so
// the local preview shows the digest exactly as it will be posted. Customer words reach
// these blocks, so every piece of text is HTML-escaped and only http(s)/mailto become links.
import type { ActionsBlock, ContextBlock, DividerBlock, HeaderBlock, ImageBlock, SectionBlock } from '@slack/types';
import { withSlackEmoji } from './slackEmoji.js';
import { unescapeMrkdwn } from './slackText.js';

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

/** The Block Kit blocks the bot sends: Slack's own types, so messages go to the Web API as they are. */
export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock | ImageBlock;

export interface BlockKitPageInput {
  title: string;
  /** The first message is the post; the others are replies in its thread. */
  messages: Array<{ blocks: SlackBlock[] }>;
  /** Plain text shown in a banner above the messages. */
  note?: string;
  /** A message box that posts what is typed to this path, as the chosen person (the playground, when nothing is connected). */
  tryIt?: { action: string; roles: Array<{ value: string; label: string }> };
}

function tryItHtml(tryIt: NonNullable<BlockKitPageInput['tryIt']>): string {
  const roles = tryIt.roles
    .map((role) => `<option value="${escapeHtml(role.value)}">${escapeHtml(role.label)}</option>`)
    .join('');
  return `<form class="try" method="post" action="${escapeHtml(tryIt.action)}"><label>Try the bot as <select name="as">${roles}</select></label><input name="line" aria-label="Message" autocomplete="off" placeholder="/feedback the courier was late again"><button type="submit" class="button primary">Send</button></form>`;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

const plain = (text: string) => escapeHtml(unescapeMrkdwn(text));
// Slack draws `:memo:` as the emoji everywhere but in code.
const prose = (text: string) => escapeHtml(withSlackEmoji(unescapeMrkdwn(text)));
const mention = (text: string) => `<span class="mention">${escapeHtml(text)}</span>`;

/** Slack's `<...>` forms: links, user and channel mentions, and `!` special mentions. */
/** The name Slack shows for a member or channel id, when the page knows it. */
export type NameOf = (id: string) => string | undefined;
const noNames: NameOf = () => undefined;

function angleToHtml(body: string, names: NameOf): string {
  const bar = body.indexOf('|');
  const target = unescapeMrkdwn(bar < 0 ? body : body.slice(0, bar));
  const label = bar < 0 ? undefined : unescapeMrkdwn(body.slice(bar + 1));
  const raw = escapeHtml(`<${unescapeMrkdwn(body)}>`);
  if (!target) return raw;
  if (target.startsWith('@') || target.startsWith('#'))
    return mention(target[0] + (label ?? names(target.slice(1))?.replace(/^#/, '') ?? target.slice(1)));
  if (target.startsWith('!')) {
    const name = target.slice(1);
    return ['here', 'channel', 'everyone'].includes(name) ? mention(`@${name}`) : escapeHtml(label ?? `@${name}`);
  }
  // Anything else (javascript:, data:, a stray `<script>`) is shown as typed, never as a link,
  // so a reviewer of the preview sees that something odd reached the digest.
  if (!/^(https?:\/\/|mailto:)/i.test(target)) return raw;
  return `<a href="${escapeHtml(target)}" rel="noopener noreferrer">${escapeHtml(label ?? target)}</a>`;
}

// Slack only formats `*x*`, `_x_` and `~x~` at word edges with no space just inside the marks,
// which keeps snake_case and 2*3*4 as typed. A mark's inner text may span a `<...>` or code
// token, so a `_` inside a URL cannot end an italic early.
const inlinePattern =
  /`([^`\n]+)`|<([^<>\n]*)>|(?<![\p{L}\p{N}])([*_~])(?=\S)((?:<[^<>\n]*>|`[^`\n]*`|(?!\3)[^<`\n])+?)(?<=\S)\3(?![\p{L}\p{N}])/gu;
const markTags: Record<string, string> = { '*': 'strong', _: 'em', '~': 'del' };

function inlineToHtml(text: string, names: NameOf): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(inlinePattern)) {
    const [whole, code, angle, mark, inner] = match;
    html += prose(text.slice(last, match.index));
    if (code !== undefined) html += `<code>${plain(code)}</code>`;
    else if (angle !== undefined) html += angleToHtml(angle, names);
    else if (mark !== undefined && inner !== undefined) {
      const tag = markTags[mark] ?? 'span';
      html += `<${tag}>${inlineToHtml(inner, names)}</${tag}>`;
    }
    last = match.index + whole.length;
  }
  return html + prose(text.slice(last));
}

/** Slack mrkdwn as HTML: formatting, `<...>` links and mentions, quotes and bullet lines. */
export function mrkdwnToHtml(text: string, names: NameOf = noNames): string {
  const parts: Array<{ html: string; block: boolean }> = [];
  let quoted: string[] = [];
  const endQuote = () => {
    if (quoted.length) parts.push({ html: `<blockquote>${quoted.join('<br>')}</blockquote>`, block: true });
    quoted = [];
  };
  for (const line of text.split('\n')) {
    // Slack stores a typed `>` as `&gt;` and still draws it as a quote at the start of a line.
    const quote = /^(?:>|&gt;) ?/.exec(line);
    if (quote) {
      quoted.push(inlineToHtml(line.slice(quote[0].length), names));
      continue;
    }
    endQuote();
    if (line.startsWith('• '))
      parts.push({ html: `<div class="bullet">${inlineToHtml(line, names)}</div>`, block: true });
    else parts.push({ html: inlineToHtml(line, names), block: false });
  }
  endQuote();
  // Block parts already start and end a line; `<br>` is only needed between two inline lines.
  return parts
    .map((part, index) => (index > 0 && !part.block && !parts[index - 1]?.block ? '<br>' : '') + part.html)
    .join('');
}

export function textToHtml(text: SlackText, names: NameOf = noNames): string {
  if (text.type === 'mrkdwn') return mrkdwnToHtml(text.text, names);
  return escapeHtml(text.emoji === false ? text.text : withSlackEmoji(text.text)).replace(/\n/g, '<br>');
}

const unsupported = (what: string) => `<div class="unsupported">[unsupported ${escapeHtml(what)}]</div>`;

/** An interactive element of a block (button, menu, date picker…), as Block Kit sends it. */
export interface BlockElement {
  type: string;
  action_id?: string;
  text?: SlackText;
  placeholder?: SlackText;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
  initial_option?: { text: SlackText; value: string };
  [key: string]: unknown;
}

/** Draws an element; the preview draws it as Slack shows it, the playground makes it work. */
export type ElementRenderer = (element: BlockElement, blockId: string) => string;

/** Buttons and menus as Slack shows them, for a page where nothing can be pressed. */
export const staticElement: ElementRenderer = (element) => {
  const label = element.text ?? element.initial_option?.text ?? element.placeholder;
  const words = label ? textToHtml(label) : '';
  if (element.type === 'button')
    return `<span class="button${element.style ? ` ${element.style}` : ''}">${words}</span>`;
  if (element.type.endsWith('select') || element.type === 'overflow' || element.type === 'datepicker')
    return `<span class="select">${words} ▾</span>`;
  return unsupported(`element: ${element.type}`);
};

export function blockToHtml(
  block: SlackBlock,
  element: ElementRenderer = staticElement,
  names: NameOf = noNames,
): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${textToHtml(block.text, names)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="text">${textToHtml(block.text, names)}</div>` : '';
      const fields = block.fields?.length
        ? `<div class="fields">${block.fields.map((field) => `<div>${textToHtml(field, names)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="accessory">${element(block.accessory as BlockElement, block.block_id ?? '')}</div>`
        : '';
      return `<div class="section${accessory ? ' with-accessory' : ''}"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const elements = block.elements.map((item) =>
        item.type === 'mrkdwn' || item.type === 'plain_text'
          ? `<span>${textToHtml(item, names)}</span>`
          : unsupported(`element: ${String((item as { type?: unknown }).type)}`),
      );
      return `<div class="context">${elements.join(' ')}</div>`;
    }
    case 'divider':
      return '<hr>';
    case 'actions':
      return `<div class="actions">${block.elements.map((item) => element(item as BlockElement, block.block_id ?? '')).join('')}</div>`;
    case 'image': {
      const title = block.title ? `<div class="image-title">${textToHtml(block.title)}</div>` : '';
      const url = 'image_url' in block ? block.image_url : undefined;
      // Only a PNG carried in the page itself is drawn: the page loads nothing from anywhere.
      if (url?.startsWith('data:image/png;base64,'))
        return `<figure class="image">${title}<img src="${escapeHtml(url)}" alt="${escapeHtml(block.alt_text)}"></figure>`;
      return `<figure class="image">${title}${unsupported(`image: ${block.alt_text.slice(0, 80)}`)}</figure>`;
    }
    default:
      return unsupported(`block: ${String((block as { type?: unknown }).type)}`);
  }
}

function messageToHtml(message: { blocks: SlackBlock[] }, reply: boolean): string {
  const label = reply ? '<span class="label">Reply in thread</span>' : '';
  return `<article class="message${reply ? ' reply' : ''}"><div class="avatar" aria-hidden="true"></div><div class="body">
<div class="meta"><span class="app">APP</span>${label}</div>
${message.blocks.map((block) => blockToHtml(block)).join('\n')}
</div></article>`;
}

export const blockKitCss = `
body{margin:0;background:#f8f8f8;color:#1d1c1d;font:15px/1.47 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.note{margin:0;padding:8px 20px;background:#fff4d6;border-bottom:1px solid #f0d58c;font-size:13px}
main{max-width:760px;margin:24px auto;background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 0 16px}
h1{margin:0 0 8px;padding:8px 20px 12px;border-bottom:1px solid #eee;font-size:18px}
.message{display:flex;gap:8px;padding:8px 20px}
.avatar{flex:none;width:36px;height:36px;border-radius:6px;background:#4a154b}
.body{flex:1;min-width:0}
.meta{font-size:13px;color:#616061;margin-bottom:2px}
.app{font-size:10px;font-weight:700;background:#e8e8e8;border-radius:3px;padding:1px 4px;margin-right:8px}
.thread{margin:4px 20px 0 64px;border-left:3px solid #e8e8e8}
.thread-count{margin:4px 12px;font-size:13px;font-weight:700;color:#1264a3}
.reply{padding-left:12px}
.label{font-style:italic}
.header{font-size:18px;font-weight:900;margin:4px 0}
.section{margin:4px 0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin-top:6px}
.context{font-size:12px;color:#616061;margin:4px 0}
hr{border:0;border-top:1px solid #ddd;margin:10px 0}
blockquote{margin:2px 0;padding-left:12px;border-left:4px solid #ddd}
.bullet{padding-left:1.1em;text-indent:-1.1em}
code{font:12px Monaco,Menlo,Consolas,monospace;color:#c01343;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px}
a{color:#1264a3;text-decoration:none}
.mention{color:#1264a3;background:#e8f5fa;border-radius:3px;padding:0 2px}
.with-accessory{display:flex;gap:12px;align-items:flex-start}
.section-body{flex:1;min-width:0}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.button,.select{display:inline-block;font:inherit;font-size:13px;font-weight:700;color:#1d1c1d;background:#fff;border:1px solid #bbb;border-radius:4px;padding:3px 12px;white-space:nowrap}
.button.primary{color:#fff;background:#007a5a;border-color:#007a5a}
.button.danger{color:#e01e5a;border-color:#e01e5a}
.select{font-weight:400}
.try{display:flex;gap:8px;align-items:center;max-width:760px;margin:16px auto 0;font-size:13px}
.try input{flex:1;font:inherit;padding:5px 8px;border:1px solid #bbb;border-radius:6px}
.image{margin:6px 0}
.image img{max-width:100%;height:auto;border:1px solid #eee;border-radius:4px}
.image-title{font-size:13px;font-weight:700;margin-bottom:4px}
.unsupported,.empty{font-size:12px;color:#868686}
.empty{padding:8px 20px}
`;

/** A complete HTML page (inline CSS, no scripts) showing the messages as a Slack post and its thread. */
export function renderBlockKitPage(input: BlockKitPageInput): string {
  const [main, ...replies] = input.messages;
  const thread = replies.length
    ? `<section class="thread" aria-label="Thread"><p class="thread-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</p>
${replies.map((reply) => messageToHtml(reply, true)).join('\n')}
</section>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)}</title>
<style>${blockKitCss}</style>
</head>
<body>
${input.note ? `<p class="note">${escapeHtml(input.note)}</p>` : ''}
${input.tryIt ? tryItHtml(input.tryIt) : ''}
<main>
<h1>${escapeHtml(input.title)}</h1>
${main ? messageToHtml(main, false) : '<p class="empty">No messages.</p>'}
${thread}
</main>
</body>
</html>
`;
}
