/**
 * Analysts' aggregation pipelines: allow-listed stages only, $match bodies through the analyst
 * filter guard, allow-listed expression operators and accumulators elsewhere, and bounded size.
 * Anything that writes ($out, $merge), reads other collections ($lookup, $unionWith) or runs code
 * ($function, $accumulator, $where, JavaScript) is refused with the stage and operator named.
 */
import { ACCUMULATORS, EXPRESSION_OPERATORS, PIPELINE_STAGES, type PipelineStage } from '../read-store/mingo-aggregate';
import { checkFilter, UnsafeQueryError } from './filter-guard';

export const MAX_STAGES = 20;
export const MAX_PIPELINE_DEPTH = 8;
/** Sub-pipelines of a $facet count towards MAX_STAGES too. */
const STAGES = new Set<string>(PIPELINE_STAGES);
const EXPRESSIONS = new Set<string>(EXPRESSION_OPERATORS);
const ACCUMULATOR_SET = new Set<string>(ACCUMULATORS);
/** Variables an expression may read. */
const VARIABLES = new Set(['$$ROOT', '$$CURRENT', '$$NOW', '$$REMOVE']);
const PROTOTYPE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export class UnsafePipelineError extends Error {
  readonly field = 'pipeline';
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePipelineError';
  }
}

/** Checks `pipeline`; throws UnsafePipelineError naming the stage (by index) and the operator refused. */
export function checkPipeline(pipeline: unknown): PipelineStage[] {
  if (!Array.isArray(pipeline)) throw new UnsafePipelineError('pipeline must be an array of stages');
  checkStages(pipeline, 'pipeline', 1, { stages: 0 });
  return pipeline as PipelineStage[];
}

function checkStages(stages: unknown[], where: string, depth: number, budget: { stages: number }): void {
  budget.stages += stages.length;
  if (budget.stages > MAX_STAGES) throw new UnsafePipelineError(`${where}: pipelines are limited to ${MAX_STAGES} stages`);
  stages.forEach((stage, index) => checkStage(stage, `${where}[${index}]`, depth, budget));
}

function checkStage(stage: unknown, where: string, depth: number, budget: { stages: number }): void {
  if (!isPlainObject(stage) || Object.keys(stage).length !== 1) throw new UnsafePipelineError(`${where}: a stage is an object with exactly one stage operator`);
  const [name, body] = Object.entries(stage)[0];
  const at = `${where}.${name}`;
  if (!STAGES.has(name)) throw new UnsafePipelineError(`${where}: stage ${name} is not allowed in analyst pipelines (allowed: ${PIPELINE_STAGES.join(' ')})`);
  switch (name) {
    case '$match':
      if (!isPlainObject(body)) throw new UnsafePipelineError(`${at}: $match takes a filter object`);
      try {
        checkFilter(body);
      } catch (error) {
        if (error instanceof UnsafeQueryError) throw new UnsafePipelineError(`${at}: ${error.message}`);
        throw error;
      }
      return;
    case '$limit':
    case '$skip':
      if (!Number.isInteger(body) || (body as number) < (name === '$limit' ? 1 : 0)) throw new UnsafePipelineError(`${at}: ${name} takes a ${name === '$limit' ? 'positive' : 'non-negative'} integer`);
      return;
    case '$count':
      if (typeof body !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(body)) throw new UnsafePipelineError(`${at}: $count takes a field name`);
      return;
    case '$sort':
      if (!isPlainObject(body) || Object.keys(body).length === 0) throw new UnsafePipelineError(`${at}: $sort takes { field: 1 | -1 }`);
      for (const [field, direction] of Object.entries(body)) {
        checkKey(field, at);
        if (direction !== 1 && direction !== -1) throw new UnsafePipelineError(`${at}: sort direction for ${field} must be 1 or -1`);
      }
      return;
    case '$unwind':
      if (typeof body === 'string') return checkValue(body, at, depth + 1, 'expression');
      if (!isPlainObject(body) || typeof body.path !== 'string') throw new UnsafePipelineError(`${at}: $unwind takes a field path or { path }`);
      for (const key of Object.keys(body)) if (!['path', 'includeArrayIndex', 'preserveNullAndEmptyArrays'].includes(key)) throw new UnsafePipelineError(`${at}: $unwind does not take ${key}`);
      return;
    case '$facet':
      if (!isPlainObject(body)) throw new UnsafePipelineError(`${at}: $facet takes { name: pipeline }`);
      for (const [facet, sub] of Object.entries(body)) {
        checkKey(facet, at);
        if (!Array.isArray(sub)) throw new UnsafePipelineError(`${at}.${facet}: a facet is a pipeline (an array of stages)`);
        if (depth + 2 > MAX_PIPELINE_DEPTH) throw new UnsafePipelineError(`${at}: the pipeline nests deeper than ${MAX_PIPELINE_DEPTH} levels`);
        checkStages(sub, `${at}.${facet}`, depth + 2, budget);
      }
      return;
    case '$group':
      if (!isPlainObject(body) || !('_id' in body)) throw new UnsafePipelineError(`${at}: $group takes { _id, field: { accumulator } }`);
      for (const [field, value] of Object.entries(body)) {
        if (field === '_id') {
          checkValue(value, `${at}._id`, depth + 2, 'expression');
          continue;
        }
        checkKey(field, at);
        checkAccumulator(value, `${at}.${field}`, depth + 2);
      }
      return;
    case '$bucket':
      if (!isPlainObject(body)) throw new UnsafePipelineError(`${at}: $bucket takes { groupBy, boundaries, default, output }`);
      // MongoDB fails on a value outside the boundaries without a default; both stores answer alike only with one.
      if (!('default' in body) || !Array.isArray(body.boundaries) || body.boundaries.length < 2) throw new UnsafePipelineError(`${at}: $bucket needs groupBy, at least two boundaries and a default`);
      for (const [key, value] of Object.entries(body)) {
        if (key === 'groupBy') checkValue(value, `${at}.groupBy`, depth + 2, 'expression');
        else if (key === 'boundaries' || key === 'default') checkValue(value, `${at}.${key}`, depth + 2, 'literal');
        else if (key === 'output') {
          if (!isPlainObject(value)) throw new UnsafePipelineError(`${at}.output: takes { field: { accumulator } }`);
          for (const [field, accumulator] of Object.entries(value)) {
            checkKey(field, `${at}.output`);
            checkAccumulator(accumulator, `${at}.output.${field}`, depth + 3);
          }
        } else throw new UnsafePipelineError(`${at}: $bucket does not take ${key}`);
      }
      return;
    default:
      // $project, $addFields: field → expression (or 0 / 1 / true / false in $project).
      if (!isPlainObject(body) || Object.keys(body).length === 0) throw new UnsafePipelineError(`${at}: ${name} takes { field: expression }`);
      for (const [field, value] of Object.entries(body)) {
        checkKey(field, at);
        checkValue(value, `${at}.${field}`, depth + 2, 'expression');
      }
  }
}

