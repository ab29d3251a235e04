// Lost-customer call campaigns in Teams: `campaign status|pause|resume|close|reassign|start`,
// the CCO's start form, and the caller's cards with Log call and Couldn't reach, updated in
// place. The same service calls as Slack's src/slack/campaigns.ts.
//
// Callers: Adaptive Cards 1.5 have no people picker outside Teams-only data queries, so the
// form takes emails (or Entra object ids), comma-separated, and `campaign start @Dana @Lee`
// fills it with the people mentioned. Each is looked up in the conversation (or its team)
// and stored by Entra object id, the id roles use; nobody unknown is ever assigned calls.
import { z } from 'zod';
import { parseCampaignCommand } from '../typedCommands/campaign.js';
import { callListHeading, type CallOutcome } from '../domain/campaigns.js';
import { answerCard } from '../render/adaptiveCard.js';
import {
  callFormField,
  callListCard,
  progressCard,
  segmentsFromValue,
  startFormCard,
  type CallFormField,
} from '../render/campaignCard.js';
import type { Services } from '../services.js';
import { wordsWithMentions, type CommandHandler, type SubmitHandler, type TurnBase } from './turns.js';
import { plainCard } from './listening.js';
import type { HelpEntry } from './router.js';

export const campaignHelp: HelpEntry[] = [
  {
    usage: 'campaign start',
    what: 'opens the form for a lost-customer call campaign (CCO); **campaign start @Dana @Lee** fills in the callers',
  },
  { usage: 'campaign status [number]', what: 'how the latest (or that) campaign is going (CCO and leaders)' },
  {
    usage: 'campaign pause|resume|close [number]',
    what: 'pauses reminders, resumes, or closes and sends the summary (CCO)',
  },
  { usage: 'campaign reassign @from @to', what: 'moves open calls from one caller to another (CCO)' },
];

const entraObjectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = z.string().catch('');

