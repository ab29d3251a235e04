// The listening path in Teams: `feedback <text>` (and its form), corrections from the
// reply's form, `issues …` and `resolve …` (and their forms). The same service calls as
// Slack's src/slack/listening.ts. Feedback is stored before anyone is answered; sorting
// it (which may call a model, at most OPENAI_TIMEOUT_MS) comes after the turn has answered,
// and the first answer is then updated in place with where it was filed.
import { z } from 'zod';
import { parseIssuesCommand, parseResolveCommand } from '../typedCommands/issues.js';
import { errorDetail } from '../domain/errorDetail.js';
import { feedbackSources, severities, type FeedbackInput, type Logged } from '../domain/feedback.js';
import { answerCard } from '../render/adaptiveCard.js';
import { cardUserText } from '../render/cardText.js';
import {
  duplicateFeedbackCard,
  feedbackFormCard,
  feedbackLoggedCard,
  openIssuesCard,
  resolveFormCard,
} from '../render/feedbackCard.js';
import type { Services } from '../services.js';
import { notStoredWords } from '../services/apologies.js';
import { afterThisTurn, type CommandHandler, type SubmitHandler, type TurnBase } from './turns.js';
import type { HelpEntry } from './router.js';

export const listeningHelp: HelpEntry[] = [
  { usage: 'feedback what the customer said', what: 'logs customer feedback (just **feedback** opens a form)' },
  { usage: 'issues', what: 'open issues, most reported first, each with a Resolve form' },
  { usage: 'issues merge 12 into 7', what: 'folds issue #12 into #7 (CCO and leaders)' },
  {
    usage: 'issues split 7 f12 f15',
    what: 'moves feedback #12 and #15 out of issue #7 into a new one (CCO and leaders)',
  },
  {
    usage: 'issues announce-here',
    what: 'fixes are announced in this conversation (**announce-stop** to stop; CCO and leaders)',
  },
  {
    usage: 'resolve 7 what changed',
    what: 'resolves issue #7, thanks everyone who logged it and announces what changed (just **resolve** opens a form)',
  },
];

/** Words the domain or a person wrote, shown as data on a card: no link, no mention. */
export const plainCard = (title: string, message: string) => answerCard(title, [cardUserText(message, 2000)]);
const refusal = (message: string) => plainCard('Not something I can do for you', message);

const text = z.string().catch('');
const optionalId = z.string().uuid().optional().catch(undefined);
const feedbackForm = z.object({
  verbatim: text,
  source: z.string().optional().catch(undefined),
  stage: optionalId,
  category: optionalId,
  severity: z.string().optional().catch(undefined),
});
const correctionForm = z.object({
  feedbackId: z.string(),
  stage: optionalId,
  category: optionalId,
  source: z.string().optional().catch(undefined),
});
/** "Log it again anyway": the earlier feedback to repeat and the choices made with it. */
const logAgainForm = z.object({
  repeatOf: z.string().uuid(),
  source: z.enum(feedbackSources).optional().catch(undefined),
  severity: z.enum(severities).optional().catch(undefined),
  customerId: optionalId,
  stageId: optionalId,
  categoryId: optionalId,
  messageLink: z.string().url().optional().catch(undefined),
});
const resolveForm = z.object({ issue: z.coerce.number().int().optional().catch(undefined) }).loose();

