// The playground page: the demo channel, the other places the bot wrote to (announcements,
// direct messages), the form it opened, and a message box. Every message is drawn by the
// same Block Kit renderer as the digest page, so what the visitor typed is escaped exactly as
// the bot escaped it for Slack. The page has no scripts: buttons and menus are small forms.
import {
  blockKitCss,
  blockToHtml,
  escapeHtml,
  textToHtml,
  type BlockElement,
  type ElementRenderer,
  type SlackBlock,
  type SlackText,
} from '../render/blockKitHtml.js';
import type { OpenView, ShownMessage } from './conversation.js';
import { demoPeople } from '../demo/demoPeople.js';
import {
  fieldName,
  personFor,
  playgroundChannel,
  playgroundRoles,
  type Option,
  type PlaygroundRole,
} from './playground.js';

export interface PlaygroundPageInput {
  role: PlaygroundRole;
  messages: ShownMessage[];
  view?: OpenView;
  /** Options of the searching menus in the open form, by field name. */
  suggestions: Map<string, Option[]>;
  names: Map<string, string>;
  /** A word about the last thing typed, when the bot could not take it. */
  hint?: string;
}

const roleWords: Record<PlaygroundRole, string> = { staff: 'Staff', leader: 'Leader', cco: 'CCO' };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
const label = (element: BlockElement) =>
  element.text ? textToHtml(element.text) : element.placeholder ? textToHtml(element.placeholder) : '';

interface OptionLike {
  text: SlackText;
  value: string;
}

function optionsOf(element: BlockElement): OptionLike[] {
  const plain = Array.isArray(element.options) ? (element.options as OptionLike[]) : [];
  const grouped = Array.isArray(element.option_groups)
    ? (element.option_groups as Array<{ options: OptionLike[] }>).flatMap((group) => group.options)
    : [];
  return [...plain, ...grouped];
}

/** What a button or menu on a message posts back: which element it is, in JSON. */
const actionValue = (element: BlockElement, blockId: string) =>
  JSON.stringify({ blockId, actionId: element.action_id ?? '', type: element.type, value: element.value ?? '' });

