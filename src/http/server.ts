// The one HTTP server: Slack's signed requests, Teams' activities, the customer events
// API, the preview page and the health check. Platform adapters plug in as request listeners.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { errorDetail } from '../domain/errorDetail.js';
import { isWeekStart } from '../domain/weeks.js';
import { renderBlockKitPage } from '../render/blockKitHtml.js';
import { digestToSlack } from '../render/digestSlack.js';
import type { Services } from '../services.js';
import type { WarningServices } from '../services/warningService.js';
import { handleCustomerEvents } from './customerEventsApi.js';
import { checkDigestAccess, privateHeaders, refuseDigestPage, type DigestAccess } from './digestAccess.js';
import { privacyPage, termsPage, type PublicPageFacts } from './publicPages.js';
import { handleFeedback } from './feedbackApi.js';
import { handleMetricReadings } from './metricsApi.js';
import { sendHtml, sendJson } from './respond.js';
import { guardSlackEvents } from './slackEdge.js';

export interface HttpDeps {
  services: Services;
  eventsApiToken?: string;
  feedbackApiToken?: string;
  /** POST /api/metrics: readings of the moments that matter. */
  warnings?: WarningServices;
  metricsApiToken?: string;
  slack?: RequestListener;
  /** POST /api/messages, when Teams is configured. */
  teams?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** POST /connectors/stripe/webhook; answers 503 itself when Stripe is not connected. */
  stripeWebhook?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  checkDatabase: () => Promise<void>;
  /** GET /metrics, for operators. */
  metrics?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** Told when each request is answered, for the latency histogram. */
  onAnswered?: (path: string, method: string, status: number, seconds: number) => void;
  /** Shown above the preview, e.g. that no workspace is connected. */
  previewNote: string;
  /** Once a platform is connected the digest page is private; without this it is open (the local preview). */
  digestAccess?: DigestAccess;
  publicPages: PublicPageFacts;
  /** GET /playground and its form posts: only while no platform is connected. */
  playground?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

const tryAs = [
  { value: 'staff', label: 'staff' },
  { value: 'leader', label: 'a leader' },
  { value: 'cco', label: 'the CCO' },
];

async function previewPage(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  if (deps.digestAccess) {
    const verdict = checkDigestAccess(request, deps.digestAccess);
    if (!verdict.allowed) return refuseDigestPage(response, verdict.reason);
  }
  const headers = deps.digestAccess ? privateHeaders : {};
  const week = new URL(request.url ?? '/', 'http://localhost').searchParams.get('week');
  if (week !== null && !isWeekStart(week)) {
    return sendHtml(
      response,
      400,
      renderBlockKitPage({
        title: 'Not a week',
        messages: [],
        note: `"${week}" is not a Monday in YYYY-MM-DD form. Try ?week=${deps.services.lastWeek()}.`,
      }),
      headers,
    );
  }
  const digest = await deps.services.digestFor(week ?? deps.services.lastWeek());
  sendHtml(
    response,
    200,
    renderBlockKitPage({
      title: `Customer asset digest, week of ${digest.weekLabel}`,
      messages: digestToSlack(digest),
      note: deps.previewNote,
      ...(deps.playground ? { tryIt: { action: '/playground/type', roles: tryAs } } : {}),
    }),
    headers,
  );
}

async function route(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const method = request.method ?? 'GET';
  // Liveness: the process answers. Restarting it would not bring a database back.
  if (path === '/healthz' && method === 'GET') return sendJson(response, 200, { status: 'ok' });
  // Readiness: the database answers too, so a load balancer sends work only where it can be done.
  if (path === '/readyz' && method === 'GET') {
    const problem = await deps.checkDatabase().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (problem === undefined) return sendJson(response, 200, { status: 'ready' });
    deps.services.log('readiness check failed: the database does not answer', {
      level: 'warn',
      error: problem instanceof Error ? problem.message : String(problem),
    });
    return sendJson(response, 503, { status: 'unavailable', error: 'The database does not answer.' });
  }
  if (path === '/metrics' && method === 'GET' && deps.metrics) return deps.metrics(request, response);
  if (path === '/slack/events' && deps.slack) return guardSlackEvents(deps.slack)(request, response);
  if (path === '/api/messages' && deps.teams) return deps.teams(request, response);
  if (path === '/api/customer-events' && method === 'POST')
    return handleCustomerEvents(request, response, deps.services, deps.eventsApiToken);
  if (path === '/connectors/stripe/webhook' && method === 'POST' && deps.stripeWebhook)
    return deps.stripeWebhook(request, response);
  if (path === '/api/feedback' && method === 'POST')
    return handleFeedback(request, response, deps.services, deps.feedbackApiToken);
  if (path === '/api/metrics' && method === 'POST' && deps.warnings)
    return handleMetricReadings(request, response, deps.warnings, deps.metricsApiToken, deps.services.log);
  if (path === '/' && method === 'GET') return previewPage(request, response, deps);
  if (deps.playground && (path === '/playground' || path?.startsWith('/playground/')))
    return deps.playground(request, response);
  if (path === '/privacy' && method === 'GET') return sendHtml(response, 200, privacyPage(deps.publicPages));
  if (path === '/terms' && method === 'GET') return sendHtml(response, 200, termsPage());
  sendJson(response, 404, { error: `Nothing here: ${method} ${path}` });
}

export function createHttpServer(deps: HttpDeps): Server {
  return createServer((request, response) => {
    const started = process.hrtime.bigint();
    const onAnswered = deps.onAnswered;
    if (onAnswered) {
      response.once('finish', () =>
        onAnswered(
          (request.url ?? '/').split('?')[0]!,
          request.method ?? 'GET',
          response.statusCode,
          Number(process.hrtime.bigint() - started) / 1e9,
        ),
      );
    }
    route(request, response, deps).catch((error: unknown) => {
      deps.services.log('http request failed', {
        level: 'error',
        path: (request.url ?? '/').split('?')[0],
        error: errorDetail(error),
      });
      if (!response.headersSent)
        sendJson(response, 500, {
          error:
            'Something went wrong on our side, so we cannot say what this request saved. Customer events and feedback are kept once by external_id: sending the same batch again never counts anything twice.',
        });
      else response.end();
    });
  });
}
