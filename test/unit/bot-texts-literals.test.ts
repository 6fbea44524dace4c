/**
 * No sentence the bot or the notifier sends is written in the code: every string and template
 * literal of src/bot and src/notify that holds two words in a row must be a log message, an error
 * for the operator, or one of the few listed below with the reason it is not a text for a person.
 * A new `ctx.reply('Something in English')` fails here; put it in locales/*.ftl instead.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIRS = ['src/bot', 'src/notify'];
/** Texts for the operator's terminal (`joinwatch doctor`, start-up failures), never sent through the bot. */
const OPERATOR_FILES = new Set(['src/bot/self-check.ts']);
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
/** Not texts for a person, each for a reason. */
const ALLOWED = new Map<string, string>([
  ["the account is not the chat's owner", 'the English note the sync stores, recognised so that /links shows it translated'],
]);
const WORD = /^[A-Za-z][a-z']+[,.;:!?]?$/;

/** Two plain words in a row ("not an admin"); commands, links, @names and identifiers are not words. */
function hasSentence(text: string): boolean {
  const tokens = text.split(/\s+/);
  return tokens.some((t, i) => i > 0 && WORD.test(t) && WORD.test(tokens[i - 1] ?? ''));
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The literal is an argument of logger.x(…), new XxxError(…) or a `throw`: words for the operator. */
function forTheOperator(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isThrowStatement(at)) return true;
    if (ts.isNewExpression(at) && /Error$/.test(at.expression.getText())) return true;
    if (ts.isCallExpression(at) && ts.isPropertyAccessExpression(at.expression) && LOG_METHODS.has(at.expression.name.text)) return true;
    if (ts.isImportDeclaration(at) || ts.isExportDeclaration(at)) return true;
    if (ts.isBlock(at) || ts.isSourceFile(at)) return false;
  }
  return false;
}

function hardCodedSentences(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const text =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text
      : ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('${}')
      : undefined;
    if (text !== undefined && hasSentence(text) && !forTheOperator(node) && !ALLOWED.has(text)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative(ROOT, path)}:${line + 1}: ${JSON.stringify(text)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('bot texts', () => {
  it('are not written in the code of the bot and the notifier', () => {
    const all = DIRS.flatMap((d) => files(join(ROOT, d))).filter((f) => !OPERATOR_FILES.has(relative(ROOT, f)));
    expect(all.length).toBeGreaterThan(30);
    expect(all.flatMap(hardCodedSentences)).toEqual([]);
  });

  it('would catch one', () => {
    const source = ts.createSourceFile('sample.ts', "await ctx.reply('Only admins can do this.');\nlogger.warn('a log line is fine');\nawait ctx.reply('/joiners https://t.me/+AbCd');", ts.ScriptTarget.Latest, true);
    const texts: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && hasSentence(node.text) && !forTheOperator(node)) texts.push(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(texts).toEqual(['Only admins can do this.']);
  });
});
