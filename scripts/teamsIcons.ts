// npm run teams:icons: draws the Teams app icons once (they are committed). Rising bars,
// the customer asset growing: full colour at 192×192 with the symbol inside the central
// 120×120, as Teams asks, and white on transparent at 32×32 for the outline.
import { writeFile } from 'node:fs/promises';
import { encodePng, type Rgba } from './png.js';

const accent = [0x1f, 0x6f, 0xeb] as const;

function canvas(size: number): Rgba {
  return { width: size, height: size, pixels: new Uint8Array(size * size * 4) };
}

function fill(
  image: Rgba,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  [r, g, b, a]: readonly [number, number, number, number],
) {
  for (let y = Math.max(0, y0); y < Math.min(image.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(image.width, x1); x++)
      image.pixels.set([r, g, b, a], (y * image.width + x) * 4);
  }
}

/** Three bars rising left to right, standing on a base line, inside the box (x, y, size). */
function bars(image: Rgba, x: number, y: number, size: number, colour: readonly [number, number, number, number]) {
  const unit = size / 15;
  const barWidth = Math.round(unit * 3);
  const gap = Math.round(unit * 2);
  const base = Math.round(y + size - unit * 2);
  [0.45, 0.7, 1].forEach((height, index) => {
    const left = Math.round(x + unit * 1.5 + index * (barWidth + gap));
    fill(image, left, Math.round(base - (size - unit * 3) * height), left + barWidth, base, colour);
  });
  fill(
    image,
    Math.round(x + unit * 0.5),
    base + Math.max(1, Math.round(unit * 0.5)),
    Math.round(x + size - unit * 0.5),
    base + Math.max(2, Math.round(unit * 1.2)),
    colour,
  );
}

export function colourIcon(): Rgba {
  const image = canvas(192);
  fill(image, 0, 0, 192, 192, [...accent, 255]);
  bars(image, 36, 36, 120, [255, 255, 255, 255]);
  return image;
}

export function outlineIcon(): Rgba {
  const image = canvas(32);
  bars(image, 1, 1, 30, [255, 255, 255, 255]);
  return image;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile('manifests/teams/color.png', encodePng(colourIcon()));
  await writeFile('manifests/teams/outline.png', encodePng(outlineIcon()));
  console.log('wrote manifests/teams/color.png (192×192) and manifests/teams/outline.png (32×32)');
}
