// Moments that matter: at each journey stage, the few moments that decide how customers feel
// (a proposal sent, an order delivered, a call answered), the operational metric that shows
// whether each went well, and the minimum acceptable standard. Matched by name, stored by id,
// retired rather than deleted, as stages are, so a rename or a new list keeps every reading.
import { z } from 'zod';
import type { Platform } from './people.js';

export type MetricDirection = 'higher' | 'lower';

/** Who answers for a moment: a person, or a channel, on one platform. */
export type MomentOwner = {
  kind: 'person' | 'channel';
  platform: Platform;
  /** A Slack member or channel id, a Teams user (Entra object id) or conversation id. */
  id: string;
  /** How to name them where a mention cannot be made. */
  name: string | null;
};

export interface MomentDefinition {
  name: string;
  stage: string;
  metric: string;
  unit: string;
  better: MetricDirection;
  standard: number;
  owner: MomentOwner;
}

export interface Moment extends Omit<MomentDefinition, 'stage'> {
  id: string;
  stageId: string;
  stageName: string;
}

const words = (max: number, what: string) =>
  z.string().trim().min(1, `${what} cannot be empty`).max(max, `${what} is at most ${max} characters`);
const platformId = z
  .string()
  .trim()
  .regex(/^[\w:@.-]{1,200}$/, 'must be a Slack or Teams id, such as U0123ABCD or C0456EFGH');

const owner = z
  .object({
    platform: z.enum(['slack', 'teams']),
    person: platformId.optional(),
    channel: platformId.optional(),
    name: words(80, 'an owner name').optional(),
  })
  .refine((value) => Boolean(value.person) !== Boolean(value.channel), 'names either a person or a channel')
  .transform(
    (value): MomentOwner => ({
      kind: value.person ? 'person' : 'channel',
      platform: value.platform,
      id: (value.person ?? value.channel)!,
      name: value.name ?? null,
    }),
  );

export const momentDefinition = z.object({
  name: words(100, 'a moment name'),
  stage: words(60, 'a stage name'),
  metric: words(120, 'a metric name'),
  unit: words(30, 'a unit'),
  better: z.enum(['higher', 'lower'], { error: 'must be "higher" or "lower": which way the metric is better' }),
  standard: z.number({ error: 'must be a number: the minimum acceptable value' }).finite(),
  owner,
});

/** The `moments` list of the company language file; when present, the whole list. */
export const momentsFile = z
  .array(momentDefinition)
  .max(200)
  .superRefine((moments, context) => {
    const seen = new Set<string>();
    moments.forEach((moment, index) => {
      if (seen.has(moment.name.toLowerCase()))
        context.addIssue({ code: 'custom', path: [index, 'name'], message: `"${moment.name}" is listed twice` });
      seen.add(moment.name.toLowerCase());
    });
  });

export interface MomentStore {
  /** Moments in use, in their agreed order, with their stage's current name. */
  moments(): Promise<Moment[]>;
  /**
   * Makes `moments` the active list, in this order; names match case-insensitively, others are
   * retired, not deleted. 'unknownStages' names stages that are not in use, and nothing changes.
   */
  replaceMoments(moments: MomentDefinition[]): Promise<{ ok: true } | { ok: false; unknownStages: string[] }>;
  /** Every moment by lower-case name, retired ones too (a reading for one is refused with that reason). */
  momentsByName(): Promise<Map<string, { id: string; retired: boolean }>>;
}

/** True when a reading meets the standard: at or above it when higher is better, at or below it when lower is. */
export function meetsStandard(moment: Pick<Moment, 'better' | 'standard'>, value: number): boolean {
  return moment.better === 'higher' ? value >= moment.standard : value <= moment.standard;
}

/** Loads the language file's moments; a stage the file names but the company does not use stops the start with a message. */
export async function loadMoments(store: MomentStore, moments: MomentDefinition[]): Promise<void> {
  const result = await store.replaceMoments(moments);
  if (!result.ok)
    throw new Error(
      `LANGUAGE_FILE: these moments name stages that are not in use: ${result.unknownStages.join(', ')}. Nothing about moments was changed.`,
    );
}
