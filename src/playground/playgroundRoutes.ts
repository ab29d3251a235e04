// GET /playground and the form posts behind its message box, buttons, menus and forms. Each
// post does what the visitor did, through the playground, then sends the browser back to the
// page (303), so reloading never does it twice.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyTooLarge, readBody } from '../http/body.js';
import { sendHtml, sendJson } from '../http/respond.js';
import {
  fieldName,
  personFor,
  playgroundRoles,
  type Option,
  type Playground,
  type PlaygroundRole,
} from './playground.js';
import { renderPlaygroundPage } from './playgroundPage.js';
import { renderTeamsPlaygroundPage } from './teamsPlaygroundPage.js';

const roleField = z.enum(playgroundRoles).catch('staff');
const actionField = z.object({
  blockId: z.string().max(255),
  actionId: z.string().max(255),
  type: z.string().max(50),
  value: z.string().max(2000).optional(),
});
const selectedField = z.object({ text: z.string().max(500), value: z.string().max(2000) });

function json(text: string | null): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}

function fromThisPage(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return request.headers['sec-fetch-site'] !== 'cross-site';
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export function playgroundRoutes(playground: Playground) {
  /** The last hint per person: shown once, on the page the post sends them back to. */
  const hints = new Map<PlaygroundRole, string>();
  const teamsHints = new Map<PlaygroundRole, string>();

  const back = (response: ServerResponse, role: PlaygroundRole) => {
    response.writeHead(303, { Location: `/playground?as=${role}`, 'Cache-Control': 'no-store' });
    response.end();
  };

  function teamsPage(role: PlaygroundRole, response: ServerResponse) {
    const hint = teamsHints.get(role);
    teamsHints.delete(role);
    sendHtml(
      response,
      200,
      renderTeamsPlaygroundPage({ role, chat: playground.teams.chat(role), ...(hint ? { hint } : {}) }),
      {
        'Cache-Control': 'no-store',
      },
    );
  }

  async function page(request: IncomingMessage, response: ServerResponse) {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const role = roleField.parse(query.get('as'));
    if (query.get('platform') === 'teams') return teamsPage(role, response);
    const conversation = playground.look();
    const me = personFor(role).userId;
    const view = conversation.views.filter((open) => open.user === me).at(-1);
    const suggestions = new Map<string, Option[]>();
    // A menu that searches as you type is offered what it finds for no words at all: the page has no scripts to search with.
    for (const block of Array.isArray(view?.view.blocks) ? view.view.blocks : []) {
      const element = (block as { element?: { type?: string; action_id?: string } }).element;
      const blockId = (block as { block_id?: string }).block_id;
      if (view && blockId && element?.type === 'external_select' && element.action_id)
        suggestions.set(
          fieldName(blockId, element.action_id),
          await playground.suggest(role, view.id, blockId, element.action_id, ''),
        );
    }
    const hint = hints.get(role);
    hints.delete(role);
    sendHtml(
      response,
      200,
      renderPlaygroundPage({
        role,
        messages: conversation.messages,
        ...(view ? { view } : {}),
        suggestions,
        names: playground.names,
        ...(hint ? { hint } : {}),
      }),
      { 'Cache-Control': 'no-store' },
    );
  }

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/playground') return page(request, response);
    if (request.method !== 'POST')
      return sendJson(response, 405, { error: 'The playground takes GET and form POSTs.' });
    // Another site's page could post here from a visitor's browser and act in their name: only this page may.
    if (!fromThisPage(request))
      return sendJson(response, 403, { error: 'The playground takes posts from its own page only. Nothing was done.' });
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(request, 64 * 1024));
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(response, 413, { error: 'That is more than a form holds.' });
      throw error;
    }
    const role = roleField.parse(form.get('as'));
    if (path === '/playground/type') {
      const hint = await playground.type(role, (form.get('line') ?? '').slice(0, 4000));
      if (hint) hints.set(role, hint);
      return back(response, role);
    }
    if (path === '/playground/teams/type') {
      const hint = await playground.teams.type(role, (form.get('line') ?? '').slice(0, 4000));
      if (hint) teamsHints.set(role, hint);
      response.writeHead(303, { Location: `/playground?platform=teams&as=${role}`, 'Cache-Control': 'no-store' });
      response.end();
      return;
    }
    if (path === '/playground/act') {
      const action = actionField.safeParse(json(form.get('action')));
      if (!action.success) return back(response, role);
      const selected = selectedField.safeParse(json(form.get('selected')));
      const messageId = Number(form.get('message'));
      const viewId = form.get('view');
      await playground.act(
        role,
        viewId ? { viewId } : { messageId },
        { ...action.data, ...(selected.success ? { selected: selected.data } : {}) },
        form,
      );
      return back(response, role);
    }
    if (path === '/playground/submit') {
      const viewId = form.get('view');
      if (viewId) await playground.submit(role, viewId, form);
      return back(response, role);
    }
    if (path === '/playground/cancel') {
      playground.cancel(role);
      return back(response, role);
    }
    sendJson(response, 404, { error: `Nothing here: POST ${path}` });
  };
}

/**
 * The playground's two ways in (its Slack endpoint and its pages), ready before it starts: it
 * starts only once the bot listens, so a bot that cannot listen has no stand-in or Slack client
 * left behind to keep it alive (a Web API call to a closed stand-in would be retried for minutes).
 */
export function playgroundSlot() {
  let playground: Playground | undefined;
  let routes: ReturnType<typeof playgroundRoutes> | undefined;
  const notYet = (response: ServerResponse) =>
    sendJson(response, 503, { error: 'The playground is still starting. Try again in a moment.' });
  return {
    slack: (request: IncomingMessage, response: ServerResponse) =>
      playground?.slack.requestListener ? playground.slack.requestListener(request, response) : notYet(response),
    teams: async (request: IncomingMessage, response: ServerResponse) =>
      playground ? playground.teams.endpoint(request, response) : notYet(response),
    pages: async (request: IncomingMessage, response: ServerResponse) =>
      routes ? routes(request, response) : notYet(response),
    fill(started: Playground) {
      playground = started;
      routes = playgroundRoutes(started);
    },
    get playground() {
      return playground;
    },
  };
}
