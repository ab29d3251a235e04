// The Teams side wired together: adapter, activity handler, command router, and the
// digest poster the Monday schedule uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { botFrameworkEndpoint } from '../http/botFrameworkEndpoint.js';
import type { Services } from '../services.js';
import { createTeamsAdapter } from './adapter.js';
import { createActivityHandler } from './bot.js';
import type { TeamsConversationStore } from './conversations.js';
import { digestCommand, digestHelp } from './digestCommand.js';
import { teamsDigestPoster } from './digestPoster.js';
import { createRouter } from './router.js';

export interface TeamsBot {
  /** Serves POST /api/messages. */
  requestListener(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export function createTeamsBot(config: Config, services: Services, conversations: TeamsConversationStore, scheduleWords: string): TeamsBot {
  const adapter = createTeamsAdapter(config, services.log);
  const route = createRouter({ digest: digestCommand(services, scheduleWords) }, digestHelp(scheduleWords));
  const handler = createActivityHandler(services, conversations, route);
  services.addPoster(teamsDigestPoster(adapter, config.MICROSOFT_APP_ID ?? '', conversations, services.log));
  return { requestListener: botFrameworkEndpoint((request, response) => adapter.process(request, response, (context) => handler.run(context))) };
}
