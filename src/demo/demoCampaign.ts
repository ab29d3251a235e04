// A lost-customer call campaign for the local preview: started over the demo's lost
// customers, with last week's calls logged (reason, journey stage, the customer's own
// words), so the digest's "Why customers left" tells its stories. Some calls stay open for
// the playground's callers. Loaded once: only while there is no campaign at all.
import type { CallOutcome } from '../domain/campaigns.js';
import { addDays, weekJustEnded } from '../domain/weeks.js';
import type { Services } from '../services.js';
import type { Db } from '../store/database.js';
import { demoCco, demoPeople, demoStaff } from './demoPeople.js';

interface DemoCall {
  reason: string;
  stage: string;
  verbatim: string;
  mightReturn: 'yes' | 'no' | 'maybe';
  day: number;
}

/** What callers heard, biggest losses first (calls are shared out highest value first). */
const demoCalls: Array<DemoCall | 'unreachable'> = [
  {
    reason: 'Price',
    stage: 'Renew or leave',
    verbatim:
      'The renewal quote went up 18% and nobody called to explain it. A competitor rang us the same week, so we moved.',
    mightReturn: 'maybe',
    day: 0,
  },
  {
    reason: 'Staff and service',
    stage: 'Get help',
    verbatim: 'I opened four tickets about the same invoice problem and every time I had to start from the beginning.',
    mightReturn: 'no',
    day: 1,
  },
  {
    reason: 'Delivery',
    stage: 'Use',
    verbatim:
      'Three late deliveries in a month, and one left in the rain. We could not keep apologising to our own customers.',
    mightReturn: 'yes',
    day: 2,
  },
  'unreachable',
  {
    reason: 'Website and app',
    stage: 'Start',
    verbatim: 'Setting up took three weeks. By the time it worked the project that needed it was over.',
    mightReturn: 'maybe',
    day: 3,
  },
  {
    reason: 'Billing',
    stage: 'Use',
    verbatim: 'We were charged twice and the refund took two months.',
    mightReturn: 'no',
    day: 4,
  },
];

export async function loadDemoCampaign(services: Services, db: Db, now: Date, timeZone: string): Promise<number> {
  if ((await db.campaign.count()) > 0) return 0;
  const lastWeek = weekJustEnded(now, timeZone);
  const callers = [demoStaff.userId, demoPeople.find((person) => person.userId === 'UDEMO1')!.userId];
  const started = await services.startCampaign(demoCco, {
    name: 'Why did they leave? (last six weeks)',
    lostFrom: addDays(lastWeek, -35),
    lostUntil: addDays(lastWeek, 6),
    callers,
    dueOn: addDays(lastWeek, 14),
    guidance: 'Listen first. Ask what made them decide, and whether anything would bring them back.',
  });
  if (!started.ok) return 0;
  const [stages, categories] = await Promise.all([
    db.journeyStage.findMany({ where: { retiredAt: null }, select: { id: true, name: true } }),
    db.feedbackCategory.findMany({ where: { retiredAt: null }, select: { id: true, name: true } }),
  ]);
  const calls = await db.campaignCall.findMany({
    where: { campaignId: started.campaign.id },
    orderBy: [{ valueLost: 'desc' }, { id: 'asc' }],
    select: { id: true },
  });
  let logged = 0;
  for (const [index, call] of calls.slice(0, demoCalls.length).entries()) {
    const heard = demoCalls[index]!;
    // The company's own words may differ from the demo's: a reason it does not have becomes "Other".
    const category = heard === 'unreachable' ? undefined : categories.find((term) => term.name === heard.reason);
    const stage = heard === 'unreachable' ? undefined : stages.find((term) => term.name === heard.stage);
    const outcome: CallOutcome =
      heard === 'unreachable'
        ? { reached: false }
        : {
            reached: true,
            ...(category ? { reason: category.id } : { reason: 'other', reasonOther: heard.reason }),
            ...(stage ? { stageId: stage.id } : {}),
            verbatim: heard.verbatim,
            mightReturn: heard.mightReturn,
            followUpOwner: demoCco.name,
          };
    const result = await services.logCall(demoCco, call.id, outcome);
    if (!result.ok) continue;
    // Backdated into the week the preview shows; real calls are always logged "now".
    const day = heard === 'unreachable' ? 2 : heard.day;
    await db.campaignCall.update({
      where: { id: call.id },
      data: { loggedAt: new Date(`${addDays(lastWeek, day)}T15:00:00Z`) },
    });
    logged++;
  }
  return logged;
}
