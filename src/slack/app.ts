// The Slack side: Bolt receives commands over HTTP (signed requests) or Socket Mode and
// translates them into calls on the services; everything it says comes from there.
import { App, HTTPReceiver, LogLevel, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { claimWords, type Person } from '../domain/people.js';
import { digestToSlack } from '../render/digestSlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import { boltLogger } from '../logger.js';
import { undeliveredToSlack } from '../render/undeliveredNotices.js';
import type { Services } from '../services.js';
import { ccoHelp, parseCcoCommand } from '../typedCommands/cco.js';
import { errorDetail } from '../domain/errorDetail.js';
import { unfinishedWords } from '../services/apologies.js';
import { commandPayload, digestHelp, parseDigestCommand, privateChannelHint, slashCommands, unknownCommandAnswer } from './slashCommands.js';
import { digestClient, joinIfPublic, slackCallTimeoutMs, slackDigestPoster, slackErrorCode } from './digestPoster.js';
import { registerCampaigns } from './campaigns.js';
import { registerChannelLifecycle } from './channelLifecycle.js';
import { registerListening } from './listening.js';
import { slackNoticeSender } from './noticeSender.js';

export interface SlackBot {
  app: App;
  client: WebClient;
  /** Present in HTTP mode: serves POST /slack/events. */
  requestListener?: HTTPReceiver['requestListener'];
  start(): Promise<void>;
  stop(): Promise<void>;
}

// The wrapper cannot know how far a command got: it says so rather than promise nothing changed.
const sorry = unfinishedWords('slack');

export function createSlackBot(config: Config, services: Services, scheduleWords: string): SlackBot {
  // Every Web API call is bounded, so one Slack never answers cannot hold a worker (see digestPoster.ts).
  const clientOptions = { ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}), timeout: slackCallTimeoutMs };
  // An app-level token means Socket Mode, for development behind a firewall.
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode ? undefined : new HTTPReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, endpoints: '/slack/events' });
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.SLACK_APP_TOKEN }),
    clientOptions,
    // Bolt's and its WebClient's own lines go through the bot's logger: structured and scrubbed.
    logger: boltLogger(services.log),
    logLevel: LogLevel.WARN,
  });
  // Posts that must land exactly once go through a client that never retries on its own.
  const onceClient = digestClient(config.SLACK_BOT_TOKEN!, clientOptions);
  const poster = slackDigestPoster(onceClient);
  services.addPoster(poster);
  services.addNoticeSender(slackNoticeSender(onceClient, { format: services.settings, callList: services.callList }));

  /** Acknowledge at once (Slack allows 3 seconds), then do the work and answer through response_url. */
  function command(name: string, handle: (person: Person, channelId: string, text: string, respond: RespondFn, client: WebClient) => Promise<void>) {
    app.command(name, async ({ ack, command: body, respond, client }) => {
      await ack();
      const parsed = commandPayload.safeParse(body);
      if (!parsed.success) {
        await respond({ response_type: 'ephemeral', text: 'Slack sent me a command I could not read. Please try again.' });
        return;
      }
      const { user_id, channel_id, text } = parsed.data;
      try {
        await handle({ platform: 'slack', userId: user_id }, channel_id, text, respond, client);
      } catch (error) {
        services.log('slash command failed', { level: 'error', command: name, userId: user_id, channelId: channel_id, error: errorDetail(error) });
        await respond({ response_type: 'ephemeral', text: sorry }).catch(() => {});
      }
    });
  }

  const say = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', text });

  command('/digest', async (person, channelId, text, respond, client) => {
    const parsed = parseDigestCommand(text);
    if (!parsed.ok) return void (await say(respond, parsed.message));
    const channel = { platform: 'slack' as const, channelId };
    switch (parsed.action) {
      case 'help':
        return void (await say(respond, digestHelp));
      case 'preview': {
        const messages = digestToSlack(await services.previewDigest());
        for (const message of messages) await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never });
        return;
      }
      case 'subscribe': {
        const result = await services.subscribeDigest(person, channel, () => joinIfPublic(client, channelId));
        if (!result.ok) return void (await say(respond, result.message));
        return void (await say(respond, result.code === 'subscribed' ? `${result.message}${privateChannelHint}` : result.message));
      }
      case 'unsubscribe':
        return void (await say(respond, (await services.unsubscribeDigest(person, channel)).message));
      case 'link': {
        const answer = await services.digestLink(person, parsed.week, 'onlyThem');
        if (!answer.ok) return void (await say(respond, escapeMrkdwn(answer.message)));
        // A rich-text link element: a URL with `&` in a mrkdwn <url|text> link breaks in some Slack clients.
        const blocks = [
          { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(answer.message) } },
          { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'link', url: answer.url, text: 'Open the digest' }] }] },
        ];
        return void (await respond({ response_type: 'ephemeral', text: `${escapeMrkdwn(answer.message)} ${escapeMrkdwn(answer.url)}`, blocks: blocks as never }));
      }
      case 'now': {
        const now = await services.digestNow(person);
        if (!now.ok) return void (await say(respond, now.message));
        const digest = await now.compose();
        try {
          await poster.postDigest(channelId, digest, { mayAlreadyBePosted: false });
        } catch (error) {
          const code = slackErrorCode(error);
          if (code === 'not_in_channel' || code === 'channel_not_found') return void (await say(respond, 'I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.'));
          throw error;
        }
        return;
      }
    }
  });

  command('/cco', async (person, _channelId, text, respond) => {
    const parsed = parseCcoCommand(text);
    if (!parsed.ok) return void (await say(respond, parsed.message));
    const { command: cco } = parsed;
    if (cco.kind === 'help') return void (await say(respond, ccoHelp));
    if (cco.kind === 'claim') {
      const claim = await services.people.claimFirstCco(person);
      // Only a Slack user id becomes a mention; anything else is never written into mrkdwn.
      const holder = claim.kind === 'alreadyHeld' && claim.holder.platform === 'slack' && /^[UW][A-Z0-9]{1,30}$/.test(claim.holder.userId) ? `<@${claim.holder.userId}>` : null;
      return void (await say(respond, claimWords(claim).message(holder)));
    }
    if (cco.kind === 'undelivered') {
      const result = await services.undeliveredNotices(person);
      return void (await say(respond, result.ok ? undeliveredToSlack(result.notices, result.total) : result.message));
    }
    if (cco.kind === 'terms') {
      const language = services.language;
      if (cco.action === 'list') return void (await say(respond, escapeMrkdwn(await language.listWords(cco.terms))));
      const result =
        cco.action === 'replace'
          ? await language.replace(person, cco.terms, cco.names)
          : cco.action === 'rename'
            ? await language.rename(person, cco.terms, cco.from, cco.to)
            : await language.setKeywords(person, cco.terms, cco.name, cco.keywords);
      return void (await say(respond, escapeMrkdwn(result.message)));
    }
    if (cco.kind === 'sources' || cco.kind === 'surveys') return void (await say(respond, escapeMrkdwn((await services.language.answer(person, cco)).message)));
    const result = await services.people.grant(person, { platform: 'slack', userId: cco.userId }, cco.role);
    await say(respond, result.ok ? `<@${cco.userId}> is now ${result.roleWords}.` : result.message);
  });

  registerListening(app, services, command);
  registerCampaigns(app, services);
  registerChannelLifecycle(app, services);
  // Any other command (an old name still in the app's settings): answered in the acknowledgement, so Slack shows it at once.
  app.command(/^\//, async ({ command: body, ack }) => {
    if ((slashCommands as readonly string[]).includes(body.command)) return;
    await ack({ response_type: 'ephemeral', text: escapeMrkdwn(unknownCommandAnswer(body.command)) });
  });

  app.error(async (error) => {
    services.log('slack error', { level: 'error', error: errorDetail(error) });
  });

  return {
    app,
    client: app.client,
    ...(receiver ? { requestListener: receiver.requestListener } : {}),
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}
