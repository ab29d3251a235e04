// One logger for the bot and the libraries it runs (Bolt, botbuilder): JSON lines on stdout
// through pino, with levels, and with tokens and secrets taken out before anything is written.
import { format } from 'node:util';
import type { Logger as SlackLogger, LogLevel as SlackLogLevel } from '@slack/bolt';
import { pino, type DestinationStream, type Level } from 'pino';

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Called as `log(message, context)`: info. A context `level` ('debug' | 'info' | 'warn' | 'error')
 * chooses another; a plain function is still a Log, so tests and callers pass their own.
 */
export type Log = (message: string, context?: Record<string, unknown>) => void;

const secretKeys = [
  'authorization',
  'token',
  'password',
  'secret',
  'client_secret',
  'clientSecret',
  'apiKey',
  'api_key',
  'appToken',
  'botToken',
  'signingSecret',
  'access_token',
  'refresh_token',
  'cookie',
];

/** pino's redact paths: the keys at the top, one and two levels down, and in headers. */
export const redactPaths = secretKeys
  .flatMap((key) => [key, `*.${key}`, `*.*.${key}`])
  .concat(['headers.authorization', '*.headers.authorization', 'headers.cookie', '*.headers.cookie']);

// Tokens by their shape, wherever they turn up in a message or an error: Slack (xoxb-, xoxp-,
// xapp-...), OpenAI (sk-...), bearer credentials, and JWTs such as Bot Framework's.
const tokenPatterns: Array<[RegExp, string]> = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/\bsk-[A-Za-z0-9_-]{6,}/g, 'sk-[redacted]'],
  // Stripe's secret and restricted keys and webhook signing secrets.
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]+/g, '$1_$2_[redacted]'],
  [/\bwhsec_[A-Za-z0-9]+/g, 'whsec_[redacted]'],
  // A digest link's signature opens customer data for a day.
  [/([?&]signature=)[^&\s"]+/g, '$1[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[redacted jwt]'],
];

export function scrubText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of tokenPatterns) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** Scrubs every string in a context, a few levels deep; what is deeper is left out rather than risked. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value instanceof Error) return scrubText(value.stack ?? `${value.name}: ${value.message}`);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 5) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where the lines go; stdout when absent. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

/** The bot's Log over pino: `{"level":"info","at":"…","message":"…",…context}` a line. */
export function createLog(options: LoggerOptions = {}): Log {
  const logger = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      base: undefined,
      timestamp: () => `,"at":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return (message, context = {}) => {
    const { level, ...rest } = context;
    const chosen: Level = isLevel(level) ? level : 'info';
    if (!logger.isLevelEnabled(chosen)) return;
    logger[chosen](scrubValue(rest) as Record<string, unknown>, scrubText(message));
  };
}

/** Bolt's Logger interface over a Log, so Slack's own warnings land in the same lines. */
export function boltLogger(log: Log, name = 'slack'): SlackLogger {
  const order: Record<string, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  let threshold = 'info' as SlackLogLevel;
  let component = name;
  const at =
    (level: LogLevel) =>
    (...parts: unknown[]) => {
      if (order[level]! < order[threshold]!) return;
      log(format(...parts), { level, component });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (level) => {
      threshold = level;
    },
    getLevel: () => threshold,
    setName: (newName) => {
      component = newName;
    },
  };
}

/**
 * botbuilder writes its errors with console.error and has no logger option; in the bot's own
 * process, console goes through the Log too, so those lines are structured and scrubbed.
 */
export function routeConsoleTo(log: Log): void {
  const to =
    (level: LogLevel) =>
    (...parts: unknown[]) =>
      log(format(...parts), { level, component: 'console' });
  console.log = to('info');
  console.info = to('info');
  console.warn = to('warn');
  console.error = to('error');
  console.debug = to('debug');
}
