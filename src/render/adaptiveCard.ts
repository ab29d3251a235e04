// The small part of Adaptive Cards 1.5 the bot uses, typed so a misspelt property or
// value fails to compile rather than being ignored by Teams. Every card is checked
// against Microsoft's own parser in test/render/adaptiveCards.test.ts.
import { escapeCardMarkdown } from './cardText.js';

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

export interface Choice {
  title: string;
  value: string;
}

/** Inputs carry a label (1.3+) so Teams shows it above the field and reads it to screen readers. */
interface InputBase {
  id: string;
  label: string;
  isRequired?: true;
  errorMessage?: string;
}

export interface TextInput extends InputBase {
  type: 'Input.Text';
  isMultiline?: true;
  maxLength?: number;
  placeholder?: string;
  value?: string;
}

export interface ChoiceSetInput extends InputBase {
  type: 'Input.ChoiceSet';
  choices: Choice[];
  isMultiSelect?: true;
  style?: 'expanded' | 'filtered';
  placeholder?: string;
  /** The chosen value; several are comma-separated. */
  value?: string;
}

export interface DateInput extends InputBase {
  type: 'Input.Date';
  value?: string;
  min?: string;
}

export interface NumberInput extends InputBase {
  type: 'Input.Number';
  min?: number;
  value?: number;
  placeholder?: string;
}

export type CardInput = TextInput | ChoiceSetInput | DateInput | NumberInput;

/** What comes back with a submit: `action` names the handler, the rest is its context. Inputs are merged in by Teams. */
export type SubmitData = { action: string } & Record<string, string | number>;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: SubmitData;
  style?: 'positive' | 'destructive';
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: NestedCard;
}

export type CardAction = SubmitAction | ShowCardAction;

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: 'Small' | 'Medium';
}

export interface Image {
  type: 'Image';
  url: string;
  altText: string;
  size?: 'Auto' | 'Stretch';
  spacing?: 'Small' | 'Medium';
}

export type CardElement = TextBlock | FactSet | Container | CardInput | ActionSet | Image;

/** A card inside Action.ShowCard: no schema or version of its own. */
export interface NestedCard {
  type: 'AdaptiveCard';
  body: CardElement[];
  actions?: CardAction[];
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  /** Read aloud and shown in notifications; plain words. */
  speak?: string;
  body: CardElement[];
  actions?: CardAction[];
  /** Teams-only: a digest reads better across the whole message pane; `entities` make `<at>Name</at>` in the text a mention. */
  msteams?: { width?: 'Full'; entities?: CardMention[] };
}

/** A Teams mention in a card: `text` appears verbatim in a TextBlock, `mentioned.id` is the person's Entra object id. */
export interface CardMention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

export function card(
  body: CardElement[],
  options: { speak?: string; fullWidth?: boolean; actions?: CardAction[]; mentions?: CardMention[] } = {},
): AdaptiveCard {
  const msteams = {
    ...(options.fullWidth ? { width: 'Full' as const } : {}),
    ...(options.mentions?.length ? { entities: options.mentions } : {}),
  };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...(options.speak ? { speak: options.speak } : {}),
    body,
    ...(options.actions?.length ? { actions: options.actions } : {}),
    ...(Object.keys(msteams).length ? { msteams } : {}),
  };
}

/** Choice sets in Teams stay usable up to about a hundred options; the company lists are far shorter. */
export const maxChoices = 100;

export function choiceSet(
  id: string,
  label: string,
  choices: Choice[],
  options: Omit<ChoiceSetInput, 'type' | 'id' | 'label' | 'choices'> = {},
): ChoiceSetInput {
  // Shown as checkboxes or radio buttons, a choice's title is drawn as Markdown (a drop-down's is not), so there it is escaped.
  const drawnAsMarkdown = options.isMultiSelect || options.style === 'expanded';
  const shown = choices
    .slice(0, maxChoices)
    .map((choice) => (drawnAsMarkdown ? { ...choice, title: escapeCardMarkdown(choice.title) } : choice));
  const { value, ...rest } = options;
  // A preselected value that is not among the choices would be shown as blank and sent back anyway.
  const known =
    value === undefined
      ? undefined
      : value
          .split(',')
          .filter((one) => shown.some((choice) => choice.value === one))
          .join(',');
  return { type: 'Input.ChoiceSet', id, label, choices: shown, ...rest, ...(known ? { value: known } : {}) };
}

export function submit(title: string, data: SubmitData, style?: SubmitAction['style']): SubmitAction {
  return { type: 'Action.Submit', title, data, ...(style ? { style } : {}) };
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

/** A card as one Teams message, with the words its notification shows. */
export interface CardMessage {
  card: AdaptiveCard;
  /** Notification and chat-list text; plain words. */
  summary: string;
}
