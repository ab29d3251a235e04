// What every model call here shares: one try with no SDK retries (a person or a digest run
// is waiting; the deterministic fallback is there), and one word for why it failed.
import OpenAI from 'openai';
import {
  APIConnectionTimeoutError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
  RateLimitError,
} from 'openai/core/error';
import { z } from 'zod';

export type FallbackReason = 'timeout' | 'rate_limited' | 'refused' | 'malformed' | 'wrong_count' | 'error' | 'no_key';

/** A client for one try per call; none without a key. */
export function modelClient(options: {
  apiKey: string | undefined;
  baseURL?: string | undefined;
  timeoutMs: number;
}): OpenAI | undefined {
  return options.apiKey?.trim()
    ? new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: options.timeoutMs })
    : undefined;
}

/** Raised inside a call for answers that arrived but cannot be used. */
export class Unusable extends Error {
  constructor(readonly reason: FallbackReason) {
    super(reason);
  }
}

const fallbackListeners = new Set<(reason: FallbackReason) => void>();

/** Told each time a model call fails and its fallback answers (metrics count these); returns how to stop listening. */
export function onModelFallback(listener: (reason: FallbackReason) => void): () => void {
  fallbackListeners.add(listener);
  return () => fallbackListeners.delete(listener);
}

/** Why a model call failed; called once per call that falls back, so it is also where fallbacks are counted. */
export function reasonFor(error: unknown, deadline: AbortSignal): FallbackReason {
  const reason = classifyFailure(error, deadline);
  for (const listener of fallbackListeners) listener(reason);
  return reason;
}

function classifyFailure(error: unknown, deadline: AbortSignal): FallbackReason {
  if (error instanceof Unusable) return error.reason;
  if (deadline.aborted || error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof RateLimitError) return 'rate_limited';
  if (error instanceof ContentFilterFinishReasonError) return 'refused';
  if (error instanceof LengthFinishReasonError || error instanceof SyntaxError || error instanceof z.ZodError)
    return 'malformed';
  return 'error';
}

/** The error's name and status only: messages can quote the model's output, which can quote the customer. */
export function failureDetail(error: unknown): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  if (error instanceof Error && !(error instanceof Unusable)) detail.error = error.constructor.name;
  if (error instanceof OpenAI.APIError && error.status !== undefined) detail.status = error.status;
  return detail;
}
