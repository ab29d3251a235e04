// The playground: with no platform connected, a visitor tries the bot as a Slack user would.
// What they type becomes the request Slack would send (form-encoded, signed with a secret
// only this process knows) into the same Bolt app and handlers a real workspace reaches; the
// bot's Web API calls go to the in-process stand-in for Slack (its WebClient's slackApiUrl),
// which is all it can reach, so nothing a visitor does can post to a real workspace.
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { demoAnnouncements, demoPeople, type DemoPerson } from '../demo/demoPeople.js';
import type { Services } from '../services.js';
import { createSlackBot, type SlackBot } from '../slack/app.js';
import { Conversation, type ShownMessage } from './conversation.js';
import { startSlackStandIn, type SlackStandIn } from './slackStandIn.js';
import type { TeamsBot } from '../teams/app.js';
import { startTeamsPlayground, type TeamsPlayground } from './teamsPlayground.js';

export const playgroundChannel = { id: 'CPLAYGROUND', name: 'customer-growth' };
const teamId = 'T0PLAYGRND';

/** The three people a visitor can be. */
export const playgroundRoles = ['staff', 'leader', 'cco'] as const;
export type PlaygroundRole = (typeof playgroundRoles)[number];

export function personFor(role: PlaygroundRole): DemoPerson {
  return demoPeople.find((person) => person.role === role)!;
}

/** A form field's name in the playground page: which block and element of the view it fills. */
export const fieldName = (blockId: string, actionId: string) => `v:${blockId}:${actionId}`;

export interface Playground {
  slack: SlackBot;
  standIn: SlackStandIn;
  /** The same visitor as a Teams user, in a personal chat with the bot. */
  teams: TeamsPlayground;
  conversation: Conversation;
  /** The visitor typed a line in the channel. */
  type(role: PlaygroundRole, line: string): Promise<string | undefined>;
  /** The visitor pressed a button or chose in a menu, on a message or in a form. */
  act(
    role: PlaygroundRole,
    where: { messageId?: number; viewId?: string },
    action: {
      blockId: string;
      actionId: string;
      type: string;
      value?: string;
      selected?: { text: string; value: string };
    },
    form?: URLSearchParams,
  ): Promise<void>;
  /** The visitor submitted the form on top. */
  submit(role: PlaygroundRole, viewId: string, form: URLSearchParams): Promise<void>;
  cancel(role: PlaygroundRole): void;
  /** What a menu that searches (external_select) offers for these words. */
  suggest(role: PlaygroundRole, viewId: string, blockId: string, actionId: string, query: string): Promise<Option[]>;
  /** Everything the stand-in recorded is applied to the conversation. */
  look(): Conversation;
  names: Map<string, string>;
  stop(): Promise<void>;
}

