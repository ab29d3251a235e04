// A local stand-in for the parts of Stripe's API the connector reads, for tests. It speaks
// the wire format (form-encoded query strings such as created[gte] and expand[], Bearer
// keys, `object: "list"` pages with has_more and starting_after, Stripe's error bodies and
// a 429 with Retry-After), so the real SDK can be pointed at it with { host, port, protocol }.
// The builders below make objects of Stripe's own shapes, with sub_…, cus_…, evt_… ids.
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, any>;

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  at: number;
}

export interface StripeStandIn {
  /** For STRIPE_API_URL. */
  url: string;
  apiKey: string;
  requests: StandInRequest[];
  addCustomer(customer: Json): void;
  addProduct(product: Json): void;
  /** Kept newest first, as Stripe lists them. */
  addSubscription(subscription: Json): void;
  addCoupon(coupon: Json): void;
  /** Discounts are never read by id: they show on a subscription by id, as objects when expanded. */
  addDiscount(discount: Json): void;
  /** Reads of this customer are answered only once `reads` of them have arrived, so that many callers decide at the same moment. */
  holdCustomerReads(id: string, reads: number): void;
  /** The next request is answered 429 with Retry-After, once. */
  rateLimitOnce(retryAfterSeconds: number): void;
  close(): Promise<void>;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function stripeId(prefix: string): string {
  return `${prefix}_${[...randomBytes(14)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2);
  response
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      'Request-Id': stripeId('req'),
      ...headers,
    })
    .end(text);
}

function stripeError(
  response: ServerResponse,
  status: number,
  error: Json,
  headers: Record<string, string> = {},
): void {
  send(response, status, { error: { type: 'invalid_request_error', ...error } }, headers);
}

/** Stripe takes expand[]=a and, as the SDK sends it, expand[0]=a. */
export function expandOf(query: URLSearchParams): string[] {
  return [...query.entries()].filter(([key]) => /^expand\[\d*\]$/.test(key)).map(([, value]) => value);
}

export async function startStripeStandIn(options: { pageSizeCap?: number } = {}): Promise<StripeStandIn> {
  const apiKey = 'sk_test_standIn';
  const customers = new Map<string, Json>();
  const products = new Map<string, Json>();
  const subscriptions: Json[] = [];
  const coupons = new Map<string, Json>();
  const discounts = new Map<string, Json>();
  const requests: StandInRequest[] = [];
  let rateLimit: number | null = null;
  const held = new Map<string, { reads: number; waiting: Array<() => void> }>();

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, at: Date.now() });
    request.resume();
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return stripeError(response, 401, { message: 'Invalid API Key provided.' });
    }
    if (rateLimit !== null) {
      const seconds = rateLimit;
      rateLimit = null;
      return stripeError(
        response,
        429,
        {
          code: 'rate_limit',
          message:
            'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
        },
        { 'Retry-After': String(seconds) },
      );
    }
    const expand = new Set(expandOf(url.searchParams));
    // expand[]=discounts (or data.discounts in a list) turns discount ids into objects; items.data.discounts those of each item.
    const expanded = (subscription: Json, prefix: string): Json => {
      const objects = (ids: string[]) => ids.map((id) => discounts.get(id) ?? id);
      const items = expand.has(`${prefix}items.data.discounts`)
        ? {
            ...subscription.items,
            data: subscription.items.data.map((item: Json) => ({ ...item, discounts: objects(item.discounts) })),
          }
        : subscription.items;
      return {
        ...subscription,
        ...(expand.has(`${prefix}customer`)
          ? { customer: customers.get(subscription.customer) ?? subscription.customer }
          : {}),
        ...(expand.has(`${prefix}discounts`) ? { discounts: objects(subscription.discounts) } : {}),
        items,
      };
    };
    const oneSubscription = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && oneSubscription) {
      const found = subscriptions.find((subscription) => subscription.id === decodeURIComponent(oneSubscription[1]!));
      if (!found)
        return stripeError(response, 404, {
          code: 'resource_missing',
          param: 'id',
          message: `No such subscription: '${oneSubscription[1]}'`,
        });
      return send(response, 200, expanded(found, ''));
    }
    const one = /^\/v1\/(customers|products|coupons)\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && one) {
      const found = (one[1] === 'customers' ? customers : one[1] === 'coupons' ? coupons : products).get(
        decodeURIComponent(one[2]!),
      );
      if (!found)
        return stripeError(response, 404, {
          code: 'resource_missing',
          param: 'id',
          message: `No such ${one[1]!.slice(0, -1)}: '${one[2]}'`,
        });
      const hold = one[1] === 'customers' ? held.get(found.id) : undefined;
      if (!hold) return send(response, 200, found);
      hold.waiting.push(() => send(response, 200, found));
      if (hold.waiting.length >= hold.reads) {
        held.delete(found.id);
        for (const answer of hold.waiting) answer();
      }
      return;
    }
    if (request.method === 'GET' && url.pathname === '/v1/subscriptions') {
      const status = url.searchParams.get('status');
      const gte = url.searchParams.get('created[gte]');
      let matching = subscriptions.filter((subscription) =>
        status === 'all' ? true : status ? subscription.status === status : subscription.status !== 'canceled',
      );
      if (gte !== null) matching = matching.filter((subscription) => subscription.created >= Number(gte));
      const after = url.searchParams.get('starting_after');
      if (after) {
        const index = matching.findIndex((subscription) => subscription.id === after);
        if (index < 0)
          return stripeError(response, 400, { param: 'starting_after', message: `No such subscription: '${after}'` });
        matching = matching.slice(index + 1);
      }
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), options.pageSizeCap ?? 100);
      const page = matching.slice(0, limit).map((subscription) => expanded(subscription, 'data.'));
      return send(response, 200, {
        object: 'list',
        data: page,
        has_more: matching.length > limit,
        url: '/v1/subscriptions',
      });
    }
    stripeError(response, 404, { message: `Unrecognized request URL (${request.method}: ${url.pathname}).` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    addCustomer: (customer) => void customers.set(customer.id, customer),
    addProduct: (product) => void products.set(product.id, product),
    addCoupon: (coupon) => void coupons.set(coupon.id, coupon),
    addDiscount: (discount) => void discounts.set(discount.id, discount),
    addSubscription: (subscription) => {
      const existing = subscriptions.findIndex((known) => known.id === subscription.id);
      if (existing >= 0) subscriptions.splice(existing, 1);
      subscriptions.push(subscription);
      subscriptions.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
    },
    holdCustomerReads: (id, reads) => void held.set(id, { reads, waiting: [] }),
    rateLimitOnce: (seconds) => {
      rateLimit = seconds;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function customerObject(fields: {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
}): Json {
  return {
    id: stripeId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: seconds(new Date()),
    currency: 'usd',
    delinquent: false,
    description: null,
    email: fields.email ?? null,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: fields.metadata ?? {},
    name: fields.name ?? null,
    phone: fields.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
  };
}

export function productObject(name: string): Json {
  return {
    id: stripeId('prod'),
    object: 'product',
    active: true,
    created: seconds(new Date()),
    livemode: false,
    metadata: {},
    name,
    type: 'service',
  };
}

/** A coupon as Stripe sends it (API version 2026-10-28): percent_off or amount_off with its currency. */
export function couponObject(fields: {
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  duration: 'forever' | 'once' | 'repeating';
  durationInMonths?: number;
  products?: string[];
}): Json {
  return {
    id: stripeId('co').slice(3), // coupon ids are free-form; Stripe's own look like "Z4OV52SU"
    object: 'coupon',
    amount_off: fields.amountOff ?? null,
    ...(fields.products ? { applies_to: { products: fields.products } } : {}),
    created: seconds(new Date()),
    currency: fields.amountOff !== undefined ? (fields.currency ?? 'usd') : null,
    duration: fields.duration,
    duration_in_months: fields.duration === 'repeating' ? (fields.durationInMonths ?? 3) : null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: fields.percentOff ?? null,
    redeem_by: null,
    times_redeemed: 1,
    valid: true,
  };
}

/** A discount: since 2025-09-30 its coupon is `source.coupon`, an id unless expanded. */
export function discountObject(
  coupon: Json,
  on: { customer: string; subscription: string; subscriptionItem?: string; start: Date },
): Json {
  const start = seconds(on.start);
  return {
    id: stripeId('di'),
    object: 'discount',
    checkout_session: null,
    customer: on.customer,
    customer_account: null,
    end: coupon.duration === 'repeating' ? start + coupon.duration_in_months * 30 * 86_400 : null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { type: 'coupon', coupon: coupon.id },
    start,
    subscription: on.subscriptionItem ? null : on.subscription,
    subscription_item: on.subscriptionItem ?? null,
  };
}

export interface ItemSpec {
  /** Discount ids on this item alone. */
  discounts?: string[];
  product: string;
  unitAmount: number;
  quantity?: number;
  interval?: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  currency?: string;
}

function itemObject(subscription: string, spec: ItemSpec, created: number): Json {
  const currency = spec.currency ?? 'usd';
  const interval = spec.interval ?? 'month';
  const intervalCount = spec.intervalCount ?? 1;
  const priceId = stripeId('price');
  return {
    id: stripeId('si'),
    object: 'subscription_item',
    created,
    metadata: {},
    plan: {
      id: priceId,
      object: 'plan',
      active: true,
      amount: spec.unitAmount,
      amount_decimal: String(spec.unitAmount),
      billing_scheme: 'per_unit',
      created,
      currency,
      interval,
      interval_count: intervalCount,
      livemode: false,
      nickname: null,
      product: spec.product,
      usage_type: 'licensed',
    },
    price: {
      id: priceId,
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created,
      currency,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: spec.product,
      recurring: { interval, interval_count: intervalCount, meter: null, usage_type: 'licensed' },
      tax_behavior: 'unspecified',
      type: 'recurring',
      unit_amount: spec.unitAmount,
      unit_amount_decimal: String(spec.unitAmount),
    },
    quantity: spec.quantity ?? 1,
    subscription,
    discounts: spec.discounts ?? [],
    tax_rates: [],
  };
}

export interface SubscriptionSpec {
  id?: string;
  customer: string;
  status: 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';
  created: Date;
  trialEnd?: Date;
  endedAt?: Date;
  items: ItemSpec[];
  currency?: string;
  cancellation?: {
    reason?: 'cancellation_requested' | 'payment_disputed' | 'payment_failed';
    feedback?: string;
    comment?: string;
  };
  /** Discount ids on the whole subscription (add the objects to the stand-in). */
  discounts?: string[];
}

/** A subscription as Stripe sends it in events and lists (customer as an id; lists may expand it). */
export function subscriptionObject(spec: SubscriptionSpec): Json {
  const id = spec.id ?? stripeId('sub');
  const created = seconds(spec.created);
  const items = spec.items.map((item) => itemObject(id, item, created));
  return {
    id,
    object: 'subscription',
    application: null,
    billing_cycle_anchor: spec.trialEnd ? seconds(spec.trialEnd) : created,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: spec.endedAt ? seconds(spec.endedAt) : null,
    cancellation_details: {
      comment: spec.cancellation?.comment ?? null,
      feedback: spec.cancellation?.feedback ?? null,
      reason: spec.cancellation?.reason ?? null,
    },
    collection_method: 'charge_automatically',
    created,
    currency: spec.currency ?? spec.items[0]?.currency ?? 'usd',
    customer: spec.customer,
    days_until_due: null,
    default_payment_method: null,
    description: null,
    discounts: spec.discounts ?? [],
    ended_at: spec.endedAt ? seconds(spec.endedAt) : null,
    items: {
      object: 'list',
      data: items,
      has_more: false,
      total_count: items.length,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: stripeId('in'),
    livemode: false,
    metadata: {},
    plan: items.length === 1 ? items[0]!.plan : null,
    quantity: items.length === 1 ? items[0]!.quantity : null,
    start_date: created,
    status: spec.status,
    trial_end: spec.trialEnd ? seconds(spec.trialEnd) : null,
    trial_start: spec.trialEnd ? created : null,
  };
}

export function eventObject(type: string, object: Json, created: Date, previousAttributes?: Json): Json {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: seconds(created),
    data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: null },
    type,
  };
}
