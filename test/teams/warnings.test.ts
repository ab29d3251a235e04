import { describe, expect, it, vi } from 'vitest';
import type { AdaptiveCard } from '../../src/render/adaptiveCard.js';
import { warningToCard } from '../../src/render/warningCard.js';
import { spikeStory } from '../support/warningStories.js';
import type { Services } from '../../src/services.js';
import { createWarnings } from '../../src/teams/warnings.js';

function fakeCommands() {
  return {
    subscribe: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        result: 'subscribed',
        message: 'This channel now gets early warnings.',
      }),
    ),
    moments: vi.fn(async () => ({
      ok: true,
      moments: [],
      message: 'Get help: First reply, hours\nStart: Setup done, days',
    })),
    acknowledge: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        at: new Date(),
        message: 'Acknowledged: the warning records that you have it in hand.',
      }),
    ),
    issues: vi.fn(
      async (): Promise<Record<string, unknown>> => ({
        ok: true,
        issues: [],
        message: 'No open issue for Get help right now.',
      }),
    ),
  };
}

const servicesWith = (commands: ReturnType<typeof fakeCommands>) =>
  ({ warningCommands: commands, settings: { locale: 'en-US', currency: 'USD' }, log: () => {} }) as unknown as Pick<
    Services,
    'warningCommands' | 'settings' | 'log'
  >;

function turnFor(extra: Record<string, unknown>) {
  const replies: Array<{ card: AdaptiveCard; summary: string }> = [];
  const turn = {
    person: { platform: 'teams' as const, userId: 'aad-staff' },
    conversation: { id: '19:ops@thread', kind: 'channel' as const },
    reply: vi.fn(async (card: AdaptiveCard, summary: string) => void replies.push({ card, summary })),
    update: vi.fn(),
    lookUpMember: vi.fn(),
    ...extra,
  };
  return { turn: turn as never, replies };
}

const wordsOf = (card: AdaptiveCard) => JSON.stringify(card.body);

describe('warnings in Teams', () => {
  it('subscribes this conversation for the person who typed it', async () => {
    const commands = fakeCommands();
    const { commands: handlers } = createWarnings(servicesWith(commands));
    const { turn, replies } = turnFor({ args: ['subscribe'] });
    await handlers.warnings(turn);
    expect(commands.subscribe).toHaveBeenCalledWith(
      { platform: 'teams', userId: 'aad-staff' },
      { platform: 'teams', channelId: '19:ops@thread' },
      true,
    );
    expect(replies[0]!.summary).toBe('This channel now gets early warnings.');
  });

  it('lists the moments one line each, and refuses unknown words changing nothing', async () => {
    const commands = fakeCommands();
    const { commands: handlers } = createWarnings(servicesWith(commands));
    const listed = turnFor({ args: [] });
    await handlers.warnings(listed.turn);
    expect(listed.replies[0]!.card.body).toHaveLength(3);
    const unknown = turnFor({ args: ['subscribe', 'all'] });
    await handlers.warnings(unknown.turn);
    expect(commands.subscribe).not.toHaveBeenCalled();
    expect(wordsOf(unknown.replies[0]!.card)).toContain('Nothing was changed.');
  });

  it('the warning card’s Acknowledge sends back the warning id, and acknowledging records it for whoever pressed', async () => {
    const rendered = warningToCard(
      { kind: 'earlyWarning', warningId: 'w-9', story: spikeStory },
      { locale: 'en-US', currency: 'USD' },
    );
    const acknowledgeAction = rendered.card.actions?.find(
      (one) => one.type === 'Action.Submit' && one.title === 'Acknowledge',
    ) as { data: Record<string, unknown> } | undefined;
    expect(acknowledgeAction?.data).toEqual({ action: 'warning_acknowledge', warningId: 'w-9' });

    const commands = fakeCommands();
    const { submits } = createWarnings(servicesWith(commands));
    const { turn, replies } = turnFor({ value: acknowledgeAction!.data });
    await submits.warning_acknowledge!(turn);
    expect(commands.acknowledge).toHaveBeenCalledWith({ platform: 'teams', userId: 'aad-staff' }, 'w-9', undefined);
    expect(replies[0]!.summary).toBe('Acknowledged: the warning records that you have it in hand.');
  });
});
