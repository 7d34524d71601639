/**
 * Analysts send MongoDB filters as JSON. Only data-matching operators pass: nothing that runs
 * code ($where, $function, $accumulator, $expr), only regular expressions that run in linear time, and no query
 * so deep or wide that evaluating it becomes the attack.
 */
import { compileLinear, REGEX_FLAGS } from '../read-store/linear-regex';
import type { Filter, Sort } from '../read-store/read-model-store.port';

export class UnsafeQueryError extends Error {
  constructor(
    readonly field: 'filter' | 'sort',
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeQueryError';
  }
}

export const MAX_DEPTH = 8;
export const MAX_CLAUSES = 100;
export const MAX_REGEX_LENGTH = 128;

const VALUE_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$size', '$regex', '$options', '$not', '$elemMatch', '$all']);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** Path segments that would reach an object's prototype in a query engine written in JavaScript. */
const PROTOTYPE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

const isFieldPath = (path: string): boolean => FIELD.test(path) && !path.split('.').some((segment) => PROTOTYPE_SEGMENTS.has(segment));

/** Parses and checks `filter` and `sort` query parameters; throws UnsafeQueryError naming what is refused. */
export function checkAnalystQuery(query: { filter?: string; sort?: string }): { filter?: Filter; sort?: Sort } {
  const result: { filter?: Filter; sort?: Sort } = {};
  if (query.filter !== undefined) result.filter = checkFilter(parseObject('filter', query.filter));
  if (query.sort !== undefined) result.sort = checkSort(parseObject('sort', query.sort));
  return result;
}

export function checkFilter(filter: Record<string, unknown>): Filter {
  const budget = { clauses: 0 };
  checkQueryObject(filter, 1, budget);
  return filter;
}

function checkSort(sort: Record<string, unknown>): Sort {
  const entries = Object.entries(sort);
  if (entries.length > 8) throw new UnsafeQueryError('sort', 'sort accepts at most 8 fields');
  for (const [field, direction] of entries) {
    if (!isFieldPath(field)) throw new UnsafeQueryError('sort', `sort field ${JSON.stringify(field)} is not a field path`);
    if (direction !== 1 && direction !== -1) throw new UnsafeQueryError('sort', `sort direction for ${field} must be 1 or -1`);
  }
  return sort as Sort;
}

function parseObject(field: 'filter' | 'sort', text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnsafeQueryError(field, `${field} is not valid JSON`);
  }
  if (!isPlainObject(value)) throw new UnsafeQueryError(field, `${field} must be a JSON object`);
  return value;
}

/** A query document: field paths and top-level logical operators. */
function checkQueryObject(query: Record<string, unknown>, depth: number, budget: { clauses: number }): void {
  guardSize(depth, budget, Object.keys(query).length);
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) {
      if (!LOGICAL_OPERATORS.has(key)) throw refused(key);
      if (!Array.isArray(value) || value.length === 0) throw new UnsafeQueryError('filter', `${key} takes a non-empty array of filters`);
      guardSize(depth + 1, budget, value.length);
      for (const clause of value) {
        if (!isPlainObject(clause)) throw new UnsafeQueryError('filter', `${key} takes an array of filter objects`);
        checkQueryObject(clause, depth + 2, budget);
      }
    } else {
      if (!isFieldPath(key)) throw new UnsafeQueryError('filter', `filter field ${JSON.stringify(key)} is not a field path`);
      checkCondition(key, value, depth + 1, budget);
    }
  }
}

/** The condition on one field: a literal, or an object of value operators. */
function checkCondition(field: string, condition: unknown, depth: number, budget: { clauses: number }): void {
  if (!isPlainObject(condition) || !Object.keys(condition).some((key) => key.startsWith('$'))) {
    checkLiteral(condition, depth, budget);
    return;
  }
  guardSize(depth, budget, Object.keys(condition).length);
  for (const [operator, operand] of Object.entries(condition)) {
    if (!VALUE_OPERATORS.has(operator)) throw refused(operator);
    switch (operator) {
      case '$regex':
        checkRegex(field, operand, condition.$options);
        break;
      case '$options':
        if (condition.$regex === undefined) throw new UnsafeQueryError('filter', '$options needs $regex');
        break;
      case '$not':
        if (!isPlainObject(operand)) throw new UnsafeQueryError('filter', '$not takes an operator object');
        checkCondition(field, operand, depth + 1, budget);
        break;
      case '$elemMatch':
        if (!isPlainObject(operand)) throw new UnsafeQueryError('filter', '$elemMatch takes a filter object');
        checkQueryObject(operand, depth + 1, budget);
        break;
      case '$in':
      case '$nin':
      case '$all':
        if (!Array.isArray(operand)) throw new UnsafeQueryError('filter', `${operator} takes an array`);
        checkLiteral(operand, depth + 1, budget);
        break;
      case '$size':
        if (!Number.isInteger(operand) || (operand as number) < 0) throw new UnsafeQueryError('filter', '$size takes a non-negative integer');
        break;
      case '$exists':
        if (typeof operand !== 'boolean') throw new UnsafeQueryError('filter', '$exists takes true or false');
        break;
      default:
        checkLiteral(operand, depth + 1, budget);
    }
  }
}

/** Plain JSON values; an operator hidden inside one (e.g. {"a": [{"$where": …}]}) is refused too. */
function checkLiteral(value: unknown, depth: number, budget: { clauses: number }): void {
  if (value === null || typeof value !== 'object') return;
  const children = Array.isArray(value) ? value : Object.values(value);
  if (!Array.isArray(value)) {
    const operator = Object.keys(value).find((key) => key.startsWith('$'));
    if (operator) throw refused(operator);
  }
  guardSize(depth, budget, children.length);
  for (const child of children) checkLiteral(child, depth + 1, budget);
}

/**
 * Patterns must be RE2 syntax (no backreferences or lookaround), which the embedded store runs in
 * linear time; length is bounded so that compiling one stays cheap.
 */
function checkRegex(field: string, pattern: unknown, options: unknown): void {
  if (typeof pattern !== 'string') throw new UnsafeQueryError('filter', `$regex on ${field} takes a string pattern`);
  if (pattern.length > MAX_REGEX_LENGTH) throw new UnsafeQueryError('filter', `$regex on ${field} is longer than ${MAX_REGEX_LENGTH} characters`);
  if (options !== undefined && (typeof options !== 'string' || !REGEX_FLAGS.test(options))) {
    throw new UnsafeQueryError('filter', '$options accepts only the flags i, m and s');
  }
  try {
    compileLinear(pattern, options);
  } catch (error) {
    throw new UnsafeQueryError('filter', `$regex on ${field} is not a supported regular expression (RE2 syntax: no backreferences or lookaround): ${(error as Error).message}`);
  }
}

function guardSize(depth: number, budget: { clauses: number }, clauses: number): void {
  if (depth > MAX_DEPTH) throw new UnsafeQueryError('filter', `filter nests deeper than ${MAX_DEPTH} levels`);
  budget.clauses += clauses;
  if (budget.clauses > MAX_CLAUSES) throw new UnsafeQueryError('filter', `filter has more than ${MAX_CLAUSES} clauses`);
}

const refused = (operator: string) => new UnsafeQueryError('filter', `operator ${operator} is not allowed in analyst filters`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
