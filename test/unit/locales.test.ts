/**
 * The translation files stay in step: every key is in both languages with the same variables,
 * both files parse without junk (Fluent skips a broken entry silently, and the text would fall
 * back to English), every key the code asks for exists, no text is dead, and every text formats
 * in both languages. Russian plurals are checked where a wrong form would show ("1 запросов").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, Visitor, type Message, type Resource, type VariableReference } from '@fluent/syntax';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/bot/i18n/locale.js';
import { LOCALES_DIR, textsFor } from '../../src/bot/i18n/texts.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function resource(locale: string): Resource {
  return parse(readFileSync(join(LOCALES_DIR, `${locale}.ftl`), 'utf8'), {});
}

class Variables extends Visitor {
  readonly names = new Set<string>();
  override visitVariableReference(node: VariableReference): void {
    this.names.add(node.id.name);
  }
}

/** Each message's variables (in its value, every variant and every attribute). */
function messages(locale: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of resource(locale).body) {
    if (entry.type !== 'Message') continue;
    const visitor = new Variables();
    visitor.visit(entry as Message);
    out.set((entry as Message).id.name, [...visitor.names].sort());
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sandbox' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every literal in the product code shaped like a text key (`pending-head`), and the prefixes of keys built at run time. */
function keysInCode(): { literal: Set<string>; prefixes: Set<string> } {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'/g)) literal.add(m[1]!);
    for (const m of text.matchAll(/\bt\(`([a-z][a-z0-9]*(?:-[a-z0-9]+)*-)\$\{/g)) prefixes.add(m[1]!);
  }
  return { literal, prefixes };
}

const en = messages('en');

describe('locales/*.ftl', () => {
  it('parse without junk in every language', () => {
    for (const locale of LOCALES) {
      const junk = resource(locale).body.filter((e) => e.type === 'Junk').map((e) => (e as { content: string }).content.slice(0, 80));
      expect(junk, `${locale}.ftl`).toEqual([]);
    }
  });

  it('have the same keys with the same variables in every language', () => {
    for (const locale of LOCALES) {
      const other = messages(locale);
      expect([...other.keys()].sort(), `keys of ${locale}.ftl`).toEqual([...en.keys()].sort());
      for (const [key, vars] of en) expect(other.get(key), `variables of ${key} in ${locale}.ftl`).toEqual(vars);
    }
  });

  it('hold every key the code asks for, and no text the code never uses', () => {
    const { literal, prefixes } = keysInCode();
    const keys = new Set(en.keys());
    // Literals of the key shape that are not texts (file name parts, CSS-like values) would show up here.
    const missing = [...literal].filter((k) => !keys.has(k) && [...keys].some((key) => key.split('-')[0] === k.split('-')[0]));
    expect(missing).toEqual([]);
    const unused = [...keys].filter((k) => !literal.has(k) && ![...prefixes].some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
    expect([...prefixes].sort()).toEqual(['command-', 'language-name-']);
  });

  it('format every text in every language, with no placeholder left', () => {
    for (const locale of LOCALES) {
      const tx = textsFor(locale);
      for (const [key, vars] of en) {
        const text = tx.t(key, Object.fromEntries(vars.map((v) => [v, 3])));
        expect(text, `${locale}: ${key}`).not.toMatch(/\{\$?[a-z-]*\}/i);
        // Fluent's own bidi isolation is off: it would break @mentions, t.me links and copying.
        expect(text, `${locale}: ${key}`).not.toMatch(/[\u2068\u2069]/);
        expect(text.length, `${locale}: ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('say everything in Russian in ru.ftl (names of languages, formats and codes aside)', () => {
    const tx = textsFor('ru');
    // Names of languages, date patterns, an example command, and texts that only arrange their values with punctuation.
    const notWords = new Set(['language-name-en', 'format-date', 'format-time', 'format-date-time', 'stats-chart-day-format', 'export-example', 'request-bio', 'whois-status-by', 'whois-status-on', 'digest-line']);
    const english = [...en].filter(([key]) => !notWords.has(key)).filter(([key, vars]) => {
      const text = tx.t(key, Object.fromEntries(vars.map((v) => [v, 3])));
      return !/[а-яё]/i.test(text);
    });
    expect(english.map(([key]) => key)).toEqual([]);
  });
});

describe('Russian plurals', () => {
  const ru = textsFor('ru');
  it.each([
    [1, '1 заявка'],
    [2, '2 заявки'],
    [4, '4 заявки'],
    [5, '5 заявок'],
    [11, '11 заявок'],
    [12, '12 заявок'],
    [21, '21 заявка'],
    [22, '22 заявки'],
    [25, '25 заявок'],
    [111, '111 заявок'],
    [1200, '1\u00a0200 заявок'],
  ])('%i → %s', (count, words) => {
    expect(ru.t('pending-head', { count, chat: 'X' })).toBe(`<b>${words} на вступление</b> в X`);
  });
  it('agree in the other countable texts', () => {
    expect(ru.t('digest-head', { count: 3, chat: 'X' })).toContain('3 новые заявки');
    expect(ru.t('digest-head', { count: 1, chat: 'X' })).toContain('1 новая заявка');
    expect(ru.t('links-title', { count: 5, chat: 'X' })).toContain('5 пригласительных ссылок');
    expect(ru.t('ago-days', { count: 2 })).toBe('2 дня назад');
    expect(ru.t('ago-days', { count: 21 })).toBe('21 день назад');
    expect(ru.t('raid-count', { count: 60, minutes: 1, where: 'по всему чату', usual: 'обычно меньше 1' })).toMatch(/^60 вступлений за 1 мин/);
    expect(ru.t('bulk-confirm', { action: 'approve', count: 2, chat: 'X' })).toMatch(/^Одобрить все 2 заявки в X\?/);
    expect(ru.t('duration-days', { days: 2.5 })).toBe('2,5 дня');
  });
  it('English says one request, two requests', () => {
    const tx = textsFor('en');
    expect(tx.t('pending-head', { count: 1, chat: 'X' })).toBe('<b>1 pending request</b> in X');
    expect(tx.t('pending-head', { count: 1200, chat: 'X' })).toBe('<b>1,200 pending requests</b> in X');
  });
});
