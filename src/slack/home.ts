// The Home tab: on every app_home_opened for the Home tab, the customer room is composed
// afresh and published for that person (views.publish), with the chart uploaded as a file.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { customerRoomView } from '../render/homeSlack.js';
import type { Services } from '../services.js';
import { withImages, type SlackChartFiles } from './chartFiles.js';
import type { SlackFeature } from './handlers.js';

export type HomeServices = Pick<Services, 'homeRoom' | 'log'>;

// Slack sends the same event for the Messages tab; only the Home tab is ours to draw.
const homeOpened = z.object({ user: z.string().min(1), tab: z.literal('home') });

export interface SlackHome {
  feature: SlackFeature;
  /** Draws the person's room again, after they acted from it. */
  publish(client: WebClient, userId: string): Promise<void>;
}

export function createHome(services: HomeServices, charts?: SlackChartFiles): SlackHome {
  async function publish(client: WebClient, userId: string): Promise<void> {
    const room = await services.homeRoom({ platform: 'slack', userId });
    await withImages(
      charts,
      async () => {
        const chart = room.history ? await charts!.movementChart(room.history) : undefined;
        return chart ? { movementChart: chart } : {};
      },
      (images) => client.views.publish({ user_id: userId, view: customerRoomView(room, images.movementChart) }),
    );
  }
  return {
    publish,
    feature: {
      events: {
        app_home_opened: {
          async handle(event, { client }) {
            const opened = homeOpened.safeParse(event);
            if (opened.success) await publish(client, opened.data.user);
          },
        },
      },
    },
  };
}
