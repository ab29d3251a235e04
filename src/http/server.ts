// The one HTTP server: Slack's signed requests, Teams' activities, the customer events
// API, the preview page and the health check. Platform adapters plug in as request listeners.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { isWeekStart } from '../domain/weeks.js';
import { renderBlockKitPage } from '../render/blockKitHtml.js';
import { digestToSlack } from '../render/digestSlack.js';
import type { Services } from '../services.js';
import { handleCustomerEvents } from './customerEventsApi.js';
import { handleFeedback } from './feedbackApi.js';
import { sendHtml, sendJson } from './respond.js';

export interface HttpDeps {
  services: Services;
  eventsApiToken?: string;
  feedbackApiToken?: string;
  slack?: RequestListener;
  /** POST /api/messages, when Teams is configured. */
  teams?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  checkDatabase: () => Promise<void>;
  /** Shown above the preview, e.g. that no workspace is connected. */
  previewNote: string;
}

async function previewPage(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  const week = new URL(request.url ?? '/', 'http://localhost').searchParams.get('week');
  if (week !== null && !isWeekStart(week)) {
    return sendHtml(response, 400, renderBlockKitPage({ title: 'Not a week', messages: [], note: `"${week}" is not a Monday in YYYY-MM-DD form. Try ?week=${deps.services.lastWeek()}.` }));
  }
  const digest = await deps.services.digestFor(week ?? deps.services.lastWeek());
  sendHtml(response, 200, renderBlockKitPage({ title: `Customer asset digest, week of ${digest.weekLabel}`, messages: digestToSlack(digest), note: deps.previewNote }));
}

async function route(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const method = request.method ?? 'GET';
  if (path === '/healthz' && method === 'GET') {
    await deps.checkDatabase();
    return sendJson(response, 200, { status: 'ok' });
  }
  if (path === '/slack/events' && deps.slack) return void deps.slack(request, response);
  if (path === '/api/messages' && deps.teams) return deps.teams(request, response);
  if (path === '/api/customer-events' && method === 'POST') return handleCustomerEvents(request, response, deps.services, deps.eventsApiToken);
  if (path === '/api/feedback' && method === 'POST') return handleFeedback(request, response, deps.services, deps.feedbackApiToken);
  if (path === '/' && method === 'GET') return previewPage(request, response, deps);
  sendJson(response, 404, { error: `Nothing here: ${method} ${path}` });
}

export function createHttpServer(deps: HttpDeps): Server {
  return createServer((request, response) => {
    route(request, response, deps).catch((error: unknown) => {
      deps.services.log('http request failed', { url: request.url, error: error instanceof Error ? error.stack : String(error) });
      if (!response.headersSent) sendJson(response, 500, { error: 'Something went wrong on our side. Sending the same request again is safe: events are stored once.' });
      else response.end();
    });
  });
}
