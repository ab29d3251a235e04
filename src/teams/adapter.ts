// The Bot Framework side: a CloudAdapter that checks every incoming activity's JWT
// against Microsoft's signing keys, and signs what it sends, with the Azure Bot's
// credentials. With TEAMS_EMULATOR and no app id, botbuilder turns authentication off
// exactly as it does for the Bot Framework Emulator (see README).
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { errorDetail } from '../domain/errorDetail.js';
import { teamsTenants, type Config } from '../config.js';
import { answerCard, cardActivity } from '../render/adaptiveCard.js';
import type { Log } from '../services.js';
import { unfinishedWords } from '../services/apologies.js';
import { withoutBlindRetries } from './connectorRetries.js';
import { turnCallTimeoutMs, withRequestTimeouts } from './connectorTimeouts.js';
import { isProactive, tenantGate } from './tenantGate.js';

// Said for any failed turn, which may have got part way: it promises nothing it cannot know.
export const sorry = unfinishedWords('teams');

export const sorryCard = () => answerCard('Sorry', [sorry]);

export function botFrameworkSettings(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  const settings: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value) settings[name] = value;
  };
  // An empty app id is what makes botbuilder skip authentication, so it is only ever empty in emulator mode.
  set('MicrosoftAppId', config.MICROSOFT_APP_ID);
  set('MicrosoftAppPassword', config.MICROSOFT_APP_PASSWORD);
  set('MicrosoftAppTenantId', config.MICROSOFT_APP_TENANT_ID);
  if (config.MICROSOFT_APP_ID)
    set(
      'MicrosoftAppType',
      config.MICROSOFT_APP_TYPE === 'UserAssignedMSI' ? 'UserAssignedMsi' : config.MICROSOFT_APP_TYPE,
    );
  set('CertificateThumbprint', config.MICROSOFT_APP_CERTIFICATE_THUMBPRINT);
  set('CertificatePrivateKey', config.MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY);
  return settings;
}

export function createTeamsAdapter(config: Config, log: Log): CloudAdapter {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(botFrameworkSettings(config)));
  // First: an activity from another organisation is dropped before anything else happens.
  adapter.use(tenantGate(teamsTenants(config), log));
  adapter.use(async (context, next) => {
    const connectorClient = context.turnState.get(adapter.ConnectorClientKey);
    withoutBlindRetries(connectorClient);
    withRequestTimeouts(connectorClient, isProactive(context.activity) ? {} : { turnCallMs: turnCallTimeoutMs });
    await next();
  });
  adapter.onTurnError = async (context, error) => {
    log('teams turn failed', {
      level: 'error',
      activityType: context.activity.type,
      conversationId: context.activity.conversation?.id,
      error: errorDetail(error),
    });
    if (context.activity.type !== 'message') return;
    await context.sendActivity(cardActivity(sorryCard(), sorry)).catch(() => {});
  };
  return adapter;
}
