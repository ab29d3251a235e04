// Cards drawn as HTML for the playground: Teams' formatting shows as formatting, and
// anything a customer wrote, escaped for the card, shows as the words they typed.
import { describe, expect, it } from 'vitest';
import { adaptiveCardToHtml } from '../../src/render/adaptiveCardHtml.js';
import { answerCard } from '../../src/render/adaptiveCard.js';
import { cardUserText } from '../../src/render/cardText.js';

describe('adaptiveCardToHtml', () => {
  it('shows customer text as typed, with no markup from it, and the bot’s own bold as bold', () => {
    const typed = '<script>alert(1)</script> **loud** [link](https://evil.example) <at>Everyone</at>';
    const html = adaptiveCardToHtml(answerCard('Logged', [`**Said:** ${cardUserText(typed)}`]));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<a ');
    expect(html).toContain('<strong>Said:</strong>');
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; **loud** [link](https://evil.example) &lt;at&gt;Everyone&lt;/at&gt;',
    );
  });

  it('draws facts and marks what it does not know', () => {
    const html = adaptiveCardToHtml({
      type: 'AdaptiveCard',
      body: [{ type: 'FactSet', facts: [{ title: 'Won', value: '20' }] }, { type: 'RichTextBlock' }],
    });
    expect(html).toContain('<dt>Won</dt><dd>20</dd>');
    expect(html).toContain('[unsupported element: RichTextBlock]');
  });
});
