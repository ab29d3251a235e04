// The movement chart as a PNG: customers won (or come back) and lost per period as bars, the
// net as a line, one panel for the company and one for each of the busiest segments.
// Vega-Lite describes the chart, Vega lays it out as SVG without a browser or a canvas, and
// resvg (compiled to WebAssembly, so no native binary) draws the SVG with a font we ship.
// No system font is read and nothing is timed or random, so the same data gives the same bytes.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MovementHistory } from '../domain/movementHistory.js';
import { movementChartTitle, seriesName } from './movementWords.js';

export const chartFontFamily = 'DejaVu Sans';
/** Drawn at twice its layout size, so it stays sharp on high-density screens. */
const zoom = 2;

const colours = { gained: '#2e7d32', lost: '#c62828', net: '#1a1a1a' };

/** The Vega-Lite description of the chart: data inlined, so it can be compiled anywhere. */
export function movementChartSpec(history: MovementHistory): TopLevelSpec {
  const names = history.series.map((series) => seriesName(series.segment));
  const labels = history.series[0]?.points.map((point) => point.label) ?? [];
  const values = history.series.flatMap((series) =>
    series.points.flatMap((point) => [
      { series: seriesName(series.segment), label: point.label, measure: 'Won or came back', value: point.gained },
      { series: seriesName(series.segment), label: point.label, measure: 'Lost', value: -point.lost },
      { series: seriesName(series.segment), label: point.label, measure: 'Net', value: point.net },
    ]),
  );
  const x = { field: 'label', type: 'ordinal', sort: labels, title: null, axis: { labelAngle: -45 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: movementChartTitle(history), anchor: 'start', fontSize: 15 },
    background: 'white',
    padding: 12,
    config: {
      font: chartFontFamily,
      view: { stroke: null },
      axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 11, orient: 'bottom', title: null },
      header: { labelFontSize: 13, labelFontWeight: 'bold', labelAnchor: 'start', title: null },
    },
    data: { values },
    facet: { field: 'series', type: 'nominal', sort: names, title: null },
    columns: Math.min(2, names.length),
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 140,
      encoding: { x },
      layer: [
        {
          transform: [{ filter: "datum.measure !== 'Net'" }],
          mark: { type: 'bar', width: { band: 0.7 } },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'customers', axis: { tickMinStep: 1, format: 'd' } },
            color: {
              field: 'measure',
              type: 'nominal',
              scale: {
                domain: ['Won or came back', 'Lost', 'Net'],
                range: [colours.gained, colours.lost, colours.net],
              },
            },
          },
        },
        {
          transform: [{ filter: "datum.measure === 'Net'" }],
          mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 2 },
          encoding: {
            y: { field: 'value', type: 'quantitative' },
            color: { field: 'measure', type: 'nominal' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

/** The chart as SVG text: Vega's own renderer, headless. */
export async function movementChartSvg(history: MovementHistory): Promise<string> {
  const view = new View(parse(compile(movementChartSpec(history)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

let ready: Promise<{ font: Uint8Array }> | undefined;

/** Loads resvg's WebAssembly and the font once per process. */
function renderer(): Promise<{ font: Uint8Array }> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const [wasm, font] = await Promise.all([
      readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    ]);
    await initWasm(wasm);
    return { font: new Uint8Array(font) };
  })();
  return ready;
}

/** SVG text to PNG bytes, with only the shipped font. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { font } = await renderer();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: { fontBuffers: [font], defaultFontFamily: chartFontFamily, sansSerifFamily: chartFontFamily },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** The movement chart as PNG bytes: the same history always gives the same bytes. */
export async function renderMovementChart(history: MovementHistory): Promise<Uint8Array> {
  return svgToPng(await movementChartSvg(history));
}

/** PNG bytes as a data URI, for pages that load nothing from elsewhere. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
