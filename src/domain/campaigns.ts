// Lost-customer call campaigns (Bliss's second customer-asset metric): know who left, what
// they were worth and why, by calling them. The CCO chooses whom to call and who calls;
// calls are shared out fairly; each caller gets their list; what they hear rolls up into
// the digest's "Why customers left".
import { z } from 'zod';
import type { CampaignReasonCount } from './campaignNotices.js';
import type { NoticeDraft } from './notices.js';
import { notAllowed, type Refusal } from './outcome.js';
import { commandFor, type People, type Person, type Platform } from './people.js';
import { localDate } from './weeks.js';

export const campaignInput = z
  .object({
    name: z.string().trim().min(1, 'Give the campaign a name.').max(100, 'Keep the name under 100 characters.'),
    lostFrom: z.iso.date('Choose when the period of lost customers starts.'),
    lostUntil: z.iso.date('Choose when the period of lost customers ends.'),
    segments: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
    minValue: z.coerce
      .number('The minimum value must be a number.')
      .finite()
      .min(0, 'The minimum value cannot be negative.')
      .default(0),
    callers: z.array(z.string().trim().min(1).max(100)).min(1, 'Choose at least one caller.').max(5000),
    dueOn: z.iso.date('Choose a due date.'),
    guidance: z.string().trim().max(2000, 'Keep the guidance under 2,000 characters.').default(''),
  })
  .refine((input) => input.lostFrom <= input.lostUntil, {
    path: ['lostUntil'],
    message: 'The period must end on or after the day it starts.',
  });
export type CampaignInput = z.input<typeof campaignInput>;
/** The input a refusal to start a campaign is about, so a form can show it under that field. */
export type CampaignField = keyof CampaignInput;
export type CampaignStartRefusal = Refusal<'notAllowed' | 'invalid' | 'nothingToCall', CampaignField>;

export interface LostCustomer {
  customerId: string;
  name: string;
  segment: string;
  valueLost: number;
  lostAt: Date;
}

export interface CallAssignment extends LostCustomer {
  callerId: string;
  part: number;
}

export interface CallCard {
  callId: string;
  customerName: string;
  segment: string;
  valueLost: number;
  lostAt: string;
  /** Only ever rendered for the assigned caller or the CCO. */
  contact: string | null;
  status: 'open' | 'reached' | 'unreachable';
  reason: string | null;
}

/** What heads a caller's list of calls: which campaign, by when, and which of their lists. */
export interface CallListHeading {
  campaignNumber: number;
  name: string;
  dueOn: string;
  guidance: string;
  part: number;
}

/** The heading of a caller's list of calls in that campaign. */
export function callListHeading(
  campaign: Pick<CampaignSummary, 'number' | 'name' | 'dueOn' | 'guidance'>,
  part: number,
): CallListHeading {
  return {
    campaignNumber: campaign.number,
    name: campaign.name,
    dueOn: campaign.dueOn,
    guidance: campaign.guidance,
    part,
  };
}

export interface CampaignSummary {
  id: string;
  number: number;
  name: string;
  status: 'active' | 'paused' | 'closed';
  dueOn: string;
  guidance: string;
  platform: Platform;
}

export interface CampaignProgress {
  campaign: CampaignSummary;
  callers: Array<{ callerId: string; done: number; open: number }>;
  reasons: CampaignReasonCount[];
}

export interface CampaignStore {
  lostCustomers(filter: {
    lostFrom: string;
    lostUntil: string;
    segments: string[];
    minValue: number;
    timeZone: string;
  }): Promise<LostCustomer[]>;
  /** The campaign, its calls and the callers' notices, in one transaction. */
  createCampaign(
    campaign: z.output<typeof campaignInput> & { platform: Platform; startedBy: string },
    calls: CallAssignment[],
    notices: (campaign: CampaignSummary) => NoticeDraft[],
  ): Promise<CampaignSummary>;
  campaignByNumber(number: number): Promise<CampaignSummary | null>;
  latestCampaign(): Promise<CampaignSummary | null>;
  callById(id: string): Promise<{
    id: string;
    campaign: CampaignSummary;
    callerId: string;
    part: number;
    status: CallCard['status'];
  } | null>;
  cards(campaignId: string, callerId: string, part?: number): Promise<CallCard[]>;
  recordCall(id: string, outcome: CallOutcome & { loggedBy: string; loggedAt: Date }): Promise<void>;
  progress(campaignId: string): Promise<CampaignProgress['callers']>;
  reasons(campaignId: string): Promise<CampaignProgress['reasons']>;
  /** Moves open calls between callers; the new caller's notice is queued in the same transaction. */
  reassign(
    campaignId: string,
    from: string,
    to: string,
    notice: (callIds: string[], part: number) => NoticeDraft,
  ): Promise<number>;
  setStatus(campaignId: string, status: CampaignSummary['status'], notices: NoticeDraft[]): Promise<void>;
  /** Callers with open calls in active campaigns due within `days`, for reminders. */
  callersToRemind(
    today: string,
    days: number,
  ): Promise<Array<{ campaign: CampaignSummary; callerId: string; open: number }>>;
  queue(notices: NoticeDraft[]): Promise<void>;
  digestChannels(): Promise<Array<{ platform: Platform; channelId: string }>>;
  /** Segments customers have been lost from, for the campaign form. */
  segments(): Promise<string[]>;
}

