// What operators graph and alert on, in Prometheus text format at GET /metrics (prom-client).
// Counted here, around the services and the platform adapters, so the domain knows nothing of it.
// Labels are small fixed sets (platform, reason, route): never a channel, a person or a customer.
import { bearerMatches } from './http/bearerToken.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { onModelFallback } from './ai/modelCall.js';
import type { DigestPoster } from './domain/delivery.js';
import { UndeliverableNotice, type NoticeSender } from './domain/notices.js';
import type { Services } from './services.js';

export interface MetricsOptions {
  /** Counted from the outbox at each scrape, so it is right across restarts and processes. */
  pendingNotices?: () => Promise<number>;
  /** Requests being answered right now (this scrape included). */
  inFlight?: () => number;
}

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    registry,
    digestsPosted: new Counter({
      name: 'digests_posted_total',
      help: 'Digests posted to a subscribed channel.',
      labelNames: ['platform'] as const,
      registers,
    }),
    digestsFailed: new Counter({
      name: 'digests_failed_total',
      help: 'Digest posts that failed (each is retried).',
      labelNames: ['platform'] as const,
      registers,
    }),
    noticesSent: new Counter({
      name: 'notices_sent_total',
      help: 'Notices (thanks, announcements, call lists) sent.',
      labelNames: ['platform'] as const,
      registers,
    }),
    noticesRetried: new Counter({
      name: 'notices_failed_total',
      help: 'Notice sends that failed and will be retried.',
      labelNames: ['platform'] as const,
      registers,
    }),
    noticesGivenUp: new Counter({
      name: 'notices_given_up_total',
      help: 'Notices the platform will never take (person left, channel archived).',
      labelNames: ['platform'] as const,
      registers,
    }),
    modelFallbacks: new Counter({
      name: 'model_fallbacks_total',
      help: 'Model calls that failed, so the keyword classifier or the story template answered.',
      labelNames: ['reason'] as const,
      registers,
    }),
    feedbackStored: new Counter({
      name: 'feedback_stored_total',
      help: 'Feedback items stored, by how they came in (chat, api, csv).',
      labelNames: ['channel'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route, method and status class.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    stop: () => {},
  };
  const pending = options.pendingNotices;
  if (pending) {
    new Gauge({
      name: 'notices_pending',
      help: 'Notices waiting in the outbox to be sent or retried.',
      registers,
      async collect() {
        // A database that is down shows in /readyz; the rest of the metrics still answer.
        const count = await pending().catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    });
  }
  const inFlight = options.inFlight;
  if (inFlight) {
    new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being answered, this scrape included.',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
  }
  metrics.stop = onModelFallback((reason) => metrics.modelFallbacks.inc({ reason }));
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The services, with digest posts, notice sends and stored feedback counted on the way through. */
export function countedServices(services: Services, metrics: Metrics): Services {
  const countedPoster = (poster: DigestPoster): DigestPoster => ({
    ...poster,
    postDigest: async (channelId, digest, options) => {
      try {
        const messageId = await poster.postDigest(channelId, digest, options);
        metrics.digestsPosted.inc({ platform: poster.platform });
        return messageId;
      } catch (error) {
        metrics.digestsFailed.inc({ platform: poster.platform });
        throw error;
      }
    },
  });
  const countedSender = (sender: NoticeSender): NoticeSender => ({
    ...sender,
    send: async (notice, options) => {
      try {
        const messageId = await sender.send(notice, options);
        metrics.noticesSent.inc({ platform: sender.platform });
        return messageId;
      } catch (error) {
        (error instanceof UndeliverableNotice ? metrics.noticesGivenUp : metrics.noticesRetried).inc({
          platform: sender.platform,
        });
        throw error;
      }
    },
  });
  return {
    ...services,
    addPoster: (poster) => services.addPoster(countedPoster(poster)),
    addNoticeSender: (sender) => services.addNoticeSender(countedSender(sender)),
    logFeedback: async (by, input) => {
      const logged = await services.logFeedback(by, input);
      if (logged.ok && !logged.redelivered) metrics.feedbackStored.inc({ channel: 'chat' });
      return logged;
    },
    recordExternalFeedback: async (rows, options) => {
      const recorded = await services.recordExternalFeedback(rows, options);
      metrics.feedbackStored.inc({ channel: options.channel }, recorded.stored);
      return recorded;
    },
  };
}

const knownRoutes = new Set([
  '/',
  '/healthz',
  '/readyz',
  '/metrics',
  '/slack/events',
  '/api/messages',
  '/api/customer-events',
  '/api/feedback',
  '/connectors/stripe/webhook',
  '/privacy',
  '/terms',
]);
const knownMethods = new Set(['GET', 'POST', 'HEAD']);

/** Route labels from a fixed list: a scanner's random paths must not each become a time series. */
export function observeRequest(metrics: Metrics, path: string, method: string, status: number, seconds: number): void {
  metrics.httpDuration.observe(
    {
      route: knownRoutes.has(path) ? path : 'other',
      method: knownMethods.has(method) ? method : 'other',
      status: `${Math.floor(status / 100)}xx`,
    },
    seconds,
  );
}

/** GET /metrics; with a token set, only for whoever sends it as a bearer token. */
export function metricsEndpoint(metrics: Metrics, token: string | undefined) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (token && !bearerMatches(request.headers.authorization, token)) {
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
        .end('Send the metrics token as "Authorization: Bearer <token>".\n');
      return;
    }
    const body = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  };
}
