// The playground's Teams chat: what the visitor types becomes the message activity Teams
// would send, POSTed to the bot's own /api/messages and answered by the same adapter and
// handlers a real tenant reaches. The activities name an in-process stand-in for the Bot
// Framework connector as their serviceUrl, so every reply and later post goes there and
// nowhere else. Authentication is off as in emulator mode, so the endpoint takes only
// activities carrying a key this process made: no one else can name a serviceUrl for it.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { demoTeamsPeople, type DemoPerson } from '../demo/demoPeople.js';
import { sendJson } from '../http/respond.js';
import type { TeamsBot } from '../teams/app.js';
import { startConnectorStandIn, type ConnectorStandIn } from './connectorStandIn.js';

/** Who the visitor is (the playground's roles, named here too so the two modules need not import each other). */
type PlaygroundRole = DemoPerson['role'];

const tenantId = '00000000-0000-4000-8000-00000000face';
const bot = { id: '28:playground-customer-growth', name: 'Customer Growth' };
const keyHeader = 'x-playground-key';
/** The chat shows this many lines at most per person, oldest dropped first. */
const keptLines = 300;

export function teamsPersonFor(role: PlaygroundRole): DemoPerson {
  return demoTeamsPeople.find((person) => person.role === role)!;
}

/** One line of a person's chat with the bot: what they typed, or an activity the bot posted there. */
export type ChatLine = { typed: string } | { activity: Record<string, unknown> };

export interface TeamsPlayground {
  /** Serves POST /api/messages: only the playground's own activities. */
  endpoint(request: IncomingMessage, response: ServerResponse): Promise<void>;
  type(role: PlaygroundRole, line: string): Promise<string | undefined>;
  chat(role: PlaygroundRole): ChatLine[];
  stop(): Promise<void>;
}

export async function startTeamsPlayground(
  config: Config,
  createBot: (config: Config) => TeamsBot,
  botUrl: () => string,
): Promise<TeamsPlayground> {
  const connector: ConnectorStandIn = await startConnectorStandIn();
  for (const person of demoTeamsPeople)
    connector.addMember({
      id: `29:${person.userId}`,
      aadObjectId: person.userId,
      name: person.name,
      email: `${person.name.split(' ')[0]!.toLowerCase()}@example.com`,
    });
  const teams = createBot({
    ...config,
    TEAMS_EMULATOR: true,
    MICROSOFT_APP_ID: undefined,
    MICROSOFT_APP_PASSWORD: undefined,
    MICROSOFT_APP_TENANT_ID: undefined,
    MICROSOFT_APP_CERTIFICATE_THUMBPRINT: undefined,
    MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: undefined,
    TEAMS_TENANT_IDS: [tenantId],
  });
  const key = Buffer.from(randomBytes(32).toString('hex'));
  const typed = new Map<PlaygroundRole, Array<{ typed: string; before: string | undefined }>>();
  const conversationId = (role: PlaygroundRole) => `a:playground-${role}`;

  /** The bot answers within the turn and may go on working (sorting, the outbox): wait until it has been quiet a moment. */
  async function settle(): Promise<void> {
    const deadline = Date.now() + 5000;
    let count = -1;
    while (Date.now() < deadline && count !== connector.calls.length) {
      count = connector.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    // Only what the page shows is kept: the calls are the connector's log, not the chat.
    connector.calls.splice(0, connector.calls.length);
    connector.keepLast(keptLines);
  }

  return {
    async endpoint(request, response) {
      const given = Buffer.from(String(request.headers[keyHeader] ?? ''));
      if (given.length !== key.length || !timingSafeEqual(given, key))
        return sendJson(response, 401, {
          error: 'No Teams tenant is connected: this bot takes activities from its playground only.',
        });
      return teams.requestListener(request, response);
    },

    async type(role, line) {
      const words = line.trim();
      if (!words) return 'Type what a Teams user would, such as feedback the courier was late again.';
      const person = teamsPersonFor(role);
      const mine = typed.get(role) ?? [];
      mine.push({ typed: words, before: connector.activities(conversationId(role)).at(-1)?.id });
      if (mine.length > keptLines) mine.splice(0, mine.length - keptLines);
      typed.set(role, mine);
      const activity = {
        type: 'message',
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        from: { id: `29:${person.userId}`, aadObjectId: person.userId, name: person.name },
        recipient: bot,
        conversation: { id: conversationId(role), conversationType: 'personal', tenantId },
        channelData: { tenant: { id: tenantId } },
        locale: 'en-GB',
        text: words,
        textFormat: 'plain',
      };
      await fetch(`${botUrl()}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [keyHeader]: key.toString() },
        body: JSON.stringify(activity),
      });
      await settle();
      return undefined;
    },

    chat(role) {
      const posted = connector.activities(conversationId(role));
      const lines: ChatLine[] = [];
      const mine = [...(typed.get(role) ?? [])];
      // Each typed line goes after the bot's last post before it was typed.
      const placeTyped = (afterId: string | undefined) => {
        while (mine.length && mine[0]!.before === afterId) lines.push({ typed: mine.shift()!.typed });
      };
      placeTyped(undefined);
      for (const entry of posted) {
        lines.push({ activity: entry.activity });
        placeTyped(entry.id);
      }
      for (const rest of mine) lines.push({ typed: rest.typed });
      return lines;
    },

    stop: () => connector.close(),
  };
}