/** Calls per message to a caller: each card is two blocks, under Slack's 50-block limit with a heading. */
export const callsPerMessage = 20;

/**
 * Highest value first, each to the caller with the fewest calls so far (then the least
 * value), so counts differ by at most one and the biggest losses are spread out.
 */
export function assignFairly(customers: LostCustomer[], callers: string[]): CallAssignment[] {
  const load = new Map(callers.map((caller) => [caller, { count: 0, value: 0 }]));
  const ordered = [...customers].sort((a, b) => b.valueLost - a.valueLost || a.name.localeCompare(b.name));
  return ordered.map((customer) => {
    let chosen = callers[0]!;
    for (const caller of callers) {
      const a = load.get(caller)!;
      const b = load.get(chosen)!;
      if (a.count < b.count || (a.count === b.count && a.value < b.value)) chosen = caller;
    }
    const current = load.get(chosen)!;
    const part = Math.floor(current.count / callsPerMessage);
    current.count++;
    current.value += customer.valueLost;
    return { ...customer, callerId: chosen, part };
  });
}

type Answer = { ok: true; message: string } | { ok: false; message: string };

export interface CampaignDeps {
  campaigns: CampaignStore;
  people: People;
  timeZone: string;
  clock: () => Date;
}

/** Today in the organisation's time zone: the earliest due date a campaign may have. */
export const campaignToday = (deps: Pick<CampaignDeps, 'timeZone' | 'clock'>) => localDate(deps.clock(), deps.timeZone);
const campaignFields = new Set<string>(Object.keys(campaignInput.shape));

export async function startCampaign(
  deps: CampaignDeps,
  by: Person,
  input: CampaignInput,
): Promise<{ ok: true; message: string; campaign: CampaignSummary } | CampaignStartRefusal> {
  const permission = await deps.people.may(by, 'runCampaigns');
  if (!permission.allowed) return notAllowed(permission);
  const parsed = campaignInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    return {
      ok: false,
      code: 'invalid',
      ...(campaignFields.has(field) ? { field: field as CampaignField } : {}),
      message: issue.message,
    };
  }
  const campaign = { ...parsed.data, callers: [...new Set(parsed.data.callers)] };
  if (campaign.dueOn < campaignToday(deps))
    return {
      ok: false,
      code: 'invalid',
      field: 'dueOn',
      message: 'The due date has already passed. Choose today or a later day.',
    };
  const customers = await deps.campaigns.lostCustomers({ ...campaign, timeZone: deps.timeZone });
  // The period is what most often leaves nobody to call, so the form shows the answer there.
  if (!customers.length)
    return {
      ok: false,
      code: 'nothingToCall',
      field: 'lostUntil',
      message:
        'No lost customers match that period, those segments and that minimum value, so no campaign was started.',
    };
  const calls = assignFairly(customers, campaign.callers);
  const created = await deps.campaigns.createCampaign(
    { ...campaign, platform: by.platform, startedBy: by.userId },
    calls,
    (summary) => callerNotices(summary, calls, by.platform),
  );
  return {
    ok: true,
    campaign: created,
    message: `Campaign #${created.number} "${created.name}" started: ${customers.length} lost ${customers.length === 1 ? 'customer' : 'customers'} shared between ${campaign.callers.length} ${campaign.callers.length === 1 ? 'caller' : 'callers'}, due ${campaign.dueOn}. Each caller gets their list in a direct message.`,
  };
}

function callerNotices(campaign: CampaignSummary, calls: CallAssignment[], platform: Platform): NoticeDraft[] {
  const parts = new Map<string, number>();
  for (const call of calls)
    parts.set(`${call.callerId}\u0000${call.part}`, (parts.get(`${call.callerId}\u0000${call.part}`) ?? 0) + 1);
  return [...parts].map(([key, count]) => {
    const [callerId, part] = key.split('\u0000') as [string, string];
    return {
      key: `campaign-calls:${campaign.id}:${platform}:${callerId}:${part}`,
      platform,
      target: callerId,
      toUser: true,
      content: {
        kind: 'campaignCalls',
        campaignId: campaign.id,
        campaignNumber: campaign.number,
        name: campaign.name,
        dueOn: campaign.dueOn,
        guidance: campaign.guidance,
        callerId,
        part: Number(part),
        calls: count,
      },
    };
  });
}

