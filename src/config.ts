// Every environment variable the bot reads, parsed once at start. With none set the
// bot runs as a local preview: embedded database, no Slack, no credentials.
import { z } from 'zod';
import { stripeFxRatesSetting, stripeReasonMapSetting } from './connectors/stripe/settings.js';

const optionalText = z.string().trim().min(1).optional().catch(undefined);
const idList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  );

/** A secret the operator chooses: unset (or empty) is fine, too short to be a secret is refused. */
const secretText = (minLength: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .trim()
      .min(minLength, `must be at least ${minLength} characters (try: openssl rand -base64 32)`)
      .optional(),
  );

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().default('.data/pglite'),
    ORG_TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris'),
    ORG_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .default('USD'),
    ORG_LOCALE: z.string().default('en-US'),
    DIGEST_CRON: z.string().default('0 8 * * 1'),
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText,
    SLACK_API_URL: z.string().url().optional(),
    BOOTSTRAP_CCO_SLACK_IDS: idList,
    EVENTS_API_TOKEN: optionalText,
    // Its own token: a survey or support tool that sends feedback need not be able to write customer movements.
    FEEDBACK_API_TOKEN: optionalText,
    // Its own token too: the systems that measure moments (a call platform, a delivery tracker) need not write customers or feedback.
    METRICS_API_TOKEN: optionalText,
    // Microsoft Teams, through an Azure Bot registration (README: Connect Microsoft Teams).
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MICROSOFT_APP_CERTIFICATE_THUMBPRINT: optionalText,
    MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: optionalText,
    /** Microsoft Entra tenant ids the bot serves in Teams (comma-separated); the first is where direct messages are opened. */
    TEAMS_TENANT_IDS: idList,
    /** Local use and tests only: Teams without credentials, as the Bot Framework Emulator talks to a bot. */
    TEAMS_EMULATOR: flag,
    /** Microsoft Entra object ids (from.aadObjectId) of people who are always CCO in Teams. */
    BOOTSTRAP_CCO_TEAMS_IDS: idList,
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: z.string().url().optional(),
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    /** How long one model call may take before the keyword classifier or the story template answers. */
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
    /** JSON file with the organisation's stages and categories; when set it is the source of truth at every start. */
    LANGUAGE_FILE: optionalText,
    SHOW_CUSTOMER_NAMES: flag,
    /** debug, info, warn or error: the least severe lines written. */
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** When set, GET /metrics asks for it as a bearer token. */
    METRICS_TOKEN: optionalText,
    /** Where people reach the bot (https://growth.example.com): the host of the digest links it hands out. */
    PUBLIC_URL: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://growth.example.com' }).optional(),
    ),
    /** Opens the private digest page to the operator's tools: `Authorization: Bearer <PREVIEW_TOKEN>`. */
    PREVIEW_TOKEN: secretText(16),
    /** Signs digest links; without it the bot makes one and keeps it in the database. */
    PREVIEW_LINK_SECRET: secretText(32),
    // Stripe (README: Connect Stripe): webhooks at /connectors/stripe/webhook and `npm run connect:stripe`.
    STRIPE_API_KEY: optionalText,
    STRIPE_WEBHOOK_SECRET: optionalText,
    /** Tests and the demo only: a local stand-in speaking Stripe's API, e.g. http://127.0.0.1:12111. */
    STRIPE_API_URL: z.string().url().optional(),
    /** The customer metadata field that names the segment; the product name is used without it. */
    STRIPE_SEGMENT_FIELD: z.string().trim().min(1).default('segment'),
    /** JSON: Stripe's cancellation feedback values to the company's loss reasons, over the defaults. */
    STRIPE_REASON_MAP: stripeReasonMapSetting,
    /** JSON: units of ORG_CURRENCY per unit of another currency; without a rate such subscriptions are not counted. */
    STRIPE_FX_RATES: stripeFxRatesSetting,
    DEMO_DATA: flag,
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message: 'is needed with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
      });
    }
    if (env.STRIPE_WEBHOOK_SECRET && !env.STRIPE_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['STRIPE_API_KEY'],
        message: 'is needed with STRIPE_WEBHOOK_SECRET (the bot reads the customer behind each event)',
      });
    }
    const teamsProblem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.TEAMS_EMULATOR && env.MICROSOFT_APP_ID) {
      teamsProblem(
        'TEAMS_EMULATOR',
        'turns authentication off, so it cannot be combined with MICROSOFT_APP_ID; unset one of them',
      );
    }
    const credentials =
      env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT || env.MICROSOFT_APP_TENANT_ID;
    if (!env.MICROSOFT_APP_ID && credentials)
      teamsProblem('MICROSOFT_APP_ID', 'is needed with the other MICROSOFT_APP_* settings');
    if (env.MICROSOFT_APP_ID) {
      const certificate =
        Boolean(env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT) !== Boolean(env.MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY);
      if (certificate)
        teamsProblem('MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY', 'and MICROSOFT_APP_CERTIFICATE_THUMBPRINT go together');
      if (
        env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' &&
        !env.MICROSOFT_APP_PASSWORD &&
        !env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT
      ) {
        teamsProblem(
          'MICROSOFT_APP_PASSWORD',
          'is needed with MICROSOFT_APP_ID (or a certificate, or MICROSOFT_APP_TYPE=UserAssignedMSI)',
        );
      }
      if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) {
        teamsProblem('MICROSOFT_APP_TENANT_ID', `is needed when MICROSOFT_APP_TYPE is ${env.MICROSOFT_APP_TYPE}`);
      }
      // A multi-tenant registration with no list would answer any organisation that uploads the app package.
      if (env.MICROSOFT_APP_TYPE === 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID && !env.TEAMS_TENANT_IDS.length) {
        teamsProblem(
          'TEAMS_TENANT_IDS',
          "is needed with a MultiTenant registration: list your organisation's Microsoft Entra tenant id, or the bot would serve any organisation that installs it",
        );
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

/** Teams is on with a real Azure Bot registration, or in emulator mode for local use. */
export function teamsConfigured(config: Config): boolean {
  return Boolean(config.MICROSOFT_APP_ID) || config.TEAMS_EMULATOR;
}

/** The tenants Teams activities may come from; empty only in emulator mode without TEAMS_TENANT_IDS. */
export function teamsTenants(config: Config): string[] {
  if (config.TEAMS_TENANT_IDS.length) return config.TEAMS_TENANT_IDS.map((id) => id.toLowerCase());
  return config.MICROSOFT_APP_TENANT_ID ? [config.MICROSOFT_APP_TENANT_ID.toLowerCase()] : [];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`The bot's configuration is not valid:\n${problems}`);
  }
  return parsed.data;
}
