// botbuilder's ConnectorClient sends with no timeout at all, so a connector that accepts the
// connection and never answers would hold a Teams turn (and its HTTP request) forever. Two
// limits, set on the client's own request pipeline: every HTTP attempt gets one, and a call
// made inside a turn gets one for the whole call (token, 429 waits and all), because Teams
// waits on the turn's answer. Posting is not idempotent, so a timed-out post may still have
// landed; the caller is told it failed, as for any other connector error.

interface PipelineRequest {
  abortSignal?: AbortSignal;
}

interface PipelinePolicy {
  name: string;
  sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown>;
}

interface Pipeline {
  getOrderedPolicies(): Array<{ name: string }>;
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Serialize' | 'Sign' }): void;
}

/** One HTTP attempt to the connector: it answers in well under a second when it is well. */
export const attemptTimeoutMs = 15_000;
/** One call inside a turn, retries included: the Bot Framework waits about 15 seconds for a turn's answer. */
export const turnCallTimeoutMs = 10_000;

const attemptPolicyName = 'customerGrowthAttemptTimeout';
const turnCallPolicyName = 'customerGrowthTurnCallTimeout';

export class ConnectorTimeout extends Error {
  override name = 'ConnectorTimeout';
}

function deadline(name: string, ms: number, what: string): PipelinePolicy {
  return {
    name,
    async sendRequest(request, next) {
      const controller = new AbortController();
      const original = request.abortSignal;
      // Aborting also closes the socket, so a hung connection is not left open behind the error.
      request.abortSignal = original ? AbortSignal.any([original, controller.signal]) : controller.signal;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new ConnectorTimeout(`The Bot Framework connector did not answer ${what} within ${ms} ms`);
          controller.abort(error);
          reject(error);
        }, ms);
      });
      try {
        return await Promise.race([next(request), expired]);
      } finally {
        clearTimeout(timer);
        request.abortSignal = original;
      }
    },
  };
}

/**
 * Puts the limits on a botbuilder ConnectorClient; `turnCallMs` only for a client that
 * serves an incoming activity. Like connectorRetries.ts, this fails loudly if a botbuilder
 * upgrade moves the pipeline.
 */
export function withRequestTimeouts(
  connectorClient: unknown,
  options: { attemptMs?: number; turnCallMs?: number } = {},
): void {
  const pipeline = (connectorClient as { client?: { pipeline?: Pipeline } } | undefined)?.client?.pipeline;
  if (!pipeline)
    throw new Error(
      'botbuilder ConnectorClient has no request pipeline where expected; check src/teams/connectorTimeouts.ts against this botbuilder version',
    );
  const names = pipeline.getOrderedPolicies().map((policy) => policy.name);
  // Inside the retry policy: each attempt has its own limit.
  if (!names.includes(attemptPolicyName))
    pipeline.addPolicy(deadline(attemptPolicyName, options.attemptMs ?? attemptTimeoutMs, 'one request'), {
      phase: 'Sign',
    });
  // Outside it: the whole call, so 429 waits cannot stretch a turn either.
  if (options.turnCallMs && !names.includes(turnCallPolicyName))
    pipeline.addPolicy(deadline(turnCallPolicyName, options.turnCallMs, 'during a turn'), { phase: 'Serialize' });
}
