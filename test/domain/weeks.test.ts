import { describe, expect, it } from 'vitest';
import { describeWeek, isWeekStart, weekContaining, weekJustEnded } from '../../src/domain/weeks.js';

describe('weeks in the organisation time zone', () => {
  it('reports the Monday-to-Sunday week that just ended when the digest runs on Monday morning', () => {
    expect(weekJustEnded(new Date('2026-11-23T08:00:00Z'), 'UTC')).toBe('2026-11-16');
  });

  it('uses the organisation calendar, not UTC: Monday 01:00 in Tokyo is still Sunday in UTC', () => {
    const mondayInTokyo = new Date('2026-11-22T16:00:00Z');
    expect(weekContaining(mondayInTokyo, 'Asia/Tokyo')).toBe('2026-11-23');
    expect(weekContaining(mondayInTokyo, 'UTC')).toBe('2026-11-16');
  });

  it('treats Sunday as the last day of the week', () => {
    expect(weekContaining(new Date('2026-11-22T12:00:00Z'), 'UTC')).toBe('2026-11-16');
  });

  it('accepts only Mondays as week starts', () => {
    expect(isWeekStart('2026-11-16')).toBe(true);
    expect(isWeekStart('2026-11-17')).toBe(false);
    expect(isWeekStart('16/11/2026')).toBe(false);
  });

  it('names the week for people', () => {
    expect(describeWeek('2026-11-16', 'en-GB')).toMatch(/^16\s?–\s?22 Nov 2026$/);
  });
});