export const callOutcome = z.object({
  reached: z.boolean(),
  /** A category id from the company list, or "other" with words. */
  reason: z.union([z.uuid(), z.literal('other')]).optional(),
  reasonOther: z.string().trim().max(500).optional(),
  stageId: z.uuid().optional(),
  verbatim: z.string().trim().max(5000).optional(),
  mightReturn: z.enum(['yes', 'no', 'maybe']).optional(),
  followUpOwner: z.string().trim().max(100).optional(),
});
export type CallOutcome = z.input<typeof callOutcome>;

async function mayHandleCall(
  deps: CampaignDeps,
  by: Person,
  callerId: string,
  platform?: Platform,
): Promise<string | null> {
  // The caller is a person of the campaign's platform: the same id on the other platform is someone else.
  if (by.userId === callerId && (!platform || by.platform === platform)) return null;
  const permission = await deps.people.may(by, 'runCampaigns');
  return permission.allowed ? null : 'This call is assigned to someone else: only they and the CCO can see or log it.';
}

/** Why a call was not logged; `field: 'reason'` when the answer about why they left is what is missing. */
export type CallLogRefusal = Refusal<'notFound' | 'notAllowed' | 'closed' | 'invalid', 'reason'>;

export async function logCall(
  deps: CampaignDeps,
  by: Person,
  callId: string,
  outcome: CallOutcome,
): Promise<
  { ok: true; message: string; call: { campaign: CampaignSummary; callerId: string; part: number } } | CallLogRefusal
> {
  const call = z.uuid().safeParse(callId).success ? await deps.campaigns.callById(callId) : null;
  if (!call) return { ok: false, code: 'notFound', message: 'I could not find that call any more. Nothing was saved.' };
  const refusal = await mayHandleCall(deps, by, call.callerId, call.campaign.platform);
  if (refusal) return { ok: false, code: 'notAllowed', message: refusal };
  if (call.campaign.status === 'closed')
    return {
      ok: false,
      code: 'closed',
      message: `Campaign #${call.campaign.number} is closed, so calls can no longer be logged.`,
    };
  const parsed = callOutcome.safeParse(outcome);
  if (!parsed.success)
    return {
      ok: false,
      code: 'invalid',
      message: 'Some answers could not be read. Please check the form and try again.',
    };
  if (parsed.data.reached && !parsed.data.reason)
    return {
      ok: false,
      code: 'invalid',
      field: 'reason',
      message: 'Choose the main reason they left (or "Other" with a few words).',
    };
  if (parsed.data.reason === 'other' && !parsed.data.reasonOther)
    return { ok: false, code: 'invalid', field: 'reason', message: 'With "Other", say in a few words why they left.' };
  await deps.campaigns.recordCall(call.id, { ...parsed.data, loggedBy: by.userId, loggedAt: deps.clock() });
  return {
    ok: true,
    message: parsed.data.reached ? 'Call logged. Thank you.' : 'Marked as not reached.',
    call: { campaign: call.campaign, callerId: call.callerId, part: call.part },
  };
}

/** The caller's cards as they are now, for the caller or the CCO only. */
export async function callerCards(
  deps: CampaignDeps,
  by: Person,
  campaignId: string,
  callerId: string,
  part?: number,
): Promise<{ ok: true; cards: CallCard[] } | { ok: false; message: string }> {
  const refusal = await mayHandleCall(deps, by, callerId);
  if (refusal) return { ok: false, message: refusal };
  return { ok: true, cards: await deps.campaigns.cards(campaignId, callerId, part) };
}

export async function campaignProgress(
  deps: CampaignDeps,
  by: Person,
  number?: number,
): Promise<{ ok: true; progress: CampaignProgress } | { ok: false; message: string }> {
  const permission = await deps.people.may(by, 'seeCampaigns');
  if (!permission.allowed) return { ok: false, message: permission.message };
  const campaign =
    number === undefined ? await deps.campaigns.latestCampaign() : await deps.campaigns.campaignByNumber(number);
  if (!campaign)
    return {
      ok: false,
      message:
        number === undefined
          ? `There is no campaign yet. The CCO starts one with ${commandFor(by.platform, 'campaign start')}.`
          : `There is no campaign #${number}.`,
    };
  const [callers, reasons] = await Promise.all([
    deps.campaigns.progress(campaign.id),
    deps.campaigns.reasons(campaign.id),
  ]);
  return { ok: true, progress: { campaign, callers, reasons } };
}

