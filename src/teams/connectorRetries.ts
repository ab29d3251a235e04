// Posting an activity to the Bot Framework connector is not idempotent and takes no
// idempotency key. botbuilder's HTTP client replays a POST after a 5xx, a 408 or a
// dropped connection, and the connector may already have delivered it, so one digest
// could appear up to four times. Here only 429 (the connector applied nothing) is
// retried, after its Retry-After; any other failure goes back to the caller, and for
// the digest to delivery.ts, which decides what to do next.
//
// The same policy gives every connector call a timeout (botbuilder sets none): a
// conversation the connector never answers then fails like a dropped connection, a
// "may have landed" failure, instead of holding its worker for ever.

interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}

interface PipelinePolicy {
  name: string;
  sendRequest(request: unknown, next: (request: unknown) => Promise<PipelineResponse>): Promise<PipelineResponse>;
}

interface Pipeline {
  getOrderedPolicies(): PipelinePolicy[];
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Retry' }): void;
}

export const rateLimitPolicyName = 'customerGrowthRateLimitOnly';
/** How long one connector call may take before it is given up as "may have landed". */
export const connectorCallTimeoutMs = 20_000;
const blindRetryPolicyName = 'defaultRetryPolicy';

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function rateLimitOnly(attempts: number, timeoutMs: number): PipelinePolicy {
  return {
    name: rateLimitPolicyName,
    async sendRequest(request, next) {
      // The pipeline's HTTP client aborts a request after `timeout` ms; 0, botbuilder's default, waits for ever.
      const timed = request as { timeout?: number };
      if (!timed.timeout) timed.timeout = timeoutMs;
      for (let attempt = 1; ; attempt++) {
        const response = await next(request);
        const wait = response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined;
        if (wait === undefined || attempt >= attempts) return response;
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 60_000)));
      }
    },
  };
}

/**
 * Replaces the blind retries of a botbuilder ConnectorClient, and bounds each call by
 * `timeoutMs`. The pipeline is not public
 * API, so a botbuilder upgrade that moves it fails loudly here rather than quietly
 * bringing the replays back.
 */
export function withoutBlindRetries(connectorClient: unknown, attempts = 10, timeoutMs = connectorCallTimeoutMs): void {
  const pipeline = (connectorClient as { client?: { pipeline?: Pipeline } } | undefined)?.client?.pipeline;
  const names = pipeline?.getOrderedPolicies().map((policy) => policy.name) ?? [];
  if (names.includes(rateLimitPolicyName)) return;
  if (!pipeline || !names.includes(blindRetryPolicyName)) {
    throw new Error(
      'botbuilder ConnectorClient has no retry policy where expected; check src/teams/connectorRetries.ts against this botbuilder version',
    );
  }
  pipeline.removePolicy({ name: blindRetryPolicyName });
  pipeline.addPolicy(rateLimitOnly(attempts, timeoutMs), { phase: 'Retry' });
}
