/**
 * The languages joinwatch speaks, and how a Telegram `language_code` maps onto them: `ru`, `ru-RU`
 * … are Russian, `en*` English, anything else is not one of ours (the caller falls back to English).
 */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The locale a language code names, or undefined when joinwatch does not speak it. */
export function toLocale(code: string | null | undefined): Locale | undefined {
  const primary = code?.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.find((l) => l === primary);
}

export function isLocale(code: string): code is Locale {
  return (LOCALES as readonly string[]).includes(code);
}
