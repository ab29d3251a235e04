// A warning as the check tells it, for tests of how the platforms show and answer it.
import type { WarningStory } from '../../src/domain/warnings.js';

/** Complaints at Get help spiking, with no moment, owner, verbatims or lost customers to show. */
export const spikeStory: WarningStory = {
  kind: 'complaintSpike',
  weekStart: '2026-11-30',
  stageName: 'Get help',
  categoryName: null,
  why: 'Twelve complaints against three a week.',
  moment: null,
  complaints: { thisWeek: 12, weeklyBaseline: 3, pValue: 0.0001, verbatims: [] },
  lost: { customers: 0, value: 0, examples: [] },
  owners: [],
};
