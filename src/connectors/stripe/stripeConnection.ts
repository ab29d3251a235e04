// Wires the connector from the configuration, for the bot (webhooks) and the backfill command.
import type Stripe from 'stripe';
import type { Config } from '../../config.js';
import type { Services } from '../../services.js';
import type { Db } from '../../store/database.js';
import { createStripeClient } from './stripeClient.js';
import { createStripeConnector, type StripeConnector } from './stripeConnector.js';
import { subscriptionStore } from './subscriptionStore.js';
import { stripeWebhookListener, type StripeWebhookListener } from './stripeWebhook.js';

export interface StripeConnection {
  stripe: Stripe;
  connector: StripeConnector;
}

export function connectStripe(config: Config, services: Services, db: Db): StripeConnection | null {
  if (!config.STRIPE_API_KEY) return null;
  const stripe = createStripeClient(config.STRIPE_API_KEY, config.STRIPE_API_URL);
  const connector = createStripeConnector({
    stripe,
    store: subscriptionStore(db),
    recordCustomerEvents: (rows) => services.recordCustomerEvents(rows, undefined, 'connector'),
    settings: {
      orgCurrency: config.ORG_CURRENCY,
      segmentField: config.STRIPE_SEGMENT_FIELD,
      reasonMap: config.STRIPE_REASON_MAP,
      fxRates: config.STRIPE_FX_RATES,
    },
    log: services.log,
  });
  return { stripe, connector };
}

export function stripeWebhookFor(config: Config, services: Services, db: Db): StripeWebhookListener {
  const connection = config.STRIPE_WEBHOOK_SECRET ? connectStripe(config, services, db) : null;
  return stripeWebhookListener(
    connection && config.STRIPE_WEBHOOK_SECRET
      ? { ...connection, secret: config.STRIPE_WEBHOOK_SECRET, log: services.log }
      : null,
  );
}
