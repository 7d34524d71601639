/**
 * The one JSON body parser of the API. Limits are checked on the raw text before JSON.parse, and the
 * parsed value is walked (its depth already bounded) before any DTO library sees it: class-transformer
 * recurses without a limit and validator's isEmail throws URIError on a lone surrogate, both 500s.
 */
import { ProblemError, type FieldError } from './problem';

export const BODY_LIMITS = {
  /** Deepest nesting of objects and arrays (the top-level object is depth 1). */
  maxDepth: 32,
  /** Object keys plus array items, counted over the whole body. */
  maxEntries: 10_000,
  /** Longest string value or key, in UTF-16 code units. */
  maxStringLength: 10_000,
} as const;

export const NOT_AN_OBJECT = 'body must be a JSON object';
export const BLANK_STRING = 'blank strings are not values';

/** Keys that would reach an object's prototype if some library copied them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Non-empty and nothing but white space (including zero-width spaces). */
const BLANK = /^[\s\u200b-\u200d\u2060]+$/;

const invalid = (detail: string, errors?: FieldError[]) => new ProblemError(400, 'VALIDATION_FAILED', detail, errors ?? [{ field: 'body', message: detail }]);

/**
 * Counts nesting and entries on the raw text, outside strings; throws at the first limit crossed.
 * It does not check the syntax: JSON.parse does, once the text is known to be small enough in shape.
 */
export function checkShape(text: string): void {
  let depth = 0;
  let entries = 0;
  // containers[i] is '[' or '{' for the open container at depth i + 1; firstItem: right after '['.
  const containers: string[] = [];
  let firstItem = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (firstItem) {
      firstItem = false;
      if (c !== 0x5d /* ] */) entries++;
    }
    if (c === 0x22 /* " */) {
      // skip the string: up to the next unescaped quote
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > BODY_LIMITS.maxDepth) throw invalid(`the body is nested deeper than ${BODY_LIMITS.maxDepth} levels`);
      containers.push(c === 0x5b ? '[' : '{');
      firstItem = c === 0x5b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
      containers.pop();
    } else if (c === 0x3a /* : */ || (c === 0x2c /* , */ && containers[containers.length - 1] === '[')) {
      entries++;
    }
    if (entries > BODY_LIMITS.maxEntries) throw invalid(`the body has more than ${BODY_LIMITS.maxEntries} keys and array items`);
  }
}

/** A lone UTF-16 surrogate: such a string cannot be encoded (URIError, invalid UTF-8 in the store). */
const wellFormed = (s: string): boolean => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Walks the parsed body: string lengths, lone surrogates, blank strings and prototype keys, each named by its path. */
export function checkValues(value: unknown): void {
  const errors: FieldError[] = [];
  const walk = (node: unknown, path: string): void => {
    if (errors.length >= 20) return;
    if (typeof node === 'string') {
      if (node.length > BODY_LIMITS.maxStringLength) errors.push({ field: path, message: `${path} is longer than ${BODY_LIMITS.maxStringLength} characters` });
      else if (!wellFormed(node)) errors.push({ field: path, message: `${path} contains a lone UTF-16 surrogate` });
      else if (BLANK.test(node)) errors.push({ field: path, message: `${path}: ${BLANK_STRING}` });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}.${index}`));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      const field = path ? `${path}.${key}` : key;
      if (key.length > BODY_LIMITS.maxStringLength || !wellFormed(key)) {
        errors.push({ field: path || 'body', message: `a key of ${path || 'the body'} is too long or contains a lone UTF-16 surrogate` });
        continue;
      }
      if (FORBIDDEN_KEYS.has(key)) {
        errors.push({ field, message: `${field} is not an allowed key` });
        continue;
      }
      walk(child, field);
    }
  };
  walk(value, '');
  if (errors.length > 0) throw invalid(errors.map((e) => e.message).join('; '), errors);
}

/** Parses a request body that must be one JSON object within the limits; throws a 400 ProblemError otherwise. */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') throw invalid(NOT_AN_OBJECT);
  checkShape(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(`the body is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(NOT_AN_OBJECT);
  checkValues(value);
  return value as Record<string, unknown>;
}
