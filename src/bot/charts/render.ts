/**
 * vega-lite spec → SVG → PNG, all in-process and without a native canvas: vega-lite compiles
 * the spec, a headless vega `View` (renderer 'none') writes SVG, and resvg rasterises it with
 * the bundled fonts only, so the bytes do not depend on what the machine has installed.
 */
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, chartFontFiles } from './font.js';

export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize(); // releases timers and listeners a long-running bot would otherwise keep
  }
}

/**
 * `scale` 2 gives a sharp image on phone screens; Telegram recompresses photos anyway. resvg runs
 * on libuv's thread pool (renderAsync), so a chart does not stall other admins' updates.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const image = await renderAsync(svg, resvgOptions(scale));
  return image.asPng();
}

function resvgOptions(scale: number): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: chartFontFiles(),
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
      serifFamily: CHART_FONT_FAMILY,
      monospaceFamily: CHART_FONT_FAMILY,
    },
  };
}

export async function renderSpecPng(spec: TopLevelSpec, scale = 2): Promise<Buffer> {
  return svgToPng(await specToSvg(spec), scale);
}
