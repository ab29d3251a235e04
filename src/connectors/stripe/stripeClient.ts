// The official Stripe SDK, pointed at Stripe or (STRIPE_API_URL) at a local stand-in, and
// taught to wait out a 429: the SDK retries only when Stripe sends Stripe-Should-Retry and
// never reads Retry-After, so a rate-limited backfill would stop half-way without this.
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';

type HttpClient = ReturnType<typeof Stripe.createNodeHttpClient>;
type HttpResponse = Awaited<ReturnType<HttpClient['makeRequest']>>;

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), capped so a typo cannot stall a run. */
export function retryAfterMs(header: unknown, now = Date.now()): number {
  const text = Array.isArray(header) ? header[0] : header;
  if (typeof text !== 'string' || !text.trim()) return 1000;
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - now;
  return Math.min(Math.max(Number.isFinite(ms) ? ms : 1000, 0), 60_000);
}

export class RetryAfterHttpClient {
  constructor(
    private readonly inner: HttpClient,
    private readonly maxWaits = 5,
  ) {}

  getClientName(): string {
    return `${this.inner.getClientName()}+retry-after`;
  }

  async makeRequest(...args: Parameters<HttpClient['makeRequest']>): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.inner.makeRequest(...args);
      if (response.getStatusCode() !== 429 || attempt >= this.maxWaits) return response;
      const wait = retryAfterMs(response.getHeaders()['retry-after']);
      // The refused response's body is never read; let its socket go back to the pool.
      if (response.dispose) response.dispose();
      else (response.getRawResponse() as { resume?: () => void }).resume?.();
      await sleep(wait);
    }
  }
}

export function createStripeClient(apiKey: string, apiUrl?: string): Stripe {
  const target = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(apiKey, {
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === 'https:' ? 443 : 80),
          protocol: target.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
    // Connection errors and 5xx are the SDK's own retries, with idempotency keys on writes.
    maxNetworkRetries: 3,
    httpClient: new RetryAfterHttpClient(Stripe.createNodeHttpClient()),
    appInfo: { name: 'customer-growth-bot' },
  });
}