export interface Option {
  text: { type: 'plain_text'; text: string };
  value: string;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

export async function startPlayground(
  config: Config,
  services: Services,
  botUrl: () => string,
  createTeams: (config: Config) => TeamsBot,
): Promise<Playground> {
  const teams = await startTeamsPlayground(config, createTeams, botUrl);
  const standIn = await startSlackStandIn({ teamId, botUserId: 'U0GROWTHBOT', botId: 'B0GROWTHBOT' });
  const names = new Map<string, string>([
    ...demoPeople.map((person) => [person.userId, person.name] as [string, string]),
    [playgroundChannel.id, `#${playgroundChannel.name}`],
    [demoAnnouncements.channelId, `#${demoAnnouncements.name}`],
  ]);
  for (const person of demoPeople) {
    standIn.users.set(person.userId, { real_name: person.name, name: person.name.split(' ')[0]!.toLowerCase() });
    names.set(standIn.dmChannel(person.userId), `Direct message to ${person.name}`);
  }
  // The secret is made here and never leaves the process: only the playground can sign requests to this bot.
  const signingSecret = randomBytes(32).toString('hex');
  const slack = createSlackBot(
    {
      ...config,
      SLACK_BOT_TOKEN: 'xoxb-playground-stand-in',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: standIn.apiUrl,
    },
    services,
  );
  const conversation = new Conversation();
  let requests = 0;

  async function post(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<string> {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await fetch(`${botUrl()}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'X-Slack-Request-Timestamp': String(timestamp),
        'X-Slack-Signature': signature,
      },
      body,
    });
    return response.text();
  }

  /** The bot answers within Slack's 3 seconds and may go on working (sorting, the outbox): wait until it has been quiet a moment. */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 5000;
    let count = -1;
    while (Date.now() < deadline && count !== standIn.calls.length) {
      count = standIn.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    conversation.catchUp(standIn.calls);
  }

  const user = (person: DemoPerson) => ({
    id: person.userId,
    username: person.name.split(' ')[0]!.toLowerCase(),
    name: person.name.split(' ')[0]!.toLowerCase(),
    team_id: teamId,
  });
  const triggerId = () => `${Date.now()}.1234.${randomBytes(6).toString('hex')}`;
  const actionTs = () => (Date.now() / 1000).toFixed(6);
  const team = { id: teamId, domain: 'playground' };

  function parseJson(body: string): Record<string, unknown> | undefined {
    if (!body.trim()) return undefined;
    try {
      return record(JSON.parse(body));
    } catch {
      return undefined;
    }
  }

  /** state.values as Slack sends them, from the page's form fields and the view's own elements. */
  function stateValues(view: Record<string, unknown>, form: URLSearchParams | undefined) {
    const values: Record<string, Record<string, unknown>> = {};
    for (const raw of Array.isArray(view.blocks) ? view.blocks : []) {
      const block = record(raw);
      const blockId = String(block.block_id ?? '');
      const elements =
        block.type === 'input'
          ? [record(block.element)]
          : block.type === 'actions'
            ? (block.elements as unknown[]).map(record)
            : [];
      for (const element of elements) {
        const actionId = String(element.action_id ?? '');
        if (!blockId || !actionId) continue;
        const name = fieldName(blockId, actionId);
        const chosen = (form?.getAll(name) ?? []).filter((value) => value !== '');
        const first = chosen[0];
        const optionFor = (value: string) => {
          const options = [
            ...(Array.isArray(element.options) ? element.options : []),
            ...(Array.isArray(element.option_groups)
              ? element.option_groups.flatMap((group) => record(group).options as unknown[])
              : []),
          ].map(record);
          const known = options.find((option) => option.value === value);
          return {
            text: known?.text ?? { type: 'plain_text', text: form?.get(`${name}:text:${value}`) ?? value },
            value,
          };
        };
        const type = String(element.type);
        const value: Record<string, unknown> = { type };
        if (
          type === 'plain_text_input' ||
          type === 'number_input' ||
          type === 'email_text_input' ||
          type === 'url_text_input'
        )
          value.value = first ?? null;
        else if (type === 'static_select' || type === 'external_select' || type === 'radio_buttons')
          value.selected_option = first ? optionFor(first) : null;
        else if (type === 'multi_static_select' || type === 'multi_external_select' || type === 'checkboxes')
          value.selected_options = chosen.map(optionFor);
        else if (type === 'users_select') value.selected_user = first ?? null;
        else if (type === 'multi_users_select') value.selected_users = chosen;
        else if (type === 'conversations_select' || type === 'channels_select')
          value.selected_conversation = first ?? null;
        else if (type === 'datepicker') value.selected_date = first ?? null;
        else continue;
        values[blockId] = { ...(values[blockId] ?? {}), [actionId]: value };
      }
    }
    return values;
  }

  function viewPayload(open: { id: string; view: Record<string, unknown> }, form?: URLSearchParams) {
    return {
      id: open.id,
      team_id: teamId,
      type: 'modal',
      blocks: open.view.blocks ?? [],
      private_metadata: open.view.private_metadata ?? '',
      callback_id: open.view.callback_id ?? '',
      state: { values: stateValues(open.view, form) },
      hash: `${Math.floor(Date.now() / 1000)}.${open.id}`,
      title: open.view.title,
      close: open.view.close ?? null,
      submit: open.view.submit ?? null,
      previous_view_id: null,
      root_view_id: open.id,
      app_id: 'A0PLAYGRND',
      external_id: open.view.external_id ?? '',
      bot_id: 'B0GROWTHBOT',
    };
  }

  async function interact(payload: Record<string, unknown>): Promise<string> {
    return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  }

  return {
    slack,
    standIn,
    teams,
    conversation,
    names,
    look() {
      conversation.catchUp(standIn.calls);
      return conversation;
    },

    async type(role, line) {
      const person = personFor(role);
      const words = line.trim();
      if (!words) return 'Type a command, such as /feedback the courier was late again.';
      conversation.typed(playgroundChannel.id, person.userId, words);
      const match = /^(\/[a-z-]+)(?:\s+([\s\S]*))?$/i.exec(words);
      // In Slack a plain message in a channel is not for the bot: it hears commands.
      if (!match)
        return 'The bot answers slash commands: start with /feedback, /issues, /resolve, /campaign or /digest.';
      const responseId = `command-${++requests}`;
      conversation.expectResponses(responseId, { place: playgroundChannel.id, user: person.userId });
      conversation.actor(person.userId);
      const body = new URLSearchParams({
        token: 'playground',
        team_id: teamId,
        team_domain: 'playground',
        channel_id: playgroundChannel.id,
        channel_name: playgroundChannel.name,
        user_id: person.userId,
        user_name: user(person).name,
        command: match[1]!.toLowerCase(),
        text: match[2] ?? '',
        api_app_id: 'A0PLAYGRND',
        is_enterprise_install: 'false',
        response_url: standIn.responseUrl(responseId),
        trigger_id: triggerId(),
      }).toString();
      const answer = parseJson(await post(body));
      conversation.catchUp(standIn.calls);
      if (answer) conversation.answered(responseId, answer);
      await settle();
      return undefined;
    },

    async act(role, where, action, form) {
      const person = personFor(role);
      conversation.actor(person.userId);
      const responseId = `action-${++requests}`;
      const element = action.selected
        ? {
            type: action.type,
            selected_option: { text: { type: 'plain_text', text: action.selected.text }, value: action.selected.value },
          }
        : { type: action.type, value: action.value ?? '' };
      const base = {
        type: 'block_actions',
        user: user(person),
        api_app_id: 'A0PLAYGRND',
        token: 'playground',
        trigger_id: triggerId(),
        team,
        enterprise: null,
        is_enterprise_install: false,
        actions: [{ ...element, action_id: action.actionId, block_id: action.blockId, action_ts: actionTs() }],
      };
      let payload: Record<string, unknown>;
      if (where.viewId) {
        const open = conversation.views.find((view) => view.id === where.viewId);
        if (!open) return;
        payload = { ...base, container: { type: 'view', view_id: open.id }, view: viewPayload(open, form) };
      } else {
        const message = conversation.messages.find((shown) => shown.id === where.messageId);
        if (!message) return;
        conversation.expectResponses(responseId, { place: message.place, user: person.userId, messageId: message.id });
        payload = {
          ...base,
          container: {
            type: 'message',
            message_ts: message.ts ?? actionTs(),
            channel_id: message.place,
            is_ephemeral: Boolean(message.visibleTo),
          },
          channel: {
            id: message.place,
            name: names.get(message.place)?.replace(/^#/, '') ?? message.place.toLowerCase(),
          },
          ...(message.visibleTo
            ? {}
            : { message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks } }),
          state: { values: {} },
          response_url: standIn.responseUrl(responseId),
        };
      }
      await interact(payload);
      await settle();
    },

    async submit(role, viewId, form) {
      const person = personFor(role);
      conversation.actor(person.userId);
      const open = conversation.views.find((view) => view.id === viewId);
      if (!open) return;
      const answer = parseJson(
        await interact({
          type: 'view_submission',
          team,
          user: user(person),
          api_app_id: 'A0PLAYGRND',
          token: 'playground',
          trigger_id: triggerId(),
          view: viewPayload(open, form),
          response_urls: [],
          is_enterprise_install: false,
          enterprise: null,
        }),
      );
      conversation.catchUp(standIn.calls);
      const action = answer?.response_action;
      if (action === 'errors') open.view = { ...open.view, errors: answer?.errors };
      else if (action === 'update') conversation.replaceView(open.id, record(answer?.view));
      else if (action === 'push')
        conversation.pushView(`${open.id}-${++requests}`, person.userId, record(answer?.view));
      else conversation.views = conversation.views.filter((view) => view !== open);
      await settle();
    },

    cancel(role) {
      conversation.closeViews(personFor(role).userId);
    },

    async suggest(role, viewId, blockId, actionId, query) {
      const person = personFor(role);
      const open = conversation.views.find((view) => view.id === viewId);
      if (!open) return [];
      const answer = parseJson(
        await interact({
          type: 'block_suggestion',
          user: user(person),
          container: { type: 'view', view_id: open.id },
          api_app_id: 'A0PLAYGRND',
          token: 'playground',
          action_id: actionId,
          block_id: blockId,
          value: query,
          team,
          view: viewPayload(open),
        }),
      );
      return Array.isArray(answer?.options) ? (answer.options as Option[]) : [];
    },

    async stop() {
      await slack.stop();
      await standIn.close();
      await teams.stop();
    },
  };
}

export type { ShownMessage };