export function createCampaigns(services: Services) {
  /** A mention or a typed email/id as the id roles and notices use; undefined if Teams does not know them here. */
  async function personId(turn: TurnBase, idOrEmail: string): Promise<string | undefined> {
    const member = await turn.lookUpMember(idOrEmail);
    if (member) return member.userId;
    // Someone outside this conversation can still be named by their Entra object id.
    return entraObjectId.test(idOrEmail) ? idOrEmail.toLowerCase() : undefined;
  }

  const campaign: CommandHandler = async (turn) => {
    const mentions = turn.mentions ?? [];
    const ids = await Promise.all(mentions.map((mention) => personId(turn, mention.id).then((id) => id ?? mention.id)));
    const { text, words } = wordsWithMentions(turn, ids);
    const parsed = parseCampaignCommand(text, words);
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    const command = parsed.command;
    switch (command.kind) {
      case 'help':
        return turn.reply(
          answerCard(
            'Lost-customer call campaigns',
            campaignHelp.map((entry) => `**${entry.usage}**: ${entry.what}`),
          ),
          'Lost-customer call campaigns',
        );
      case 'start': {
        const form = await services.campaignStartForm(turn.person);
        if (!form.ok) return turn.reply(plainCard('Not something I can do for you', form.message), form.message);
        const members = await Promise.all(mentions.map((mention) => turn.lookUpMember(mention.id)));
        const callers = members.flatMap((member, index) => (member ? [member.email ?? member.userId] : [ids[index]!]));
        return turn.reply(startFormCard(form.segments, form.today, callers), 'Start a lost-customer call campaign');
      }
      case 'status': {
        const result = await services.campaignProgress(turn.person, command.number);
        if (!result.ok) return turn.reply(plainCard('No campaign to show', result.message), result.message);
        const message = progressCard(result.progress, services.settings);
        return turn.reply(message.card, message.summary);
      }
      case 'change': {
        const result = await services.changeCampaign(turn.person, command.number, command.action);
        return turn.reply(plainCard(result.ok ? 'Done' : 'Nothing was changed', result.message), result.message);
      }
      case 'reassign': {
        const result = await services.reassignCalls(turn.person, command.from, command.to, command.number);
        return turn.reply(plainCard(result.ok ? 'Calls moved' : 'Nothing was moved', result.message), result.message);
      }
    }
  };

  const startForm = z.object({
    name: str,
    lost_from: str,
    lost_until: str,
    segments: str,
    min_value: z.union([z.string(), z.number()]).catch(''),
    callers: str,
    due_on: str,
    guidance: str,
  });

  const campaignStart: SubmitHandler = async (turn) => {
    const form = startForm.parse(turn.value);
    const typed = form.callers
      .split(/[,;\s]+/)
      .map((word) => word.trim())
      .filter(Boolean)
      .slice(0, 500);
    const callers: string[] = [];
    const unknown: string[] = [];
    for (const entry of typed) {
      const id = await personId(turn, entry);
      if (id) callers.push(id);
      else unknown.push(entry);
    }
    if (unknown.length) {
      const words = `I could not find ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} in this conversation, so no campaign was started. Use their work email, or start the campaign in a channel of a team they are in.`;
      return turn.reply(plainCard('No campaign was started', words), 'No campaign was started');
    }
    const result = await services.startCampaign(turn.person, {
      name: form.name,
      lostFrom: form.lost_from,
      lostUntil: form.lost_until,
      segments: segmentsFromValue(form.segments),
      minValue: form.min_value === '' ? 0 : form.min_value,
      callers,
      dueOn: form.due_on,
      guidance: form.guidance,
    });
    return turn.reply(
      plainCard(result.ok ? 'Campaign started' : 'No campaign was started', result.message),
      result.message,
    );
  };

  /** Logs, then redraws the caller's list in the message the button was on. */
  async function logAndRefresh(
    turn: TurnBase & { replyToId?: string },
    callId: string,
    outcome: CallOutcome,
  ): Promise<unknown> {
    const result = await services.logCall(turn.person, callId, outcome);
    if (!result.ok) return turn.reply(plainCard('Nothing was saved', result.message), result.message);
    const { campaign: logged, callerId, part } = result.call;
    const cards = await services.callerCards(turn.person, logged.id, callerId, part);
    if (!cards.ok) return turn.reply(plainCard(result.message, cards.message), result.message);
    const message = callListCard(
      callListHeading(logged, part),
      cards.cards,
      await services.language.vocabulary(),
      services.settings,
    );
    if (turn.replyToId) return turn.update(turn.replyToId, message.card, message.summary);
    return turn.reply(message.card, message.summary);
  }

  const callLog: SubmitHandler = async (turn) => {
    const callId = str.parse(turn.value.callId);
    const field = (name: CallFormField) => str.parse(turn.value[callFormField(name, callId)]).trim();
    const reached = field('reached');
    if (!reached)
      return turn.reply(plainCard('Nothing was saved', 'Say whether you reached them.'), 'Nothing was saved');
    const reason = field('reason');
    const mightReturn = field('might_return');
    return logAndRefresh(turn, callId, {
      reached: reached === 'yes',
      ...(reason ? { reason } : {}),
      ...(field('reason_other') ? { reasonOther: field('reason_other') } : {}),
      ...(field('stage') ? { stageId: field('stage') } : {}),
      ...(field('verbatim') ? { verbatim: field('verbatim') } : {}),
      ...(mightReturn ? { mightReturn: mightReturn as CallOutcome['mightReturn'] } : {}),
      ...(field('follow_up') ? { followUpOwner: field('follow_up') } : {}),
    });
  };

  const callUnreachable: SubmitHandler = async (turn) =>
    logAndRefresh(turn, str.parse(turn.value.callId), { reached: false });

  return {
    commands: { campaign } satisfies Record<string, CommandHandler>,
    submits: { campaign_start: campaignStart, call_log: callLog, call_unreachable: callUnreachable } satisfies Record<
      string,
      SubmitHandler
    >,
    help: campaignHelp,
  };
}
