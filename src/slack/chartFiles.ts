// Charts as Slack files: the PNG is uploaded with files.uploadV2 (getUploadURLExternal, the
// bytes, completeUploadExternal) without a channel, so no loose file message appears, and an
// image block shows it by id. The same data gives the same bytes, so an upload is kept by a
// hash of the data and reused (even while it is still under way): a digest to ten channels,
// or a Home tab opened twice, draws and uploads once.
import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Digest } from '../domain/digest.js';
import { errorDetail } from '../domain/errorDetail.js';
import type { MovementHistory } from '../domain/movementHistory.js';
import type { Log } from '../logger.js';
import type { DigestImages, SlackImageSource } from '../render/digestSlack.js';
import { renderMovementChart } from '../render/movementChart.js';
import { movementChartTitle } from '../render/movementWords.js';
import { honouringRateLimits, slackErrorCode } from './slackCalls.js';

/** Uploads remembered; a chart a week per view, so this covers months of digests and homes. */
const uploadsKept = 64;

export interface SlackChartFiles {
  /** The chart as an image source, uploading it if these bytes were not uploaded yet; undefined when that fails. */
  movementChart(history: MovementHistory): Promise<SlackImageSource | undefined>;
  /** The pictures a digest carries. */
  digestImages(digest: Digest): Promise<DigestImages>;
  /** Forgets an upload Slack no longer shows (deleted, or not visible to this token). */
  forget(source: SlackImageSource): void;
}

/** Slack refused an image block because of its file: gone, or not ready yet. */
export function refusedSlackFile(error: unknown): boolean {
  const errors = (error as { data?: { errors?: unknown } } | undefined)?.data?.errors;
  return (
    slackErrorCode(error) === 'invalid_blocks' &&
    Array.isArray(errors) &&
    errors.some((line) => String(line).includes('slack_file'))
  );
}

export function slackChartFiles(client: WebClient, log: Log): SlackChartFiles {
  const uploads = new Map<string, { id: Promise<string>; done?: string }>();

  async function upload(png: Uint8Array, title: string): Promise<string> {
    const result = (await honouringRateLimits(() =>
      client.files.uploadV2({ file: Buffer.from(png), filename: 'customer-movement.png', title, alt_text: title }),
    )) as { files?: Array<{ files?: Array<{ id?: string }> }> };
    const id = result.files?.[0]?.files?.[0]?.id;
    if (!id) throw new Error('Slack completed the upload but named no file');
    return id;
  }

  return {
    async movementChart(history) {
      const key = createHash('sha256').update(JSON.stringify(history)).digest('hex');
      let entry = uploads.get(key);
      if (!entry) {
        const started: { id: Promise<string>; done?: string } = {
          id: renderMovementChart(history).then((png) => upload(png, movementChartTitle(history))),
        };
        started.id.then(
          (id) => (started.done = id),
          () => uploads.delete(key),
        );
        entry = started;
        uploads.set(key, entry);
        if (uploads.size > uploadsKept) uploads.delete(uploads.keys().next().value!);
      }
      try {
        return { slack_file: { id: await entry.id } };
      } catch (error) {
        // The words beside the chart carry every number: a failed upload costs the picture, never the message.
        log('slack: the chart could not be uploaded; posting without it', { level: 'warn', error: errorDetail(error) });
        return undefined;
      }
    },
    async digestImages(digest) {
      const chart = digest.sections.find((section) => section.kind === 'movementChart');
      if (chart?.kind !== 'movementChart') return {};
      const movementChart = await this.movementChart(chart.history);
      return movementChart ? { movementChart } : {};
    },
    forget(source) {
      if (!('slack_file' in source)) return;
      for (const [key, entry] of uploads) if (entry.done === source.slack_file.id) uploads.delete(key);
    },
  };
}

/**
 * Posts with the pictures, and when Slack refuses an image's file (deleted since, or not yet
 * ready) uploads it once more and tries again, then posts without it: invalid_blocks means
 * nothing was posted, so trying again cannot duplicate.
 */
export async function withImages<T>(
  charts: SlackChartFiles | undefined,
  images: () => Promise<DigestImages>,
  post: (images: DigestImages) => Promise<T>,
): Promise<T> {
  let current = charts ? await images() : {};
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(current);
    } catch (error) {
      if (!refusedSlackFile(error) || !current.movementChart || attempt > 2) throw error;
      charts?.forget(current.movementChart);
      current = attempt === 1 ? await images() : {};
    }
  }
}
