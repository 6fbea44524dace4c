/**
 * The chart's fonts, shipped as npm files so a PNG looks the same on every machine: resvg
 * draws no text without a real font file, and the system's fonts differ (or are absent in CI).
 * Inter's TTFs come from `@expo-google-fonts/inter` (OFL-1.1); system fonts are never loaded.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const CHART_FONT_FAMILY = 'Inter';

let cached: string[] | undefined;

/** Absolute paths of the regular and bold faces (titles are bold). */
export function chartFontFiles(): string[] {
  cached ??= [
    require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
    require.resolve('@expo-google-fonts/inter/700Bold/Inter_700Bold.ttf'),
  ];
  return cached;
}
