// What people do with early warnings, for the adapters to call once the chat commands exist:
// choose where warnings go, read the moments and how each stands, acknowledge a warning
// (who and when, once), and open the issues at its stage. Permission checks and wording are
// here; each answer is a typed outcome, so an adapter only translates it.
import type { Channel, DeliveryStore } from './delivery.js';
import type { IssueSummary } from './issues.js';
import { unitText } from './warnings.js';
import type { Moment } from './moments.js';
import type { People, Person } from './people.js';
import type { WarningNoticeContent, WarningStory } from './warningNotices.js';

export type Refusal = { ok: false; code: 'notAllowed' | 'unknownWarning'; message: string };

/** Who has a warning in hand, for its post to show in place of the Acknowledge button. */
export interface Acknowledgement {
  by: Person;
  /** As their platform gave it when they pressed; null when it gave none. */
  name: string | null;
  at: Date;
  /** `at` in the organisation's time zone, as people read it: "2026-12-02 09:05 Europe/Paris". */
  atText: string;
}

/** A warning post as it should read now: the same story, with who acknowledged it. */
export interface AcknowledgedWarning {
  content: Extract<WarningNoticeContent, { kind: 'earlyWarning' }>;
  acknowledgement: Acknowledgement;
}

export interface WarningRecordStore {
  /**
   * Records who acknowledged, unless someone already did (`recorded` false: then it is who did, and when).
   * Null when there is no such warning.
   */
  acknowledge(
    warningId: string,
    by: Person,
    name: string | null,
    at: Date,
  ): Promise<{ recorded: boolean; by: Person; name: string | null; at: Date; story: WarningStory } | null>;
  /** The stage (and category) a warning is about, by name. */
  warningPlace(warningId: string): Promise<{ stageName: string; categoryName: string | null } | null>;
}

export interface WarningCommandDeps {
  people: People;
  deliveries: Pick<DeliveryStore, 'subscribe' | 'unsubscribe'>;
  warnings: WarningRecordStore;
  moments: () => Promise<Array<Moment & { belowSince: Date | null }>>;
  openIssues: (limit: number) => Promise<IssueSummary[]>;
  clock: () => Date;
  timeZone: string;
}

/** "2026-12-02 09:05 Europe/Paris": a moment as the organisation's clocks show it. */
export function localTimeText(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

export async function subscribeWarnings(
  deps: WarningCommandDeps,
  by: Person,
  channel: Channel,
  on: boolean,
): Promise<
  { ok: true; result: 'subscribed' | 'alreadySubscribed' | 'unsubscribed' | 'notSubscribed'; message: string } | Refusal
> {
  const permission = await deps.people.may(by, 'subscribeWarnings');
  if (!permission.allowed) return { ok: false, code: 'notAllowed', message: permission.message };
  const result = on
    ? await deps.deliveries.subscribe(channel, by.userId, 'warnings')
    : await deps.deliveries.unsubscribe(channel, 'warnings');
  const message = {
    subscribed:
      'This channel now gets early warnings: a moment that matters below its standard (once, until it recovers), its recovery, and complaint spikes.',
    alreadySubscribed: 'This channel already gets early warnings. Nothing was changed.',
    unsubscribed: 'This channel no longer gets early warnings.',
    notSubscribed: 'This channel was not getting early warnings. Nothing was changed.',
  }[result];
  return { ok: true, result, message };
}

/** Anyone may read the moments and how each stands. */
export async function listMoments(
  deps: Pick<WarningCommandDeps, 'moments'>,
): Promise<{ ok: true; moments: Array<Moment & { belowSince: Date | null }>; message: string }> {
  const moments = await deps.moments();
  if (!moments.length)
    return {
      ok: true,
      moments,
      message:
        'No moments that matter are named yet. They go in the company language file, beside the stages (see the README: Early warnings).',
    };
  const lines = moments.map(
    (moment) =>
      `${moment.stageName}: ${moment.name}, ${moment.metric}, standard ${unitText(moment.standard, moment.unit)} (${moment.better} is better)${moment.belowSince ? `, below standard since ${moment.belowSince.toISOString().slice(0, 10)}` : ''}`,
  );
  return { ok: true, moments, message: lines.join('\n') };
}

/**
 * Records that `by` has the warning in hand; only the first press counts. Either way the answer
 * carries the warning as it now reads, so the post can show who acknowledged it, and when.
 */
export async function acknowledgeWarning(
  deps: WarningCommandDeps,
  by: Person,
  warningId: string,
  name: string | null = null,
): Promise<
  | { ok: true; message: string; warning: AcknowledgedWarning }
  | { ok: false; code: 'alreadyAcknowledged'; message: string; warning: AcknowledgedWarning }
  | Refusal
> {
  const permission = await deps.people.may(by, 'acknowledgeWarning');
  if (!permission.allowed) return { ok: false, code: 'notAllowed', message: permission.message };
  const result = await deps.warnings.acknowledge(warningId, by, name, deps.clock());
  if (!result)
    return {
      ok: false,
      code: 'unknownWarning',
      message: 'That warning is no longer known to the bot. Nothing was recorded.',
    };
  const acknowledgement: Acknowledgement = {
    by: result.by,
    name: result.name,
    at: result.at,
    atText: localTimeText(result.at, deps.timeZone),
  };
  const warning: AcknowledgedWarning = {
    content: { kind: 'earlyWarning', warningId, story: result.story },
    acknowledgement,
  };
  if (!result.recorded)
    return {
      ok: false,
      code: 'alreadyAcknowledged',
      message: `This warning was already acknowledged${result.name ? ` by ${result.name}` : ''} at ${acknowledgement.atText}. Nothing more was recorded.`,
      warning,
    };
  return { ok: true, message: 'Acknowledged: the warning records that you have it in hand.', warning };
}

/** The open issues at the warning's stage (and category), busiest first: where the complaints are filed. */
export async function issuesForWarning(
  deps: WarningCommandDeps,
  warningId: string,
): Promise<{ ok: true; issues: IssueSummary[]; message: string } | Refusal> {
  const place = await deps.warnings.warningPlace(warningId);
  if (!place) return { ok: false, code: 'unknownWarning', message: 'That warning is no longer known to the bot.' };
  const issues = (await deps.openIssues(200))
    .filter(
      (issue) =>
        issue.stageName === place.stageName && (!place.categoryName || issue.categoryName === place.categoryName),
    )
    .slice(0, 10);
  const where = place.categoryName ? `${place.categoryName} at ${place.stageName}` : place.stageName;
  return {
    ok: true,
    issues,
    message: issues.length ? `Open issues for ${where}, busiest first.` : `No open issue for ${where} right now.`,
  };
}
