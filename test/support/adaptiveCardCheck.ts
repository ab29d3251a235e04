// Checks a card with Microsoft's own Adaptive Cards parser (the `adaptivecards` package),
// targeting schema 1.5, the newest Teams renders everywhere.
import { isDeepStrictEqual } from 'node:util';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';

/** Everything the parser warned about; an empty list means Teams will read the card as written. */
export function adaptiveCardProblems(json: unknown): string[] {
  const problems: string[] = [];
  const card = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_5);
  card.parse(json, context);
  for (let index = 0; index < context.eventCount; index++) problems.push(`parse: ${context.getEventAt(index).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  if ((json as { version?: unknown }).version !== '1.5')
    problems.push(`version is ${String((json as { version?: unknown }).version)}, not 1.5`);
  // The parser drops what it does not know (a misspelt property, a value from a newer
  // schema) without a warning, so the card it read must serialise back to the one we sent.
  // `msteams` is Teams' own extension, which the generic parser does not model.
  const { msteams: _msteams, ...sent } = json as Record<string, unknown>;
  const readBack = card.toJSON(new SerializationContext(Versions.v1_5));
  if (!isDeepStrictEqual(readBack, sent))
    problems.push(`the parser read a different card: ${JSON.stringify(readBack)}`);
  return problems;
}
