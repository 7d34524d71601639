/**
 * Analysts' regular expressions run on RE2 (re2js: linear time in the input, whatever the
 * pattern), never on JavaScript's backtracking engine, so `(a|a)*b` cannot freeze the process.
 * MongoDB evaluates them itself, under the query time limit.
 */
import { RE2JS } from 're2js';

/** The flags an analyst may give in `$options`; RE2 has no extended mode (`x`). */
export const REGEX_FLAGS = /^[ims]*$/;

/** Compiles an analyst pattern for RE2; throws a message naming what RE2 does not accept. */
export function compileLinear(pattern: string, options = ''): RE2JS {
  let flags = 0;
  if (options.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (options.includes('m')) flags |= RE2JS.MULTILINE;
  if (options.includes('s')) flags |= RE2JS.DOTALL;
  return RE2JS.compile(pattern, flags);
}

/** What mingo's `$regex` predicate calls: `exec`, answered by RE2. */
interface LinearMatcher {
  exec(input: string): unknown[] | null;
}

const matchers = new Map<string, LinearMatcher>();
const MAX_CACHED = 256;

/** RE2 in place of the RegExp mingo compiled (compiling a pattern is safe; only matching backtracks). */
export function linearFor(regex: RegExp): LinearMatcher {
  const key = `${regex.flags}/${regex.source}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    const linear = compileLinear(regex.source, regex.flags);
    matcher = { exec: (input) => (linear.test(input) ? [input] : null) };
    if (matchers.size >= MAX_CACHED) matchers.delete(matchers.keys().next().value as string);
    matchers.set(key, matcher);
  }
  return matcher;
}

