// Every feature's table, registered the one way (see handlers.ts).
import type { DigestPoster } from '../domain/delivery.js';
import type { Services } from '../services.js';
import type { SlackChartFiles } from './chartFiles.js';
import { createCampaigns } from './campaigns.js';
import { createCco } from './cco.js';
import { createChannelLifecycle } from './channelLifecycle.js';
import { createDigest } from './digest.js';
import { createFeedback } from './feedback.js';
import { createHome } from './home.js';
import { registerHandlers, type ListenerHost, type SlackFeature } from './handlers.js';
import { createIssues } from './issues.js';
import { createPriorities } from './priorities.js';
import { createStateOfTheCustomer } from './stateOfTheCustomer.js';
import { createWarnings } from './warnings.js';

export function slackFeatures(
  services: Services,
  poster: Pick<DigestPoster, 'postDigest'>,
  charts?: SlackChartFiles,
): SlackFeature[] {
  const home = createHome(services, charts);
  return [
    home.feature,
    createDigest(services, poster, charts),
    createCco(services),
    createFeedback(services),
    createIssues(services),
    createCampaigns(services, { refreshHome: home.publish }),
    createChannelLifecycle(services),
    createWarnings(services),
    createPriorities(services),
    createStateOfTheCustomer(services, charts),
  ];
}

export function registerListeners(
  app: ListenerHost,
  services: Services,
  poster: Pick<DigestPoster, 'postDigest'>,
  charts?: SlackChartFiles,
): void {
  registerHandlers(app, services.log, slackFeatures(services, poster, charts));
}
