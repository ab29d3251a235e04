// The small part of Adaptive Cards 1.5 the bot uses, typed so a misspelt property or
// value fails to compile rather than being ignored by Teams. Every card is checked
// against Microsoft's own parser in test/render/adaptiveCards.test.ts.

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Medium' | 'Large';
  weight?: 'Bolder';
  isSubtle?: true;
  spacing?: 'None' | 'Small' | 'Medium' | 'Large';
  style?: 'heading';
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
  spacing?: 'Small' | 'Medium';
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  separator?: true;
  spacing?: 'Small' | 'Medium' | 'Large';
}

export type CardElement = TextBlock | FactSet | Container;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  /** Read aloud and shown in notifications; plain words. */
  speak?: string;
  body: CardElement[];
  /** Teams-only: a digest reads better across the whole message pane. */
  msteams?: { width: 'Full' };
}

export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

export function card(body: CardElement[], options: { speak?: string; fullWidth?: boolean } = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...(options.speak ? { speak: options.speak } : {}),
    body,
    ...(options.fullWidth ? { msteams: { width: 'Full' as const } } : {}),
  };
}

export function text(value: string, options: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

/** A short answer to a command: a title line and plain sentences. Text is Markdown the bot wrote. */
export function answerCard(title: string, lines: string[]): AdaptiveCard {
  return card([text(title, { weight: 'Bolder', style: 'heading' }), ...lines.map((line) => text(line))]);
}

/** A message carrying one card; `summary` is what notifications and chat lists show. */
export function cardActivity(content: AdaptiveCard, summary: string) {
  return { type: 'message' as const, summary, attachments: [{ contentType: adaptiveCardContentType, content }] };
}
