// Lost-customer call campaigns: starting one (and the form to start it), logging calls,
// progress, reassigning, pausing and closing, and the reminders before calls are due.
import {
  callerCards,
  campaignProgress,
  campaignToday,
  changeCampaign,
  logCall,
  queueReminders,
  reassignCalls,
  startCampaign,
  type CallOutcome,
  type CampaignDeps,
  type CampaignInput,
  type CampaignStore,
} from '../domain/campaigns.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import type { People, Person } from '../domain/people.js';

/** What the start form is filled with: the segments to choose from, and today as the period's end. */
export type CampaignStartForm = { ok: true; segments: string[]; today: string } | Refusal<'notAllowed'>;

export interface CampaignServiceDeps {
  campaigns: CampaignStore;
  people: People;
  timeZone: string;
  clock: () => Date;
  thenSend: <T extends { ok: boolean }>(result: T) => T;
  sendNotices: () => unknown;
}

export function createCampaignService(deps: CampaignServiceDeps) {
  const { campaigns, thenSend } = deps;
  const campaignDeps: CampaignDeps = { campaigns, people: deps.people, timeZone: deps.timeZone, clock: deps.clock };
  return {
    campaignStartForm: async (by: Person): Promise<CampaignStartForm> => {
      const permission = await deps.people.may(by, 'runCampaigns');
      if (!permission.allowed) return notAllowed(permission);
      return { ok: true, segments: await campaigns.segments(), today: campaignToday(campaignDeps) };
    },
    startCampaign: async (by: Person, input: CampaignInput) => thenSend(await startCampaign(campaignDeps, by, input)),
    logCall: (by: Person, callId: string, outcome: CallOutcome) => logCall(campaignDeps, by, callId, outcome),
    callerCards: (by: Person, campaignId: string, callerId: string, part?: number) =>
      callerCards(campaignDeps, by, campaignId, callerId, part),
    /** For the notice sender: the list as it is when sent, to the caller it is addressed to. */
    callList: (campaignId: string, callerId: string, part: number) => campaigns.cards(campaignId, callerId, part),
    campaignProgress: (by: Person, number?: number) => campaignProgress(campaignDeps, by, number),
    reassignCalls: async (by: Person, from: string, to: string, number?: number) =>
      thenSend(await reassignCalls(campaignDeps, by, from, to, number)),
    changeCampaign: async (by: Person, number: number | undefined, action: 'pause' | 'resume' | 'close') =>
      thenSend(await changeCampaign(campaignDeps, by, number, action)),
    queueReminders: async () => {
      const queued = await queueReminders(campaignDeps);
      if (queued) void deps.sendNotices();
      return { reminders: queued };
    },
    segments: () => campaigns.segments(),
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
