// Every environment variable the bot reads, parsed once at start. With none set the
// bot runs as a local preview: embedded database, no Slack, no credentials.
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional().catch(undefined);
const idList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((id) => id.trim()).filter(Boolean));

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
    ORG_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('USD'),
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
    // Microsoft Teams, through an Azure Bot registration (README: Connect Microsoft Teams).
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MICROSOFT_APP_CERTIFICATE_THUMBPRINT: optionalText,
    MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: optionalText,
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
    const teamsProblem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.TEAMS_EMULATOR && env.MICROSOFT_APP_ID) {
      teamsProblem('TEAMS_EMULATOR', 'turns authentication off, so it cannot be combined with MICROSOFT_APP_ID; unset one of them');
    }
    const credentials = env.MICROSOFT_APP_PASSWORD || env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT || env.MICROSOFT_APP_TENANT_ID;
    if (!env.MICROSOFT_APP_ID && credentials) teamsProblem('MICROSOFT_APP_ID', 'is needed with the other MICROSOFT_APP_* settings');
    if (env.MICROSOFT_APP_ID) {
      const certificate = Boolean(env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT) !== Boolean(env.MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY);
      if (certificate) teamsProblem('MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY', 'and MICROSOFT_APP_CERTIFICATE_THUMBPRINT go together');
      if (env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !env.MICROSOFT_APP_PASSWORD && !env.MICROSOFT_APP_CERTIFICATE_THUMBPRINT) {
        teamsProblem('MICROSOFT_APP_PASSWORD', 'is needed with MICROSOFT_APP_ID (or a certificate, or MICROSOFT_APP_TYPE=UserAssignedMSI)');
      }
      if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) {
        teamsProblem('MICROSOFT_APP_TENANT_ID', `is needed when MICROSOFT_APP_TYPE is ${env.MICROSOFT_APP_TYPE}`);
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

/** Teams is on with a real Azure Bot registration, or in emulator mode for local use. */
export function teamsConfigured(config: Config): boolean {
  return Boolean(config.MICROSOFT_APP_ID) || config.TEAMS_EMULATOR;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`The bot's configuration is not valid:\n${problems}`);
  }
  return parsed.data;
}
