import { describe, expect, it } from 'vitest';
import { mrkdwnToHtml, renderBlockKitPage, type SlackBlock } from '../../src/render/blockKitHtml.js';

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('mrkdwnToHtml', () => {
  it('renders bold, italic, strike and code', () => {
    expect(mrkdwnToHtml('*won* _last week_ ~old~ `net`')).toBe(
      '<strong>won</strong> <em>last week</em> <del>old</del> <code>net</code>',
    );
    expect(mrkdwnToHtml('*_both_*')).toBe('<strong><em>both</em></strong>');
  });

  it('leaves marks inside words alone, as Slack does', () => {
    expect(mrkdwnToHtml('too_expensive_plan and 2*3*4')).toBe('too_expensive_plan and 2*3*4');
  });

  it('turns Slack links into links showing the label or the URL', () => {
    expect(mrkdwnToHtml('see <https://example.com/a_b?x=1&amp;y=2|the report>')).toBe(
      'see <a href="https://example.com/a_b?x=1&amp;y=2" rel="noopener noreferrer">the report</a>',
    );
    expect(mrkdwnToHtml('<https://example.com>')).toBe(
      '<a href="https://example.com" rel="noopener noreferrer">https://example.com</a>',
    );
    expect(mrkdwnToHtml('_see <https://x.io/a_b|docs>_')).toBe(
      '<em>see <a href="https://x.io/a_b" rel="noopener noreferrer">docs</a></em>',
    );
  });

  it('shows mentions and channel names as text', () => {
    expect(mrkdwnToHtml('<@U123> in <#C123|growth>')).toContain('@U123');
    expect(mrkdwnToHtml('<#C123|growth>')).toContain('#growth');
    for (const name of ['here', 'channel', 'everyone']) expect(mrkdwnToHtml(`<!${name}>`)).toContain(`@${name}`);
  });

  it('shows a member or channel by the name the page knows, as Slack does', () => {
    const names = new Map([
      ['U1', 'Sam Patel'],
      ['C1', '#announcements'],
    ]);
    const html = mrkdwnToHtml('<@U1> in <#C1> and <@U2>', (id) => names.get(id));
    expect(html).toBe(
      '<span class="mention">@Sam Patel</span> in <span class="mention">#announcements</span> and <span class="mention">@U2</span>',
    );
  });

  it('does not link other schemes', () => {
    const html = mrkdwnToHtml('<javascript:alert(1)|click> <data:text/html,hi|data>');
    expect(html).not.toContain('<a');
    expect(html).not.toContain('href');
    expect(html).toContain('&lt;javascript:alert(1)|click&gt;');
  });

  it('escapes markup in the text', () => {
    const html = mrkdwnToHtml('<script>alert(1)</script> "quoted" <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;');
  });

  it("shows Slack's escapes as the characters, still unable to make a tag", () => {
    expect(mrkdwnToHtml('Tom &amp; Jerry &lt;b&gt;loud&lt;/b&gt;')).toBe('Tom &amp; Jerry &lt;b&gt;loud&lt;/b&gt;');
    expect(mrkdwnToHtml('&amp;lt;')).toBe('&amp;lt;');
    expect(mrkdwnToHtml('*&lt;script&gt;*')).toBe('<strong>&lt;script&gt;</strong>');
  });

  it('keeps line breaks, quotes and bullet lines', () => {
    expect(mrkdwnToHtml('one\ntwo')).toBe('one<br>two');
    expect(mrkdwnToHtml('> said\n&gt; twice\nafter')).toBe('<blockquote>said<br>twice</blockquote>after');
    expect(mrkdwnToHtml('• first\n• second')).toBe(
      '<div class="bullet">• first</div><div class="bullet">• second</div>',
    );
  });
});