export function createListening(services: Services) {
  // The first answer, while sorting, has no form: it needs nothing more from the database.
  const loggedCard = async (view: Parameters<typeof feedbackLoggedCard>[0], sorting: boolean) =>
    feedbackLoggedCard(view, sorting ? { stages: [], categories: [] } : await services.language.vocabulary(), {
      sorting,
    });

  /** Stores and answers in the turn; sorts after it, then shows where it went in the same message. */
  async function logThenSort(turn: TurnBase, input: FeedbackInput): Promise<void> {
    // The activity id makes a redelivered message (Teams retries when an answer is slow) store nothing new.
    // It is unique only within its conversation, so the key names both.
    let logged: Logged;
    try {
      logged = await services.logFeedback(turn.person, {
        ...input,
        ...(turn.activityId ? { platformMessageId: `${turn.conversation.id} ${turn.activityId}` } : {}),
      });
    } catch (error) {
      services.log('logging feedback failed', { userId: turn.person.userId, error: errorDetail(error) });
      return void (await turn.reply(plainCard('Nothing was logged', notStoredWords), notStoredWords));
    }
    if (logged.kind === 'duplicate') return void (await turn.reply(duplicateFeedbackCard(logged), logged.message));
    if (!logged.ok) return void (await turn.reply(plainCard('Nothing was logged', logged.message), logged.message));
    const summary = `Logged as feedback #${logged.view.feedback.number}`;
    // The second delivery gets the same answer as the first; the first delivery does the sorting.
    if (logged.redelivered)
      return void (await turn.reply(await loggedCard(logged.view, !logged.view.feedback.classifiedBy), summary));
    // Stored already: a failed answer must not stop the sorting, and the person is told nothing was lost.
    const replyId = await turn.reply(await loggedCard(logged.view, true), summary).catch((error: unknown) => {
      services.log('teams: could not answer after logging feedback', {
        feedbackId: logged.view.feedback.id,
        error: String(error),
      });
      return undefined;
    });
    // The sorting queue is shared with Slack and the model may take seconds: never inside the turn.
    await afterThisTurn(turn, async (conversation) => {
      try {
        const view = await services.sortFeedback(logged.view.feedback.id, logged.view.notes);
        if (!view) return;
        const card = await loggedCard(view, false);
        if (replyId) await conversation.update(replyId, card, summary);
        else await conversation.reply(card, summary);
      } catch (error) {
        services.log('sorting feedback failed', { feedbackId: logged.view.feedback.id, error: errorDetail(error) });
      }
    });
  }

  const feedback: CommandHandler = async (turn) => {
    if (!turn.rest?.trim())
      return turn.reply(feedbackFormCard(await services.language.vocabulary()), 'Log customer feedback');
    await logThenSort(turn, { text: turn.rest });
  };

  const feedbackLog: SubmitHandler = async (turn) => {
    const form = feedbackForm.parse(turn.value);
    await logThenSort(turn, {
      text: form.verbatim,
      ...(form.source ? { source: form.source as FeedbackInput['source'] } : {}),
      ...(form.stage ? { stageId: form.stage } : {}),
      ...(form.category ? { categoryId: form.category } : {}),
      ...(form.severity ? { severity: form.severity as FeedbackInput['severity'] } : {}),
    });
  };

  const feedbackLogAgain: SubmitHandler = async (turn) => {
    const form = logAgainForm.safeParse(turn.value);
    if (!form.success)
      return turn.reply(
        plainCard(
          'Nothing was logged',
          'I could not read that card. Nothing was saved; log it with **feedback** again.',
        ),
        'Nothing was logged',
      );
    const { repeatOf, source, severity, customerId, stageId, categoryId, messageLink } = form.data;
    await logThenSort(turn, {
      text: '',
      repeatOf,
      ...(source ? { source } : {}),
      ...(severity ? { severity } : {}),
      ...(customerId ? { customerId } : {}),
      ...(stageId ? { stageId } : {}),
      ...(categoryId ? { categoryId } : {}),
      ...(messageLink ? { messageLink } : {}),
    });
  };

  const feedbackCorrect: SubmitHandler = async (turn) => {
    const form = correctionForm.safeParse(turn.value);
    if (!form.success)
      return turn.reply(
        plainCard('Nothing was changed', 'I could not read that form. Please pick again.'),
        'Nothing was changed',
      );
    const { feedbackId, stage, category, source } = form.data;
    const result = await services.correctFeedback(turn.person, feedbackId, {
      ...(stage ? { stageId: stage } : {}),
      ...(category ? { categoryId: category } : {}),
      ...(source ? { source: source as FeedbackInput['source'] } : {}),
    });
    if (!result.ok) return turn.reply(plainCard('Nothing was changed', result.message), result.message);
    const card = await loggedCard(result.view, false);
    const summary = `Feedback #${result.view.feedback.number} updated`;
    if (turn.replyToId) await turn.update(turn.replyToId, card, summary);
    else await turn.reply(card, summary);
  };

  const issues: CommandHandler = async (turn) => {
    const parsed = parseIssuesCommand(turn.rest ?? turn.args.join(' '), '');
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    const command = parsed.command;
    switch (command.kind) {
      case 'help':
        return turn.reply(
          answerCard(
            'Issues',
            listeningHelp.map((entry) => `**${entry.usage}**: ${entry.what}`),
          ),
          'Issues',
        );
      case 'list': {
        const open = await services.openIssues(40);
        return turn.reply(openIssuesCard(open), `${open.length} open issues`);
      }
      case 'merge': {
        const result = await services.mergeIssues(turn.person, command.from, command.into);
        return turn.reply(plainCard(result.ok ? 'Merged' : 'Nothing was merged', result.message), result.message);
      }
      case 'split': {
        const result = await services.splitIssue(turn.person, command.issue, command.feedback);
        return turn.reply(plainCard(result.ok ? 'Split' : 'Nothing was split', result.message), result.message);
      }
      case 'announce': {
        const result = await services.setHopeChannel(
          turn.person,
          { platform: 'teams', channelId: turn.conversation.id },
          command.on,
        );
        if (!result.ok) return turn.reply(refusal(result.message), result.message);
        return turn.reply(
          answerCard(command.on ? 'Announcing fixes here' : 'Not announcing fixes here', [result.message]),
          result.message,
        );
      }
    }
  };

  async function resolveOrAsk(turn: TurnBase, issue: number | undefined, whatChanged: string): Promise<unknown> {
    if (issue === undefined || !whatChanged) {
      const choices = await services.resolveChoices(turn.person);
      if (!choices.ok)
        return turn.reply(
          choices.code === 'nothingOpen'
            ? answerCard('Nothing to resolve', [choices.message])
            : refusal(choices.message),
          choices.message,
        );
      return turn.reply(resolveFormCard(choices.open, issue), 'Resolve an issue');
    }
    const result = await services.resolveIssue(turn.person, issue, whatChanged);
    return turn.reply(
      plainCard(result.ok ? `Issue #${issue} resolved` : 'Not resolved', result.message),
      result.message,
    );
  }

  const resolve: CommandHandler = async (turn) => {
    const parsed = parseResolveCommand(turn.rest ?? turn.args.join(' '), '');
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    return resolveOrAsk(turn, parsed.issue, parsed.whatChanged);
  };

  /** From the resolve form (`what_changed`) or an issue's Resolve… in the list (`what_changed_<number>`). */
  const issueResolve: SubmitHandler = async (turn) => {
    const form = resolveForm.parse(turn.value);
    const issue = form.issue;
    const whatChanged = text.parse(
      turn.value.what_changed ?? (issue !== undefined ? turn.value[`what_changed_${issue}`] : undefined),
    );
    if (issue === undefined)
      return turn.reply(plainCard('Not resolved', 'Pick the issue that was fixed.'), 'Pick the issue that was fixed.');
    // Straight to the domain, even with no words: its answer says what is missing.
    const result = await services.resolveIssue(turn.person, issue, whatChanged);
    return turn.reply(
      plainCard(result.ok ? `Issue #${issue} resolved` : 'Not resolved', result.message),
      result.message,
    );
  };

  return {
    commands: { feedback, issues, resolve } satisfies Record<string, CommandHandler>,
    submits: {
      feedback_log: feedbackLog,
      feedback_log_again: feedbackLogAgain,
      feedback_correct: feedbackCorrect,
      issue_resolve: issueResolve,
    } satisfies Record<string, SubmitHandler>,
    help: listeningHelp,
  };
}
