// The Stripe settings that need more than a string: how Stripe's cancellation feedback maps
// to the company's loss reasons, and the exchange rates that let other currencies count.
import { z } from 'zod';

export const stripeFeedbackValues = [
  'too_expensive',
  'missing_features',
  'switched_service',
  'unused',
  'customer_service',
  'too_complex',
  'low_quality',
  'other',
] as const;
export type StripeFeedback = (typeof stripeFeedbackValues)[number];

/** Named after the default company categories; the three Stripe asks about that no default category covers keep plain words. */
export const defaultStripeReasonMap: Record<StripeFeedback, string> = {
  too_expensive: 'Price',
  missing_features: 'Product quality',
  low_quality: 'Product quality',
  customer_service: 'Staff and service',
  too_complex: 'Website and app',
  switched_service: 'Switched to a competitor',
  unused: 'Not using it',
  other: 'Other',
};

/** JSON text in an environment variable, parsed and checked by `shape`; unset means `fallback`. */
function jsonSetting<T extends z.ZodType>(shape: T, example: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((text, ctx): unknown => {
      if (!text) return undefined;
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    })
    .pipe(shape.optional());
}

/** STRIPE_REASON_MAP: the CCO's own names for some or all of Stripe's feedback values, over the defaults. */
export const stripeReasonMapSetting = jsonSetting(
  z.record(z.string(), z.string().trim().min(1).max(500)).superRefine((map, ctx) => {
    const unknown = Object.keys(map).filter((key) => !(stripeFeedbackValues as readonly string[]).includes(key));
    if (unknown.length)
      ctx.addIssue({
        code: 'custom',
        message: `${unknown.join(', ')}: keys must be Stripe feedback values: ${stripeFeedbackValues.join(', ')}`,
      });
  }),
  '{"too_expensive":"Price","unused":"Never got started"}',
).transform((overrides): Record<StripeFeedback, string> => ({ ...defaultStripeReasonMap, ...overrides }));

/** STRIPE_FX_RATES: how many units of ORG_CURRENCY one unit of another currency is worth, e.g. {"EUR":1.08}. */
export const stripeFxRatesSetting = jsonSetting(
  z.record(z.string(), z.number().positive('rates must be above zero')).superRefine((rates, ctx) => {
    const bad = Object.keys(rates).filter((code) => !/^[A-Z]{3}$/.test(code));
    if (bad.length)
      ctx.addIssue({ code: 'custom', message: `${bad.join(', ')}: currency codes are ISO 4217 in capitals, e.g. EUR` });
  }),
  '{"EUR":1.08,"GBP":1.27}',
).transform((rates) => rates ?? {});

export interface StripeSettings {
  orgCurrency: string;
  segmentField: string;
  reasonMap: Record<StripeFeedback, string>;
  fxRates: Record<string, number>;
}