describe('renderBlockKitPage', () => {
  const main: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Did we gain customers? <b>' } },
    section('*Yes*, net +3'),
    { type: 'divider' },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Customers won*\n5' },
        { type: 'plain_text', text: 'Lost *2*' },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Why customers left: price (2)' }] },
  ];
  const page = renderBlockKitPage({
    title: 'Digest <week>',
    note: 'Local preview — no <Slack> workspace connected',
    messages: [{ blocks: main }, { blocks: [section('More segments: East')] }],
  });

  it('is a complete page without scripts or outside assets', () => {
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('</html>');
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
    expect(page).toContain('<title>Digest &lt;week&gt;</title>');
    expect(page).toContain('Local preview — no &lt;Slack&gt; workspace connected');
  });

  it('shows the header, fields, context and divider', () => {
    expect(page).toContain('Did we gain customers? &lt;b&gt;');
    expect(page).toContain('<strong>Customers won</strong><br>5');
    expect(page).toContain('Lost *2*');
    expect(page).toContain('Why customers left: price (2)');
    expect(page).toContain('<hr>');
  });

  it('puts thread replies after the main post, marked as replies', () => {
    const post = page.indexOf('<strong>Yes</strong>');
    const label = page.indexOf('Reply in thread');
    expect(post).toBeGreaterThan(-1);
    expect(label).toBeGreaterThan(post);
    expect(page.indexOf('More segments: East')).toBeGreaterThan(label);
    expect(page.match(/Reply in thread/g)).toHaveLength(1);
  });

  it('shows a placeholder for blocks it cannot draw', () => {
    const html = renderBlockKitPage({
      title: 't',
      messages: [{ blocks: [{ type: 'video', title: { type: 'plain_text', text: 'x' } } as unknown as SlackBlock] }],
    });
    expect(html).toContain('[unsupported block: video]');
  });

  it('draws an image only when the page carries it', () => {
    const html = renderBlockKitPage({
      title: 't',
      messages: [
        {
          blocks: [
            { type: 'image', image_url: 'data:image/png;base64,AAAA', alt_text: 'a "chart"' },
            { type: 'image', image_url: 'https://evil.example/track.png', alt_text: 'tracker' },
            { type: 'image', slack_file: { id: 'F0123456789' }, alt_text: 'uploaded' },
          ],
        },
      ],
    });
    expect(html).toContain('<img src="data:image/png;base64,AAAA" alt="a &quot;chart&quot;">');
    expect(html).not.toContain('evil.example');
    expect(html).toContain('[unsupported image: tracker]');
    expect(html).toContain('[unsupported image: uploaded]');
    expect(html).toContain('img-src data:');
  });

  it('draws buttons and menus as Slack shows them, none of them pressable', () => {
    const html = renderBlockKitPage({
      title: 't',
      messages: [
        {
          blocks: [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: 'Filed under *Use*' },
              accessory: { type: 'button', action_id: 'a', text: { type: 'plain_text', text: ':memo: Edit' } },
            },
            {
              type: 'actions',
              elements: [
                { type: 'button', action_id: 'c', text: { type: 'plain_text', text: 'Log <call>' }, style: 'primary' },
                {
                  type: 'static_select',
                  action_id: 'b',
                  placeholder: { type: 'plain_text', text: 'Stage' },
                  options: [{ text: { type: 'plain_text', text: 'Use' }, value: 'u' }],
                },
              ],
            },
          ] as SlackBlock[],
        },
      ],
    });
    expect(html).toContain('<span class="button">📝 Edit</span>');
    expect(html).toContain('<span class="button primary">Log &lt;call&gt;</span>');
    expect(html).toContain('<span class="select">Stage ▾</span>');
    expect(html).not.toContain('<button');
    expect(html).not.toContain('[unsupported');
  });

  it('renders a page with no messages', () => {
    expect(renderBlockKitPage({ title: 'Not a week', messages: [], note: 'Try ?week=2025-01-06' })).toContain(
      'Try ?week=2025-01-06',
    );
  });
});

describe('emoji shortcodes', () => {
  it('draws the shortcodes the bot writes as the emoji Slack shows', () => {
    expect(mrkdwnToHtml(':twisted_rightwards_arrows: 3 sources :white_check_mark:')).toBe('🔀 3 sources ✅');
    expect(mrkdwnToHtml('*:memo: Logged*')).toBe('<strong>📝 Logged</strong>');
  });

  it('leaves times, unknown names and code as typed', () => {
    expect(mrkdwnToHtml('at 10:00:30, :not_an_emoji_name: and `:memo:`')).toBe(
      'at 10:00:30, :not_an_emoji_name: and <code>:memo:</code>',
    );
  });

  it('knows every shortcode the bot’s own messages use', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { slackEmoji } = await import('../../src/render/slackEmoji.js');
    const used = new Set<string>();
    for (const folder of ['src/render', 'src/slack']) {
      for (const file of await readdir(folder)) {
        if (file === 'slackEmoji.ts') continue;
        const text = await readFile(`${folder}/${file}`, 'utf8');
        for (const match of text.matchAll(/'[^'\n]*?:([a-z_]{3,}):[^'\n]*'|`[^`\n]*?:([a-z_]{3,}):[^`\n]*`/g))
          used.add((match[1] ?? match[2])!);
      }
    }
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(slackEmoji(name), `:${name}:`).toBeDefined();
  });
});
