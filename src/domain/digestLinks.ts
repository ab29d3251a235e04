// A private link to the digest page, handed to a CCO or leader in chat: who may have one,
// for which period, and the words of the answer. Signing is the link maker's job.
import { commandFor, type People, type Person } from './people.js';
import { parsePeriod, periodTitle, type Period } from './periods.js';

/** How long a link opens the page: long enough for a day's meetings, short enough that a forwarded one dies. */
export const digestLinkValidMs = 24 * 60 * 60_000;

export interface DigestLinkMaker {
  /** An absolute URL to the digest page (one period's, or else the week just ended when opened), valid until `expiresAt`. */
  link(period: Period | undefined, expiresAt: Date): { url: string; onPublicUrl: boolean };
  /** An absolute URL to one period's movement chart (PNG), for cards that fetch their pictures, valid until `expiresAt`. */
  chartLink?(period: Period, expiresAt: Date): string;
}

/** A chart link in a posted card must outlive the reading of that card: people scroll back to last quarter's digests. */
export const chartLinkValidMs = 90 * 24 * 60 * 60_000;

export interface DigestLinkDeps {
  people: People;
  /** Absent when no platform is connected: then the page is open and needs no link. */
  maker?: DigestLinkMaker;
  clock: () => Date;
  timeZone: string;
  locale: string;
  log: (message: string, context?: Record<string, unknown>) => void;
}

/** Where the answer is shown: only to the person (Slack ephemeral, a personal chat) or to everyone in a conversation. */
export type AnswerAudience = 'onlyThem' | 'conversation';

export type DigestLinkAnswer =
  | { ok: true; url: string; expiresAt: Date; message: string }
  | { ok: false; message: string };

export async function digestLink(
  deps: DigestLinkDeps,
  by: Person,
  periodText: string | undefined,
  audience: AnswerAudience,
): Promise<DigestLinkAnswer> {
  const permission = await deps.people.may(by, 'shareDigestLink');
  if (!permission.allowed) return { ok: false, message: permission.message };
  if (audience === 'conversation') {
    return {
      ok: false,
      message: `A link opens the digest’s customer figures to whoever has it, and everyone here would see it. Ask me in a personal chat: ${commandFor(by.platform, 'digest link')}.`,
    };
  }
  const typed = periodText?.trim() || undefined;
  const period = typed === undefined ? undefined : parsePeriod(typed, deps.clock(), deps.timeZone);
  if (typed !== undefined && !period) {
    const quoted = `“${typed.slice(0, 40)}”`;
    return {
      ok: false,
      message: /^\d{4}-\d{2}-\d{2}$/.test(typed)
        ? `${quoted} is not a Monday in YYYY-MM-DD form, such as ${commandFor(by.platform, 'digest link 2026-11-16')}. No link was made.`
        : `${quoted} is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in ${commandFor(by.platform, 'digest link 2026-Q3')}. No link was made.`,
    };
  }
  if (!deps.maker)
    return {
      ok: false,
      message:
        'This bot’s digest page is open to anyone who can reach it (no platform is connected), so it needs no link.',
    };

  const expiresAt = new Date(deps.clock().getTime() + digestLinkValidMs);
  const { url, onPublicUrl } = deps.maker.link(period, expiresAt);
  deps.log('digest link made', {
    platform: by.platform,
    userId: by.userId,
    period: period?.name ?? 'latest',
    expiresAt: expiresAt.toISOString(),
  });
  const until = new Intl.DateTimeFormat(deps.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: deps.timeZone,
    timeZoneName: 'short',
  }).format(expiresAt);
  const which = !period
    ? 'for the week just ended'
    : `for ${period.kind === 'week' ? 'the ' : ''}${periodTitle(period, deps.locale)}`;
  const sentences = [
    `Your private link to the customer asset digest ${which}. It works for 24 hours, until ${until}. Anyone who has it can open the page, so share it only with people who may see customer figures.`,
  ];
  if (!onPublicUrl)
    sentences.push(
      'PUBLIC_URL is not set, so the link uses the bot’s own address, which may not open from your browser: ask whoever runs the bot to set PUBLIC_URL.',
    );
  return { ok: true, url, expiresAt, message: sentences.join(' ') };
}
