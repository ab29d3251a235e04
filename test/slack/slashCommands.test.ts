import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCcoCommand } from '../../src/typedCommands/cco.js';
import { parseDigestCommand, slashCommands } from '../../src/slack/slashCommands.js';

describe('reading slash commands', () => {
  it('treats a bare /digest as a preview and knows each action', () => {
    expect(parseDigestCommand('')).toEqual({ ok: true, action: 'preview' });
    expect(parseDigestCommand('  Subscribe ')).toEqual({ ok: true, action: 'subscribe' });
  });

  it('reads /digest link with or without a week, leaving the week for the domain to judge', () => {
    expect(parseDigestCommand('link')).toEqual({ ok: true, action: 'link' });
    expect(parseDigestCommand('Link 2026-11-16')).toEqual({ ok: true, action: 'link', argument: '2026-11-16' });
    expect(parseDigestCommand('link tuesday')).toEqual({ ok: true, action: 'link', argument: 'tuesday' });
  });

  it('knows exactly the slash commands the Slack manifest registers, so none is called "unknown" by mistake', async () => {
    const manifest = await readFile('manifests/slack.yaml', 'utf8');
    const registered = [...manifest.matchAll(/^\s+- command: (\/[a-z-]+)$/gm)].map((match) => match[1]);
    expect(registered.length).toBeGreaterThan(0);
    expect([...slashCommands].sort()).toEqual(registered.sort());
  });

  it('answers an unknown /digest word with what it can do', () => {
    const parsed = parseDigestCommand('explode');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/I don't know `\/digest explode`.*\/digest subscribe/);
  });

  it('reads a role change from an escaped Slack mention', () => {
    expect(parseCcoCommand('role <@U024BE7LH|dana> Leader')).toEqual({
      ok: true,
      command: { kind: 'role', userId: 'U024BE7LH', role: 'leader' },
    });
  });

  it('explains how to name a person when the mention or role is missing or wrong', () => {
    for (const text of ['role dana leader', 'role <@U024BE7LH> boss', 'role']) {
      const parsed = parseCcoCommand(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain('/cco role @dana leader');
    }
  });
});