function linkButton(element: BlockElement): string | undefined {
  if (element.type !== 'button' || typeof element.url !== 'string') return undefined;
  if (!/^https?:\/\//i.test(element.url)) return `<span class="button">${label(element)}</span>`;
  return `<a class="button" href="${escapeHtml(element.url)}" rel="noopener noreferrer">${label(element)}</a>`;
}

/** Buttons and menus on a message: each its own small form, as pressing one in Slack sends one action. */
function messageControls(role: PlaygroundRole, message: ShownMessage): ElementRenderer {
  return (element, blockId) => {
    const link = linkButton(element);
    if (link) return link;
    const common = `${hidden('as', role)}${hidden('message', String(message.id))}${hidden('action', actionValue(element, blockId))}`;
    if (element.type === 'button')
      return `<form method="post" action="/playground/act" class="control">${common}<button type="submit" class="button${element.style ? ` ${element.style}` : ''}">${label(element)}</button></form>`;
    if (element.type === 'static_select' || element.type === 'overflow') {
      const options = optionsOf(element)
        .map(
          (option) =>
            `<option value="${escapeHtml(JSON.stringify({ text: option.text.text, value: option.value }))}"${element.initial_option?.value === option.value ? ' selected' : ''}>${escapeHtml(option.text.text)}</option>`,
        )
        .join('');
      return `<form method="post" action="/playground/act" class="control">${common}<select name="selected" aria-label="${escapeHtml(element.placeholder?.text ?? 'Choose')}">${options}</select><button type="submit" class="button">Choose</button></form>`;
    }
    return `<span class="select">${label(element)}</span>`;
  };
}

function messageHtml(role: PlaygroundRole, message: ShownMessage, names: Map<string, string>): string {
  const me = personFor(role).userId;
  const author = message.author ? (names.get(message.author) ?? message.author) : 'Customer Growth';
  const tag = message.author ? '' : '<span class="app">APP</span>';
  const only = message.visibleTo ? '<span class="only">Only visible to you</span>' : '';
  const thread = message.threadTs ? '<span class="label">Reply in thread</span>' : '';
  const body = message.author
    ? `<div class="typed">${escapeHtml(message.text)}</div>`
    : message.blocks.length
      ? (message.blocks as SlackBlock[])
          .map((block) => blockToHtml(block, messageControls(role, message), (id) => names.get(id)))
          .join('\n')
      : `<div class="section">${textToHtml({ type: 'mrkdwn', text: message.text }, (id) => names.get(id))}</div>`;
  const mine = message.author === me ? ' mine' : '';
  return `<article class="message${message.visibleTo ? ' ephemeral' : ''}${mine}" data-message="${message.id}"><div class="avatar${message.author ? ' person' : ''}" aria-hidden="true"></div><div class="body">
<div class="meta"><strong>${escapeHtml(author)}</strong> ${tag}${thread}${only}</div>
${body}
</div></article>`;
}

/** One input of a form, named so the playground can hand it back as Slack's state.values. */
function inputHtml(
  block: Record<string, unknown>,
  suggestions: Map<string, Option[]>,
  errors: Record<string, unknown>,
): string {
  const element = record(block.element) as BlockElement;
  const blockId = String(block.block_id ?? '');
  const name = fieldName(blockId, String(element.action_id ?? ''));
  const id = `f-${escapeHtml(blockId)}`;
  const title = textToHtml(record(block.label) as unknown as SlackText);
  const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
  const hint = block.hint ? `<div class="hint">${textToHtml(record(block.hint) as unknown as SlackText)}</div>` : '';
  const error =
    typeof errors[blockId] === 'string'
      ? `<div class="error" role="alert">${escapeHtml(String(errors[blockId]))}</div>`
      : '';
  const placeholder = element.placeholder ? ` placeholder="${escapeHtml(element.placeholder.text)}"` : '';
  const initial = typeof element.initial_value === 'string' ? element.initial_value : '';
  const option = (value: string, text: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(text)}</option>`;
  let control: string;
  switch (element.type) {
    case 'plain_text_input':
      control = element.multiline
        ? `<textarea id="${id}" name="${escapeHtml(name)}" rows="4"${placeholder}>${escapeHtml(initial)}</textarea>`
        : `<input id="${id}" name="${escapeHtml(name)}" value="${escapeHtml(initial)}"${placeholder}>`;
      break;
    case 'number_input':
      control = `<input id="${id}" type="number" step="any" name="${escapeHtml(name)}" value="${escapeHtml(initial)}"${placeholder}>`;
      break;
    case 'datepicker':
      control = `<input id="${id}" type="date" name="${escapeHtml(name)}" value="${escapeHtml(String(element.initial_date ?? ''))}">`;
      break;
    case 'static_select':
    case 'external_select':
    case 'multi_static_select':
    case 'radio_buttons':
    case 'checkboxes': {
      const many = element.type === 'multi_static_select' || element.type === 'checkboxes';
      const choices = element.type === 'external_select' ? (suggestions.get(name) ?? []) : optionsOf(element);
      const initialValues = new Set(
        [element.initial_option, ...(Array.isArray(element.initial_options) ? element.initial_options : [])]
          .filter(Boolean)
          .map((chosen) => String(record(chosen).value)),
      );
      control = `<select id="${id}" name="${escapeHtml(name)}"${many ? ' multiple' : ''}>${many ? '' : option('', element.placeholder?.text ?? 'Choose', false)}${choices.map((choice) => option(choice.value, choice.text.text, initialValues.has(choice.value))).join('')}</select>`;
      // The option's words travel with it, as Slack's selected_option carries them.
      if (element.type === 'external_select')
        control += choices.map((choice) => hidden(`${name}:text:${choice.value}`, choice.text.text)).join('');
      break;
    }
    case 'users_select':
    case 'multi_users_select': {
      const many = element.type === 'multi_users_select';
      const initialValues = new Set([
        String(element.initial_user ?? ''),
        ...((element.initial_users as string[]) ?? []),
      ]);
      control = `<select id="${id}" name="${escapeHtml(name)}"${many ? ' multiple' : ''}>${many ? '' : option('', 'Choose someone', false)}${demoPeople.map((person) => option(person.userId, person.name, initialValues.has(person.userId))).join('')}</select>`;
      break;
    }
    default:
      control = `<div class="unsupported">[unsupported element: ${escapeHtml(String(element.type))}]</div>`;
  }
  return `<div class="input"><label for="${id}">${title}${optional}</label>${hint}${control}${error}</div>`;
}

function viewHtml(role: PlaygroundRole, open: OpenView, suggestions: Map<string, Option[]>): string {
  const view = open.view;
  const errors = record(view.errors);
  const blocks = (Array.isArray(view.blocks) ? view.blocks : []).map(record);
  const common = `${hidden('as', role)}${hidden('view', open.id)}`;
  const body = blocks
    .map((block) => {
      if (block.type === 'input') return inputHtml(block, suggestions, errors);
      // Buttons inside a form send the form's answers so far with them, as Slack's view.state does.
      return blockToHtml(block as unknown as SlackBlock, (element, blockId) => {
        const link = linkButton(element);
        if (link) return link;
        if (element.type !== 'button') return `<span class="select">${label(element)}</span>`;
        return `<button type="submit" formaction="/playground/act" name="action" value="${escapeHtml(actionValue(element, blockId))}" class="button">${label(element)}</button>`;
      });
    })
    .join('\n');
  const title = textToHtml(record(view.title) as unknown as SlackText);
  const submit = view.submit ? textToHtml(record(view.submit) as unknown as SlackText) : '';
  const close = view.close ? textToHtml(record(view.close) as unknown as SlackText) : 'Cancel';
  return `<section class="modal" aria-label="Form"><form method="post" action="/playground/submit">${common}
<h2>${title}</h2>
${body}
<div class="modal-buttons"><button type="submit" formaction="/playground/cancel" formnovalidate class="button">${close}</button>${submit ? `<button type="submit" class="button primary">${submit}</button>` : ''}</div>
</form></section>`;
}

const css = `
.layout{max-width:1180px;margin:16px auto;display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;padding:0 12px}
.layout main{max-width:none;margin:0}
.place{background:#fff;border:1px solid #ddd;border-radius:8px;margin-bottom:16px;padding:4px 0 8px}
.place h2,.place h1{font-size:15px;margin:0;padding:8px 20px;border-bottom:1px solid #eee}
.who{display:flex;gap:12px;align-items:center;padding:8px 20px;font-size:13px;border-bottom:1px solid #eee}
.who a{padding:2px 8px;border:1px solid #ddd;border-radius:12px}
.who a[aria-current]{background:#1264a3;color:#fff;border-color:#1264a3}
.composer{display:flex;gap:8px;padding:8px 20px}
.composer input{flex:1;font:inherit;padding:6px 8px;border:1px solid #bbb;border-radius:6px}
.avatar.person{background:#2eb67d}
.ephemeral{background:#f4f8fb}
.only{font-size:11px;color:#616061;margin-left:8px}
.typed{white-space:pre-wrap;color:#1d1c1d}
.control{display:inline-flex;gap:4px;margin:0}
button.button{cursor:pointer}
select{font:inherit;font-size:13px;max-width:260px}
.modal{background:#fff;border:2px solid #1264a3;border-radius:8px;padding:8px 20px 16px;margin-bottom:16px}
.modal h2{font-size:17px}
.input{margin:10px 0;display:flex;flex-direction:column;gap:4px}
.input label{font-weight:700;font-size:14px}
.input input,.input textarea,.input select{font:inherit;padding:5px 8px;border:1px solid #bbb;border-radius:4px;max-width:none}
.optional,.hint{font-weight:400;font-size:12px;color:#616061}
.error{color:#e01e5a;font-size:13px}
.modal-buttons{display:flex;justify-content:flex-end;gap:8px;margin-top:12px}
.hint-line{padding:4px 20px;font-size:13px;color:#616061}
.examples{padding:0 20px;font-size:12px;color:#616061}
`;

export function renderPlaygroundPage(input: PlaygroundPageInput): string {
  const me = personFor(input.role);
  const visible = input.messages.filter((message) => !message.visibleTo || message.visibleTo === me.userId);
  const inChannel = visible.filter((message) => message.place === playgroundChannel.id);
  const elsewhere = [...new Set(visible.map((message) => message.place))].filter(
    (place) => place !== playgroundChannel.id,
  );
  const who = playgroundRoles
    .map((role) => {
      const person = personFor(role);
      return `<a href="/playground?as=${role}"${role === input.role ? ' aria-current="true"' : ''}>${roleWords[role]}: ${escapeHtml(person.name)}</a>`;
    })
    .join('');
  const channel = inChannel.map((message) => messageHtml(input.role, message, input.names)).join('\n');
  const places = elsewhere
    .map(
      (place) =>
        `<section class="place" data-place="${escapeHtml(input.names.get(place) ?? place)}"><h2>${escapeHtml(input.names.get(place) ?? place)}</h2>
${visible
  .filter((message) => message.place === place)
  .map((message) => messageHtml(input.role, message, input.names))
  .join('\n')}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<title>Customer Growth bot: playground</title>
<style>${blockKitCss}${css}</style>
</head>
<body>
<p class="note">Playground: no Slack workspace is connected. What you type goes to the bot exactly as Slack would send it, and its answers go to a stand-in for Slack inside this process, never to a real workspace. Everyone who opens this page shares it. <a href="/playground?platform=teams&amp;as=${input.role}">Try it in Teams</a> · <a href="/">The digest</a></p>
<div class="layout">
<div>
<section class="place" aria-label="Channel">
<h1>#${escapeHtml(playgroundChannel.name)}</h1>
<nav class="who" aria-label="Who you are">You are ${who}</nav>
${channel || '<p class="empty">Nothing here yet. Try one of the commands below.</p>'}
<form method="post" action="/playground/type" class="composer" id="composer">${hidden('as', input.role)}<input name="line" aria-label="Message" autocomplete="off" placeholder="Message #${escapeHtml(playgroundChannel.name)}, e.g. /feedback the courier was late again" autofocus><button type="submit" class="button primary">Send</button></form>
${input.hint ? `<p class="hint-line" role="status">${escapeHtml(input.hint)}</p>` : ''}
<p class="examples">Try <code>/feedback the courier was late again</code>, <code>/feedback</code> (the form), <code>/issues</code>, <code>/resolve 3 we changed couriers</code> (leader or CCO), <code>/campaign start</code> (CCO), <code>/campaign status</code>, <code>/digest preview</code>. <a href="/playground?as=${input.role}">Refresh</a></p>
</section>
</div>
<div>
${input.view ? viewHtml(input.role, input.view, input.suggestions) : ''}
${places}
</div>
</div>
</body>
</html>
`;
}