export async function reassignCalls(
  deps: CampaignDeps,
  by: Person,
  from: string,
  to: string,
  number?: number,
): Promise<Answer> {
  const permission = await deps.people.may(by, 'runCampaigns');
  if (!permission.allowed) return { ok: false, message: permission.message };
  if (from === to) return { ok: false, message: 'Those are the same person.' };
  const campaign =
    number === undefined ? await deps.campaigns.latestCampaign() : await deps.campaigns.campaignByNumber(number);
  if (!campaign || campaign.status === 'closed')
    return { ok: false, message: 'There is no open campaign to reassign calls in.' };
  // Each move owes its own message: moving calls away and back again reuses a part number, so the key names the move too.
  const move = globalThis.crypto.randomUUID();
  const moved = await deps.campaigns.reassign(campaign.id, from, to, (callIds, part) => ({
    key: `campaign-calls:${campaign.id}:${by.platform}:${to}:${part}:moved:${move}`,
    platform: by.platform,
    target: to,
    toUser: true,
    content: {
      kind: 'campaignCalls',
      campaignId: campaign.id,
      campaignNumber: campaign.number,
      name: campaign.name,
      dueOn: campaign.dueOn,
      guidance: campaign.guidance,
      callerId: to,
      part,
      calls: callIds.length,
    },
  }));
  if (!moved) return { ok: false, message: 'That person has no open calls in this campaign. Nothing was moved.' };
  return {
    ok: true,
    message: `Moved ${moved} open ${moved === 1 ? 'call' : 'calls'} in campaign #${campaign.number}; the new caller gets them in a direct message.`,
  };
}

export async function changeCampaign(
  deps: CampaignDeps,
  by: Person,
  number: number | undefined,
  action: 'pause' | 'resume' | 'close',
): Promise<Answer> {
  const permission = await deps.people.may(by, 'runCampaigns');
  if (!permission.allowed) return { ok: false, message: permission.message };
  const campaign =
    number === undefined ? await deps.campaigns.latestCampaign() : await deps.campaigns.campaignByNumber(number);
  if (!campaign)
    return {
      ok: false,
      message: number === undefined ? 'There is no campaign yet.' : `There is no campaign #${number}.`,
    };
  if (campaign.status === 'closed') return { ok: false, message: `Campaign #${campaign.number} is already closed.` };
  const status = action === 'pause' ? 'paused' : action === 'resume' ? 'active' : 'closed';
  if (campaign.status === status) return { ok: false, message: `Campaign #${campaign.number} is already ${status}.` };
  let notices: NoticeDraft[] = [];
  if (status === 'closed') {
    const [callers, reasons, channels] = await Promise.all([
      deps.campaigns.progress(campaign.id),
      deps.campaigns.reasons(campaign.id),
      deps.campaigns.digestChannels(),
    ]);
    const reached = reasons.reduce((sum, reason) => sum + reason.customers, 0);
    const done = callers.reduce((sum, caller) => sum + caller.done, 0);
    const open = callers.reduce((sum, caller) => sum + caller.open, 0);
    notices = channels.map((channel) => ({
      key: `campaign-summary:${campaign.id}:${channel.platform}:${channel.channelId}`,
      platform: channel.platform,
      target: channel.channelId,
      toUser: false,
      content: {
        kind: 'campaignSummary',
        campaignNumber: campaign.number,
        name: campaign.name,
        reached,
        unreachable: done - reached,
        open,
        reasons,
      },
    }));
  }
  await deps.campaigns.setStatus(campaign.id, status, notices);
  const words = {
    paused: 'paused: no reminders go out until it resumes',
    active: 'running again',
    closed: `closed${notices.length ? ', and its summary is going to the leadership channels' : ''}`,
  }[status];
  return { ok: true, message: `Campaign #${campaign.number} is ${words}.` };
}

/** At most one reminder a day per caller (the key holds the date), only on weekdays, only before the due date. */
export async function queueReminders(deps: CampaignDeps, withinDays = 3): Promise<number> {
  const day = campaignToday(deps);
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return 0;
  const due = await deps.campaigns.callersToRemind(day, withinDays);
  await deps.campaigns.queue(
    due.map(({ campaign, callerId, open }) => ({
      key: `campaign-reminder:${campaign.id}:${campaign.platform}:${callerId}:${day}`,
      platform: campaign.platform,
      target: callerId,
      toUser: true,
      content: {
        kind: 'campaignReminder',
        campaignId: campaign.id,
        campaignNumber: campaign.number,
        name: campaign.name,
        dueOn: campaign.dueOn,
        open,
      },
    })),
  );
  return due.length;
}
