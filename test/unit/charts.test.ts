import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chartLabels, renderDailyChart } from '../../src/bot/charts/daily-chart.js';
import { textsFor } from '../../src/bot/i18n/texts.js';

const labels = chartLabels(textsFor('en'));
import { fillDays, utcDay } from '../../src/bot/charts/daily-series.js';
import { svgToPng } from '../../src/bot/charts/render.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Decoded {
  width: number;
  height: number;
  rgba: Buffer;
}

/** A minimal PNG reader (8-bit RGBA, non-interlaced: what resvg writes), to look at the pixels. */
function decodePng(png: Buffer): Decoded {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]); // bit depth, RGBA, no interlace
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      rgba[y * stride + x] = (v + unfilter(filter, a, b, c)) & 0xff;
    }
  }
  return { width, height, rgba };
}

function unfilter(filter: number, a: number, b: number, c: number): number {
  if (filter === 0) return 0;
  if (filter === 1) return a;
  if (filter === 2) return b;
  if (filter === 3) return (a + b) >> 1;
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function countPixels(img: Decoded, match: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < img.rgba.length; i += 4) if (match(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!)) n++;
  return n;
}

const near = (r: number, g: number, b: number, target: [number, number, number]) =>
  Math.abs(r - target[0]) + Math.abs(g - target[1]) + Math.abs(b - target[2]) < 30;

const END = Date.UTC(2026, 0, 14, 15, 0, 0) / 1000;

describe('fillDays', () => {
  it('fills quiet days with zeros, keeps order, drops days outside the window', () => {
    const days = fillDays(
      [
        { day: '2026-01-12', joins: 4, requests: 1 },
        { day: '2025-12-01', joins: 99, requests: 99 },
      ],
      END,
      4,
    );
    expect(days).toEqual([
      { day: '2026-01-11', joins: 0, requests: 0 },
      { day: '2026-01-12', joins: 4, requests: 1 },
      { day: '2026-01-13', joins: 0, requests: 0 },
      { day: '2026-01-14', joins: 0, requests: 0 },
    ]);
    expect(utcDay(END)).toBe('2026-01-14');
  });
});

describe('renderDailyChart', () => {
  it('is a PNG with the expected size and both series drawn', async () => {
    const rows = Array.from({ length: 14 }, (_, i) => ({
      day: utcDay(END - i * 86_400),
      joins: 10 + ((i * 7) % 11),
      requests: 2 + (i % 4),
    }));
    const png = await renderDailyChart({ rows, endUnix: END, days: 14, title: 'Joins & requests <test>', labels });
    const img = decodePng(png);
    // 640x280 plot plus axes, legend, title and padding, drawn at 2x.
    expect(img.width).toBeGreaterThan(1300);
    expect(img.width).toBeLessThan(1700);
    expect(img.height).toBeGreaterThan(600);
    expect(img.height).toBeLessThan(900);
    const total = img.width * img.height;
    const white = countPixels(img, (r, g, b) => r > 250 && g > 250 && b > 250);
    expect(white / total).toBeGreaterThan(0.5); // mostly background…
    expect(white / total).toBeLessThan(0.99); // …but not blank
    expect(countPixels(img, (r, g, b) => near(r, g, b, [0x2a, 0x7a, 0xb0]))).toBeGreaterThan(500); // joins line
    expect(countPixels(img, (r, g, b) => near(r, g, b, [0xe0, 0x8a, 0x1e]))).toBeGreaterThan(500); // requests line
  });

  it('renders the same bytes twice (deterministic, machine fonts unused)', async () => {
    const input = { rows: [{ day: '2026-01-14', joins: 3, requests: 1 }], endUnix: END, days: 7, title: 'x', labels };
    const a = await renderDailyChart(input);
    const b = await renderDailyChart(input);
    expect(a.equals(b)).toBe(true);
  });

  it('draws an empty period without failing', async () => {
    const img = decodePng(await renderDailyChart({ rows: [], endUnix: END, days: 30, title: 'nothing yet', labels }));
    expect(img.width).toBeGreaterThan(0);
  });
});

describe('svgToPng fonts', () => {
  it("draws text with the bundled font (a text-only SVG gets dark pixels)", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/>' +
      '<text x="5" y="30" font-family="sans-serif" font-size="28" fill="black">Joins 123</text></svg>';
    const img = decodePng(await svgToPng(svg, 1));
    expect([img.width, img.height]).toEqual([200, 40]);
    expect(countPixels(img, (r, g, b) => r < 80 && g < 80 && b < 80)).toBeGreaterThan(300);
  });
});
