// POST /connectors/stripe/webhook: Stripe's signed events. The signature is checked over the
// raw bytes Stripe sent (never a re-serialised body), and events older than the SDK's
// five-minute tolerance are refused, so a captured request cannot be replayed later.
import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { sendJson } from '../../http/respond.js';
import type { StripeConnector } from './stripeConnector.js';
import { stripeEvent } from './stripeObjects.js';

const maxBodyBytes = 2_000_000;

export type StripeWebhookListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

async function rawBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function stripeWebhookListener(
  connection: {
    stripe: Stripe;
    secret: string;
    connector: StripeConnector;
    log: (message: string, details?: Record<string, unknown>) => void;
  } | null,
): StripeWebhookListener {
  return async (request, response) => {
    if (!connection)
      return sendJson(response, 503, {
        error:
          'Stripe is not connected: set STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET to receive its webhooks. Nothing was stored.',
      });
    const body = await rawBody(request);
    if (!body)
      return sendJson(response, 413, {
        error: `The event is larger than ${maxBodyBytes / 1_000_000} MB. Nothing was stored.`,
      });
    const signature = request.headers['stripe-signature'];
    if (typeof signature !== 'string' || !signature)
      return sendJson(response, 400, { error: 'No Stripe-Signature header. Nothing was stored.' });
    let verified: unknown;
    try {
      verified = connection.stripe.webhooks.constructEvent(body, signature, connection.secret);
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
      const replay = /tolerance/i.test(error.message);
      connection.log('stripe webhook refused', {
        reason: replay ? 'timestamp outside tolerance' : 'signature mismatch',
      });
      return sendJson(response, 400, {
        error: replay
          ? 'The Stripe-Signature timestamp is too old: a replayed event is refused. Nothing was stored.'
          : 'The Stripe-Signature does not match this body and STRIPE_WEBHOOK_SECRET. Nothing was stored.',
      });
    }
    const event = stripeEvent.safeParse(verified);
    if (!event.success)
      return sendJson(response, 400, { error: 'The body is not a Stripe event. Nothing was stored.' });
    // An error below answers 500, and Stripe sends the event again later: every movement has a fixed id, so that is safe.
    const outcome = await connection.connector.handleEvent(event.data);
    if (outcome.kind === 'ignored')
      connection.log('stripe event ignored', { event: event.data.id, reason: outcome.reason });
    sendJson(response, 200, { received: true, event: event.data.id, ...outcome });
  };
}
