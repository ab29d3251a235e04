// Rows from other systems, checked one by one before anything is stored: what a sender
// would see refused, and the words `cco sources` / `cco surveys` understand.
import { describe, expect, it } from 'vitest';
import { parseCcoCommand } from '../../src/typedCommands/cco.js';
import { parseSaidAt, validateExternalFeedback } from '../../src/domain/externalFeedback.js';

const now = new Date('2026-12-01T12:00:00Z');

describe('said_at', () => {
  it.each([
    ['2026-11-18T14:03:00Z', '2026-11-18T14:03:00.000Z'],
    ['2026-11-18T14:03:00.250+01:00', '2026-11-18T13:03:00.250Z'],
    ['2026-11-18T14:03+0530', '2026-11-18T08:33:00.000Z'],
    ['2024-02-29', '2024-02-29T12:00:00.000Z'],
    ['2026-12-02T11:00:00Z', '2026-12-02T11:00:00.000Z'],
  ])('reads %s', (value, expected) => {
    expect(parseSaidAt(value, now)).toEqual({ ok: true, at: new Date(expected) });
  });

  it.each([
    ['2026-02-29', 'is not a date in the calendar'],
    ['2026-13-01', 'is not a date in the calendar'],
    ['2026-11-18T24:30:00Z', 'time of day that does not exist'],
    ['2026-11-18T10:00:00', 'needs a time zone'],
    ['18/11/2026', 'must be an ISO 8601 date'],
    ['yesterday', 'must be an ISO 8601 date'],
    ['1899-12-31', 'before 1900'],
    ['2026-12-02T12:00:01Z', 'more than a day in the future'],
  ])('refuses %s rather than guess', (value, reason) => {
    const parsed = parseSaidAt(value, now);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});

describe('a batch of rows', () => {
  it('takes a source by its words or its code, and refuses one that is not in the list', () => {
    const { valid, rejected } = validateExternalFeedback(
      [
        { external_id: 'a', text: 'x', source: 'Support Desk' },
        { external_id: 'b', text: 'x', source: 'call_centre' },
        { external_id: 'c', text: 'x', source: 'fax' },
      ],
      now,
    );
    expect(valid.map((row) => row.source)).toEqual(['support_desk', 'call_centre']);
    expect(rejected).toEqual([
      {
        row: 3,
        reason: expect.stringMatching(
          /^source must be one of: call centre, web, social, store, survey, sales, support desk, warranty, returns, other$/,
        ),
      },
    ]);
  });

  it('treats blank optional cells as absent and numbers rows by the line they came from', () => {
    const { valid, rejected } = validateExternalFeedback(
      [
        { external_id: 'a', text: 'Late again', source: 'web', said_at: '', stage: '' },
        { external_id: '', text: '  ', source: 'web' },
      ],
      now,
      [2, 5],
    );
    expect(valid).toEqual([{ row: 2, external_id: 'a', text: 'Late again', source: 'web' }]);
    expect(rejected).toEqual([{ row: 5, reason: 'external_id is required; text is empty' }]);
  });

  it('refuses text with no words (zero-width spaces, a BOM, control characters only), as /feedback does', () => {
    const { valid, rejected } = validateExternalFeedback(
      [
        { external_id: 'a', text: '\u200B\u200D\uFEFF', source: 'web' },
        { external_id: 'b', text: '\u0000\u0007', source: 'web' },
        { external_id: 'c', text: 'Late\u0000 again', source: 'web' },
      ],
      now,
    );
    expect(rejected).toEqual([
      { row: 1, reason: 'text has no words: only invisible or control characters' },
      { row: 2, reason: 'text has no words: only invisible or control characters' },
    ]);
    expect(valid.map((row) => row.external_id)).toEqual(['c']);
  });
});

describe('cco sources and surveys', () => {
  it('reads a survey mapping with the name in quotes or before a colon, and a removal', () => {
    expect(parseCcoCommand('surveys "Onboarding NPS" Get help')).toEqual({
      ok: true,
      command: { kind: 'surveys', action: 'map', name: 'Onboarding NPS', stage: 'Get help' },
    });
    expect(parseCcoCommand('surveys Onboarding NPS: Start')).toEqual({
      ok: true,
      command: { kind: 'surveys', action: 'map', name: 'Onboarding NPS', stage: 'Start' },
    });
    expect(parseCcoCommand('surveys remove "Onboarding NPS"')).toEqual({
      ok: true,
      command: { kind: 'surveys', action: 'remove', name: 'Onboarding NPS' },
    });
    expect(parseCcoCommand('surveys')).toEqual({ ok: true, command: { kind: 'surveys', action: 'list' } });
    expect(parseCcoCommand('sources')).toEqual({ ok: true, command: { kind: 'sources' } });
  });

  it('says how to write a mapping it cannot split into name and stage', () => {
    expect(parseCcoCommand('surveys Onboarding NPS Start')).toEqual({
      ok: false,
      message: expect.stringContaining('`/cco surveys "Onboarding NPS" Start`'),
    });
  });
});
