// The weekly story, as a list of sections. Each capability adds its own section kind;
// renderers for Slack and Teams turn the same digest into their own format.
import { customerAssetReport, earnedGrowthAnswer, earnedGrowthQuestion, type CustomerAssetReport, type CustomerAssetStore } from './assets.js';
import type { NumberFormat } from './numbers.js';
import { describeWeek, type WeekStart } from './weeks.js';

export type DigestSection =
  | { kind: 'headline'; question: string; answer: string }
  | { kind: 'customerAsset'; report: CustomerAssetReport };

export interface Digest {
  weekStart: WeekStart;
  weekLabel: string;
  format: NumberFormat;
  sections: DigestSection[];
}

export interface DigestSettings extends NumberFormat {
  timeZone: string;
}

export type DigestStore = CustomerAssetStore;

export async function composeDigest(store: DigestStore, weekStart: WeekStart, settings: DigestSettings): Promise<Digest> {
  const report = await customerAssetReport(store, weekStart, settings.timeZone);
  const format = { locale: settings.locale, currency: settings.currency };
  return {
    weekStart,
    weekLabel: describeWeek(weekStart, settings.locale),
    format,
    sections: [
      { kind: 'headline', question: earnedGrowthQuestion, answer: earnedGrowthAnswer(report.total.thisWeek, format) },
      { kind: 'customerAsset', report },
    ],
  };
}
