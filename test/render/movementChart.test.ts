// The movement chart is drawn on the server, without a browser, and saved to
// test/artifacts/movement-chart.png for people to look at.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMovementHistory, hasMovement, periodsEndingWith } from '../../src/domain/movementHistory.js';
import { periodOf } from '../../src/domain/periods.js';
import { movementChartSvg, renderMovementChart } from '../../src/render/movementChart.js';
import { movementChartLines } from '../../src/render/movementWords.js';
import { sampleHistory } from '../support/sampleHistory.js';

const artifact = path.resolve('test/artifacts/movement-chart.png');
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('the movement chart', () => {
  it('is a PNG of the company and its three busiest segments, saved for people to look at', async () => {
    const history = sampleHistory();
    const png = await renderMovementChart(history);
    expect([...png.slice(0, 8)]).toEqual(pngSignature);
    const { width, height } = pngSize(png);
    // Two panels across, two down, drawn at twice their size for sharp screens.
    expect(width).toBeGreaterThan(1000);
    expect(height).toBeGreaterThan(600);
    const svg = await movementChartSvg(history);
    for (const name of ['Whole company', 'Retail', 'Enterprise', 'Mid-market']) expect(svg).toContain(`>${name}<`);
    expect(svg).not.toContain('Public sector');
    expect(svg).toContain('Customers won and lost, last 13 weeks');
    await mkdir(path.dirname(artifact), { recursive: true });
    await writeFile(artifact, png);
  });

  it('gives the same bytes for the same data, and other bytes for other data', async () => {
    const first = await renderMovementChart(sampleHistory());
    const again = await renderMovementChart(sampleHistory());
    expect(Buffer.compare(Buffer.from(first), Buffer.from(again))).toBe(0);
    const other = await renderMovementChart(sampleHistory('2026-11-23'));
    expect(Buffer.compare(Buffer.from(first), Buffer.from(other))).not.toBe(0);
  });

  it('says every number in words beside it', () => {
    const lines = movementChartLines(sampleHistory());
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^Whole company, customers won and lost: 24 Aug: won 12, lost 7, net \+5; 31 Aug: won 15, lost 11, net \+4; /,
    );
    expect(lines[0]!.split('; ')).toHaveLength(13);
    expect(lines[0]).toContain('28 Sept: won 15, lost 15, net ±0; 5 Oct');
    expect(lines[0]).toContain('19 Oct: won 12, lost 15, net −3;');
  });

  it('is left out when nobody moved', () => {
    const periods = periodsEndingWith(periodOf('week', '2026-11-16'));
    expect(periods).toHaveLength(13);
    expect(hasMovement(buildMovementHistory(periods, [], 'en-GB'))).toBe(false);
  });
});
