// The playground's Teams view: the visitor's personal chat with the bot, each answer drawn
// from the Adaptive Card the bot posted (or its plain text), and a message box. No scripts.
import { adaptiveCardCss, adaptiveCardToHtml } from '../render/adaptiveCardHtml.js';
import { adaptiveCardContentType } from '../render/adaptiveCard.js';
import { blockKitCss, escapeHtml } from '../render/blockKitHtml.js';
import { playgroundRoles, type PlaygroundRole } from './playground.js';
import { teamsPersonFor, type ChatLine } from './teamsPlayground.js';

const roleWords: Record<PlaygroundRole, string> = { staff: 'Staff', leader: 'Leader', cco: 'CCO' };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

function botLineHtml(activity: Record<string, unknown>): string {
  const cards = (Array.isArray(activity.attachments) ? activity.attachments : [])
    .map(record)
    .filter((attachment) => attachment.contentType === adaptiveCardContentType);
  const body = cards.length
    ? cards.map((attachment) => adaptiveCardToHtml(attachment.content)).join('')
    : `<div class="typed">${escapeHtml(typeof activity.text === 'string' ? activity.text : '')}</div>`;
  return `<article class="message"><div class="avatar" aria-hidden="true"></div><div class="body"><div class="meta"><strong>Customer Growth</strong> <span class="app">APP</span></div>${body}</div></article>`;
}

export function renderTeamsPlaygroundPage(input: { role: PlaygroundRole; chat: ChatLine[]; hint?: string }): string {
  const me = teamsPersonFor(input.role);
  const who = playgroundRoles
    .map(
      (role) =>
        `<a href="/playground?platform=teams&amp;as=${role}"${role === input.role ? ' aria-current="true"' : ''}>${roleWords[role]}: ${escapeHtml(teamsPersonFor(role).name)}</a>`,
    )
    .join('');
  const lines = input.chat
    .map((line) =>
      'typed' in line
        ? `<article class="message mine"><div class="avatar person" aria-hidden="true"></div><div class="body"><div class="meta"><strong>${escapeHtml(me.name)}</strong></div><div class="typed">${escapeHtml(line.typed)}</div></div></article>`
        : botLineHtml(line.activity),
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<title>Customer Growth bot: playground in Teams</title>
<style>${blockKitCss}${adaptiveCardCss}
main{max-width:820px}
.who{display:flex;gap:12px;align-items:center;padding:8px 20px;font-size:13px;border-bottom:1px solid #eee}
.who a{padding:2px 8px;border:1px solid #ddd;border-radius:12px}
.who a[aria-current]{background:#5b5fc7;color:#fff;border-color:#5b5fc7}
.composer{display:flex;gap:8px;padding:8px 20px}
.composer input{flex:1;font:inherit;padding:6px 8px;border:1px solid #bbb;border-radius:6px}
.avatar.person{background:#5b5fc7}
.typed{white-space:pre-wrap}
.hint-line{padding:4px 20px;font-size:13px;color:#616061}
</style>
</head>
<body>
<p class="note">Playground in Microsoft Teams: no tenant is connected. What you type goes to the bot's Teams endpoint as the activity Teams would send, and its replies go to a stand-in for the Bot Framework connector inside this process, never to a real tenant. Buttons and forms on cards are shown but not pressable here. <a href="/playground">Slack</a> · <a href="/">The digest</a></p>
<main>
<section class="place" aria-label="Chat">
<h1>Chat with Customer Growth</h1>
<nav class="who" aria-label="Who you are">You are ${who}</nav>
${lines || '<p class="empty">Nothing here yet. Try help, feedback the courier was late again, issues or digest preview.</p>'}
${input.hint ? `<p class="hint-line" role="status">${escapeHtml(input.hint)}</p>` : ''}
<form method="post" action="/playground/teams/type" class="composer"><input type="hidden" name="as" value="${input.role}"><input name="line" aria-label="Message" autocomplete="off" placeholder="Type a message, e.g. feedback the courier was late again" autofocus><button type="submit" class="button primary">Send</button></form>
</section>
</main>
</body>
</html>`;
}
