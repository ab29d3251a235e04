// The one HTTP server: Slack's signed requests, Teams' activities, the customer events
// API, the preview page and the health check. Platform adapters plug in as request listeners.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { errorDetail } from '../domain/errorDetail.js';
import { parsePeriod } from '../domain/periods.js';
import { isWeekStart } from '../domain/weeks.js';
import { renderBlockKitPage } from '../render/blockKitHtml.js';
import { hasMovement } from '../domain/movementHistory.js';
import { digestToSlack } from '../render/digestSlack.js';
import { pngDataUri, renderMovementChart } from '../render/movementChart.js';
import type { Services } from '../services.js';
import type { WarningServices } from '../services/warningService.js';
import { handleCustomerEvents } from './customerEventsApi.js';
import { checkDigestAccess, privateHeaders, refuseDigestPage, type DigestAccess } from './digestAccess.js';
import { movementChartPath } from './previewLinks.js';
import { privacyPage, termsPage, type PublicPageFacts } from './publicPages.js';
import { handleFeedback } from './feedbackApi.js';
import { handleMetricReadings } from './metricsApi.js';
import { stateOfTheCustomerPaths } from './previewLinks.js';
import { stateOfTheCustomerPage } from './stateOfTheCustomerPages.js';
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
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  // ?week= is how links named a week before there were other periods; those links still open.
  const week = query.get('week');
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
  const typed = query.get('period') ?? week ?? undefined;
  const shown = await deps.services.previewDigest(typed);
  if (!shown.ok)
    return sendHtml(
      response,
      400,
      renderBlockKitPage({
        title: 'Not a period',
        messages: [],
        note: `"${typed}" is not a period I know. Try ?period=week, month, quarter or year (the last one that ended), or one by name: ?period=2026-11-16 (the week starting that Monday), ?period=${deps.services.periodJustEnded('month').name}, ?period=${deps.services.periodJustEnded('quarter').name} or ?period=${deps.services.periodJustEnded('year').name}.`,
      }),
      headers,
    );
  const digest = await shown.compose();
  // The page loads nothing from anywhere, so the chart travels inside it.
  const chart = digest.sections.find((section) => section.kind === 'movementChart');
  const images =
    chart?.kind === 'movementChart'
      ? { movementChart: { image_url: pngDataUri(await renderMovementChart(chart.history)) } }
      : {};
  sendHtml(
    response,
    200,
    renderBlockKitPage({
      title: `Customer asset digest, ${digest.title}`,
      messages: digestToSlack(digest, images),
      note: deps.previewNote,
      ...(deps.playground ? { tryIt: { action: '/playground/type', roles: tryAs } } : {}),
    }),
    headers,
  );
}

/** GET /charts/movement.png?period=…: one period's chart, for Teams cards; private like the page. */
async function movementChartImage(request: IncomingMessage, response: ServerResponse, deps: HttpDeps): Promise<void> {
  if (deps.digestAccess) {
    const verdict = checkDigestAccess(request, deps.digestAccess);
    if (!verdict.allowed)
      return sendJson(response, 401, { error: 'This chart opens only with the link the bot made.' });
  }
  const typed = new URL(request.url ?? '/', 'http://localhost').searchParams.get('period') ?? '';
  // Links name their period (2026-11-16, 2026-10, 2026-Q3), and a name means the same in every zone.
  const period = /^\d{4}/.test(typed) ? parsePeriod(typed, new Date(), 'UTC') : undefined;
  if (!period)
    return sendJson(response, 400, { error: `"${typed}" is not a period such as 2026-11-16, 2026-10 or 2026-Q3.` });
  const history = await deps.services.movementHistoryFor(period);
  if (!hasMovement(history)) return sendJson(response, 404, { error: 'No customer moved in these periods.' });
  const png = await renderMovementChart(history);
  response.writeHead(200, {
    'content-type': 'image/png',
    'content-length': String(png.length),
    ...(deps.digestAccess ? privateHeaders : {}),
  });
  response.end(png);
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
  if (path === stateOfTheCustomerPaths.page && method === 'GET')
    return stateOfTheCustomerPage(request, response, deps.services, deps.digestAccess, 'page');
  if (path === stateOfTheCustomerPaths.pdf && method === 'GET')
    return stateOfTheCustomerPage(request, response, deps.services, deps.digestAccess, 'pdf');
  if (path === movementChartPath && method === 'GET') return movementChartImage(request, response, deps);
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
