import { describe, expect, it } from 'vitest';
import { cardUserText, escapeCardMarkdown } from '../../src/render/cardText.js';

/** What a CommonMark reader shows for escaped text: each backslash escape becomes its character. */
const shown = (escaped: string) => escaped.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('escapeCardMarkdown', () => {
  it('turns a disguised link into plain words', () => {
    const escaped = escapeCardMarkdown('[bank](https://evil.example)');
    expect(escaped).toBe('\\[bank\\]\\(https://evil.example\\)');
    expect(escaped).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
    expect(shown(escaped)).toBe('[bank](https://evil.example)');
  });

  it('keeps a Teams mention from forming', () => {
    const escaped = escapeCardMarkdown('<at>channel</at> please');
    expect(escaped).toBe('\\<at\\>channel\\</at\\> please');
    expect(escaped).not.toMatch(/(^|[^\\])<at>/);
  });

  it('escapes emphasis, code, strike-through, headings and quotes, and the escape character itself', () => {
    expect(escapeCardMarkdown('**big** _it_ ~~no~~ `code` # h > q \\')).toBe(
      '\\*\\*big\\*\\* \\_it\\_ \\~\\~no\\~\\~ \\`code\\` \\# h \\> q \\\\',
    );
  });

  it('cannot start a list, even across line breaks', () => {
    expect(escapeCardMarkdown('- one\n- two')).toBe('\\- one - two');
    expect(escapeCardMarkdown('1. first')).toBe('1\\. first');
    expect(escapeCardMarkdown('+ plus')).toBe('\\+ plus');
  });

  it('leaves ordinary names as they are written', () => {
    expect(escapeCardMarkdown('Mid-market & SMB, 2026.')).toBe('Mid-market & SMB, 2026.');
  });
});

describe('cardUserText', () => {
  it('shortens before escaping, so an escape is never cut in half', () => {
    const text = cardUserText('['.repeat(500), 10);
    expect(text).toBe(`${'\\['.repeat(9)}…`);
  });
});
