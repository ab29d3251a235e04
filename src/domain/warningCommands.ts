// What people do with early warnings, for the adapters to call once the chat commands exist:
// choose where warnings go, read the moments and how each stands, acknowledge a warning
// (who and when, once), and open the issues at its stage. Permission checks and wording are
// here; each answer is a typed outcome, so an adapter only translates it.
import type { Channel, DeliveryStore } from './delivery.js';
import type { IssueSummary } from './issues.js';
import { unitText } from './warnings.js';
import type { Moment } from './moments.js';
import type { People, Person } from './people.js';

export type Refusal = { ok: false; code: 'notAllowed' | 'unknownWarning' | 'alreadyAcknowledged'; message: string };

export interface WarningRecordStore {
  /** Records who acknowledged, unless someone already did: then who did and when. Null when there is no such warning. */
  acknowledge(
    warningId: string,
    by: Person,
    at: Date,
  ): Promise<{ acknowledged: true } | { acknowledged: false; by: string; at: Date } | null>;
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

export async function acknowledgeWarning(
  deps: WarningCommandDeps,
  by: Person,
  warningId: string,
): Promise<{ ok: true; at: Date; message: string } | Refusal> {
  const permission = await deps.people.may(by, 'acknowledgeWarning');
  if (!permission.allowed) return { ok: false, code: 'notAllowed', message: permission.message };
  const at = deps.clock();
  const result = await deps.warnings.acknowledge(warningId, by, at);
  if (!result)
    return {
      ok: false,
      code: 'unknownWarning',
      message: 'That warning is no longer known to the bot. Nothing was recorded.',
    };
  if (!result.acknowledged)
    return {
      ok: false,
      code: 'alreadyAcknowledged',
      message: `This warning was already acknowledged on ${result.at.toISOString().slice(0, 16).replace('T', ' ')} UTC. Nothing more was recorded.`,
    };
  return { ok: true, at, message: 'Acknowledged: the warning records that you have it in hand.' };
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
