// What every Web API call shares: reading Slack's error code, and waiting out its rate limits.

export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

/** Waits out Slack's Retry-After and tries again: a 429 means Slack applied nothing, so retrying cannot duplicate. */
export async function honouringRateLimits<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryAfter =
        (error as { code?: string; retryAfter?: number }).code === 'slack_webapi_rate_limited_error'
          ? (error as { retryAfter: number }).retryAfter
          : undefined;
      if (retryAfter === undefined || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
}
