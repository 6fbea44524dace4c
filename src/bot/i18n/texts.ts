/**
 * Every text joinwatch sends comes from `locales/<locale>.ftl` (Fluent) through @grammyjs/i18n's
 * `I18n`: the bot installs its middleware (ctx.t), the notifier and the views use `textsFor(locale)`.
 * Values put into a text are HTML the caller already escaped (views/html.ts); Fluent's bidi isolation
 * marks are off (`useIsolating: false`): they would break @mentions, t.me links and copying, and
 * user text is isolated deliberately where it needs it (`userText`). Numbers given as numbers are
 * formatted for the locale by Fluent (Intl.NumberFormat); ids and dates are passed as strings.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { I18n, TranslateWarnings, type TranslationVariables } from '@grammyjs/i18n';
import { DEFAULT_LOCALE, LOCALES, type Locale } from './locale.js';

/** locales/ at the repository root, found from this file in src/bot/i18n/ (tsx and tests alike). */
export const LOCALES_DIR = fileURLToPath(new URL('../../../locales/', import.meta.url));

export type TextVars = Record<string, string | number>;

/** A text not yet rendered: its key and values (reasons carried from where they arise to where they are shown). */
export interface Phrase {
  readonly key: string;
  readonly vars?: TextVars;
}

/** The texts of one locale. */
export interface Texts {
  readonly locale: Locale;
  t(key: string, vars?: TextVars): string;
  /** A number as the locale writes it ("1,200", "1 200"). */
  number(n: number): string;
  /** A share (0.85) as a whole percentage the locale's way ("85%", "85 %"). */
  percent(share: number): string;
  phrase(p: Phrase): string;
}

let shared: I18n | undefined;

/** The one I18n instance of the process (the bot's middleware and the notifier share it). */
export function i18n(): I18n {
  shared ??= createI18n();
  return shared;
}

function createI18n(): I18n {
  const instance = new I18n({
    defaultLocale: DEFAULT_LOCALE,
    fluentBundleOptions: { useIsolating: false },
    fluentOptions: {
      warningHandler: (w) => {
        // A key missing in one language falls back to English (the locale test keeps the files in step);
        // a key no file has is a bug in the code that asked for it.
        if (w.type === TranslateWarnings.MISSING_TRANSLATION) throw new Error(`no text "${w.path}" in ${LOCALES_DIR}`);
      },
    },
  });
  for (const locale of LOCALES) instance.loadLocaleSync(locale, { filePath: join(LOCALES_DIR, `${locale}.ftl`) });
  return instance;
}

const cache = new Map<Locale, Texts>();

export function textsFor(locale: Locale): Texts {
  let texts = cache.get(locale);
  if (!texts) {
    const numbers = new Intl.NumberFormat(locale);
    const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const t = (key: string, vars?: TextVars): string => i18n().t(locale, key, vars as TranslationVariables | undefined);
    texts = { locale, t, number: (n) => numbers.format(n), percent: (share) => percents.format(share), phrase: (p) => t(p.key, p.vars) };
    cache.set(locale, texts);
  }
  return texts;
}
