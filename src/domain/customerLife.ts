// The CCO's two settings for the rest of the customer asset: how long each segment's
// customers may stay silent before they count as lapsed, and the value tiers customers
// climb or slip between. Both are read by the digest's SQL; this module parses, checks
// permission and words the answers.
import type { People, Person } from './people.js';

/** Days without a sign of life after which a customer of a segment with no window of its own lapses. */
export const defaultLapseDays = 180;
const maxLapseDays = 3660;
const maxTiers = 10;

export interface LapseWindow {
  segment: string;
  days: number;
}

export interface ValueTier {
  name: string;
  /** The lowest yearly value in this tier. */
  minValue: number;
}

export interface CustomerLifeSettingsStore {
  lapseWindows(): Promise<LapseWindow[]>;
  /** Segments match case-insensitively; the name is kept as last typed. */
  setLapseWindow(window: LapseWindow): Promise<void>;
  /** Lowest floor first. */
  valueTiers(): Promise<ValueTier[]>;
  replaceValueTiers(tiers: ValueTier[]): Promise<void>;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
type Answer = { ok: boolean; message: string };

/** "Retail 90 days", "Retail Banking: 6 months", "Retail 2 weeks". */
export function parseLapseWindow(text: string, prefix = '/'): Parsed<LapseWindow> {
  const match = /^["“]?(.+?)["”]?:?\s+(\d{1,5})\s*(days?|weeks?|months?|d|w)?$/i.exec(text.trim());
  const example = `like \`${prefix}cco lapse Retail 90 days\``;
  if (!match) return { ok: false, message: `Name the segment and how long, ${example}. Nothing was changed.` };
  const unit = (match[3] ?? 'days').toLowerCase();
  const perUnit = unit.startsWith('w') ? 7 : unit.startsWith('m') ? 30 : 1;
  const days = Number(match[2]) * perUnit;
  const segment = match[1]!.trim();
  if (segment.length > 100)
    return { ok: false, message: 'Segment names are at most 100 characters. Nothing was changed.' };
  if (days < 1 || days > maxLapseDays)
    return { ok: false, message: `A window is 1 to ${maxLapseDays} days (ten years). Nothing was changed.` };
  return { ok: true, value: { segment, days } };
}

// Plain digits, or thousands with commas ("10,000"); a point is always the decimal point.
const tierValue = /^\d{1,3}(?:,\d{3}){1,3}(?:\.\d{1,2})?$|^\d{1,12}(?:\.\d{1,2})?$/;

/** "Bronze 0, Silver 1000, Gold 10000": names with the yearly value each starts at. */
export function parseValueTiers(text: string, prefix = '/'): Parsed<ValueTier[]> {
  const example = `like \`${prefix}cco tiers Bronze 0, Silver 1000, Gold 10000\``;
  const parts = text
    .split(/[,;\n](?=\s*[^\d\s])/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (!parts.length) return { ok: false, message: `Name each tier and the yearly value it starts at, ${example}.` };
  const tiers: ValueTier[] = [];
  for (const part of parts) {
    const match = /^(.+?)\s*:?\s+([\d.,]+)$/.exec(part);
    if (!match || !tierValue.test(match[2]!))
      return {
        ok: false,
        message: `"${part.slice(0, 80)}" is not a name and a yearly value, ${example}. Nothing was changed.`,
      };
    const name = match[1]!.trim();
    if (name.length > 60) return { ok: false, message: 'Tier names are at most 60 characters. Nothing was changed.' };
    tiers.push({ name, minValue: Number(match[2]!.replace(/,/g, '')) });
  }
  if (tiers.length > maxTiers) return { ok: false, message: `At most ${maxTiers} tiers. Nothing was changed.` };
  const names = new Set(tiers.map((tier) => tier.name.toLowerCase()));
  if (names.size !== tiers.length) return { ok: false, message: 'Each tier needs its own name. Nothing was changed.' };
  const floors = new Set(tiers.map((tier) => tier.minValue));
  if (floors.size !== tiers.length)
    return { ok: false, message: 'Two tiers start at the same value; give each its own. Nothing was changed.' };
  return { ok: true, value: tiers.sort((a, b) => a.minValue - b.minValue) };
}

export type CustomerLifeRequest =
  | { kind: 'lapse'; action: 'list' }
  | { kind: 'lapse'; action: 'set'; text: string }
  | { kind: 'tiers'; action: 'list' }
  | { kind: 'tiers'; action: 'set'; text: string };

const daysWords = (days: number) => `${days} ${days === 1 ? 'day' : 'days'}`;

export function createCustomerLifeSettings(store: CustomerLifeSettingsStore, people: People) {
  async function listLapse(): Promise<string> {
    const windows = await store.lapseWindows();
    const own = windows.map((window) => `${window.segment}: ${daysWords(window.days)}`).join('; ');
    return `A customer with no sign of life (no event of any kind) for longer than their segment's window counts as lapsed, apart from customers who chose to leave; customers with a paying subscription never lapse. ${own ? `Windows: ${own}. ` : ''}Every other segment: ${daysWords(defaultLapseDays)}.`;
  }

  async function listTiers(prefix: string): Promise<string> {
    const tiers = await store.valueTiers();
    if (!tiers.length)
      return `No value tiers yet. Name them by yearly value, like \`${prefix}cco tiers Bronze 0, Silver 1000, Gold 10000\`, and the digest counts customers who moved up or down a tier.`;
    return `Value tiers by yearly value (won value, plus what they bought more, less what they pulled back, since they last left): ${tiers.map((tier) => `${tier.name} from ${tier.minValue}`).join(', ')}.`;
  }

  return {
    /** Answers `cco lapse …` and `cco tiers …`; listing is for anyone, changes for the CCO. */
    async answer(by: Person, request: CustomerLifeRequest, prefix = '/'): Promise<Answer> {
      if (request.action === 'list')
        return { ok: true, message: request.kind === 'lapse' ? await listLapse() : await listTiers(prefix) };
      const permission = await people.may(by, 'manageLanguage');
      if (!permission.allowed) return { ok: false, message: permission.message };
      if (request.kind === 'lapse') {
        const parsed = parseLapseWindow(request.text, prefix);
        if (!parsed.ok) return parsed;
        await store.setLapseWindow(parsed.value);
        return {
          ok: true,
          message: `${parsed.value.segment} customers now count as lapsed after ${daysWords(parsed.value.days)} without a sign of life, from the next digest on.`,
        };
      }
      const parsed = parseValueTiers(request.text, prefix);
      if (!parsed.ok) return parsed;
      await store.replaceValueTiers(parsed.value);
      return {
        ok: true,
        message: `Value tiers are now ${parsed.value.map((tier) => `${tier.name} from ${tier.minValue}`).join(', ')}. The digest counts customers who moved up or down a tier.`,
      };
    },
  };
}

export type CustomerLifeSettings = ReturnType<typeof createCustomerLifeSettings>;
