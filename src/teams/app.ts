// The Teams side wired together: adapter, activity handler, command and card-action
// routers, the digest poster the Monday schedule uses, and the notice sender the outbox uses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { teamsTenants, type Config } from '../config.js';
import { botFrameworkEndpoint } from '../http/botFrameworkEndpoint.js';
import type { Services } from '../services.js';
import { createTeamsAdapter } from './adapter.js';
import { afterTurns } from './afterTurn.js';
import { createActivityHandler } from './activityHandler.js';
import type { TeamsConversationStore } from './conversations.js';
import { digestCommand, digestHelp } from './digestCommand.js';
import { teamsDigestPoster } from './digestPoster.js';
import { createCampaigns } from './campaigns.js';
import { createCco } from './cco.js';
import { createListening } from './listening.js';
import { createPriorities } from './priorities.js';
import { teamsNoticeSender } from './noticeSender.js';
import { homeCommand, homeHelp } from './home.js';
import { createRouter, createSubmitRouter } from './router.js';
import { servedConversations } from './tenantGate.js';
import { createStateOfTheCustomer } from './stateOfTheCustomer.js';
import { createWarnings } from './warnings.js';

export interface TeamsBot {
  /** Serves POST /api/messages. */
  requestListener(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export function createTeamsBot(
  config: Config,
  services: Services,
  conversations: TeamsConversationStore,
  scheduleWords: string,
): TeamsBot {
  const adapter = createTeamsAdapter(config, services.log);
  const appId = config.MICROSOFT_APP_ID ?? '';
  const listening = createListening(services);
  const campaigns = createCampaigns(services);
  const cco = createCco(services);
  const warnings = createWarnings(services);
  const priorities = createPriorities(services);
  const stateOfTheCustomer = createStateOfTheCustomer(services);
  const digestEntries = digestHelp(scheduleWords);
  const help = [
    ...digestEntries.filter((entry) => entry.usage !== 'help'),
    ...listening.help,
    ...campaigns.help,
    ...cco.help,
    ...warnings.help,
    ...priorities.help,
    ...stateOfTheCustomer.help,
    ...homeHelp,
    ...digestEntries.filter((entry) => entry.usage === 'help'),
  ];
  const route = createRouter(
    {
      digest: digestCommand(services, scheduleWords),
      ...listening.commands,
      ...campaigns.commands,
      ...cco.commands,
      ...warnings.commands,
      ...priorities.commands,
      ...stateOfTheCustomer.commands,
      home: homeCommand(services),
    },
    help,
  );
  const submit = createSubmitRouter({
    ...listening.submits,
    ...campaigns.submits,
    ...warnings.submits,
    ...priorities.submits,
  });
  const handler = createActivityHandler(
    services,
    conversations,
    route,
    submit,
    afterTurns(adapter, appId, services.log),
  );
  // Unprompted posts go only to conversations of a served tenant.
  const postable = servedConversations(conversations, teamsTenants(config));
  services.addPoster(teamsDigestPoster(adapter, appId, postable, services.log, services.movementChartUrl));
  services.addNoticeSender(
    teamsNoticeSender(
      adapter,
      appId,
      postable,
      { format: services.settings, vocabulary: () => services.language.vocabulary(), callList: services.callList },
      services.log,
      teamsTenants(config)[0],
    ),
  );
  return {
    requestListener: botFrameworkEndpoint((request, response) =>
      adapter.process(request, response, (context) => handler.run(context)),
    ),
  };
}