function checkAccumulator(value: unknown, at: string, depth: number): void {
  if (!isPlainObject(value) || Object.keys(value).length !== 1) throw new UnsafePipelineError(`${at}: takes one accumulator, e.g. { $sum: 1 }`);
  const [operator, operand] = Object.entries(value)[0];
  if (!ACCUMULATOR_SET.has(operator)) throw new UnsafePipelineError(`${at}: accumulator ${operator} is not allowed (allowed: ${ACCUMULATORS.join(' ')})`);
  checkValue(operand, `${at}.${operator}`, depth + 1, 'expression');
}

/**
 * An expression: literals, field paths ("$field"), allowed variables, arrays and objects whose
 * `$` keys are allowed operators. In 'literal' mode no string may start with `$`.
 */
function checkValue(value: unknown, at: string, depth: number, mode: 'expression' | 'literal'): void {
  if (depth > MAX_PIPELINE_DEPTH) throw new UnsafePipelineError(`${at}: the pipeline nests deeper than ${MAX_PIPELINE_DEPTH} levels`);
  if (typeof value === 'string') {
    if (!value.startsWith('$')) return;
    if (mode === 'literal') throw new UnsafePipelineError(`${at}: ${value} must be a literal`);
    if (value.startsWith('$$')) {
      if (!VARIABLES.has(value.split('.')[0])) throw new UnsafePipelineError(`${at}: variable ${value} is not allowed`);
      return;
    }
    return checkKey(value.slice(1), at);
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkValue(item, `${at}[${index}]`, depth + 1, mode);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) {
      if (mode === 'literal' || !(EXPRESSIONS.has(key) || ACCUMULATOR_SET.has(key))) throw new UnsafePipelineError(`${at}: operator ${key} is not allowed in analyst pipelines`);
    } else checkKey(key, at);
    checkValue(child, `${at}.${key}`, depth + 1, mode);
  }
}

/** A field name or path: no empty segments, no prototype segments. */
function checkKey(key: string, at: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(key) || key.split('.').some((segment) => PROTOTYPE_SEGMENTS.has(segment))) {
    throw new UnsafePipelineError(`${at}: ${JSON.stringify(key)} is not a field name`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
