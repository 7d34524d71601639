/**
 * mingo's Aggregator with only the allow-listed stages and operators loaded (the same lists the
 * pipeline guard checks): a stage or operator the guard let through by mistake is unknown here, so
 * nothing that writes ($out, $merge), joins ($lookup, $unionWith) or runs code ($function,
 * $accumulator, $where) can run on the embedded store. `$regex` in $match runs in linear time.
 * Loaded lazily: the query workers pay for it only when an aggregation comes.
 */
import type { Filter } from './read-model-store.port';

/** One aggregation stage, e.g. { $group: { … } }. */
export type PipelineStage = Record<string, unknown>;

export const PIPELINE_STAGES = ['$match', '$group', '$sort', '$limit', '$skip', '$project', '$addFields', '$unwind', '$count', '$bucket', '$facet'] as const;

export const ACCUMULATORS = ['$sum', '$avg', '$min', '$max', '$first', '$last', '$push', '$addToSet', '$count'] as const;

export const EXPRESSION_OPERATORS = [
  // arithmetic
  '$abs', '$add', '$ceil', '$divide', '$exp', '$floor', '$ln', '$log', '$log10', '$mod', '$multiply', '$pow', '$round', '$sqrt', '$subtract', '$trunc',
  // comparison and boolean
  '$cmp', '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$and', '$or', '$not',
  // conditional
  '$cond', '$ifNull',
  // date parts (documents hold ISO strings: $toDate first)
  '$toDate', '$year', '$month', '$week', '$dayOfMonth', '$dayOfWeek', '$dayOfYear', '$hour', '$minute', '$second', '$millisecond', '$isoWeek', '$isoWeekYear', '$isoDayOfWeek', '$dateToString',
  // arrays
  '$size',
] as const;

type Module = Record<string, unknown>;
const pick = (module: Module, names: readonly string[]) => Object.fromEntries(names.filter((name) => name in module).map((name) => [name, module[name]]));

let aggregate: ((docs: Filter[], pipeline: PipelineStage[]) => Record<string, unknown>[]) | null = null;

/** Runs `pipeline` (already checked by the pipeline guard) over `docs`. */
export function runPipeline(docs: Filter[], pipeline: PipelineStage[]): Record<string, unknown>[] {
  if (!aggregate) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Aggregator } = require('mingo/aggregator') as typeof import('mingo/aggregator');
    const { Context } = require('mingo/core') as typeof import('mingo/core');
    const queryOperators = require('mingo/operators/query') as Module;
    const { linearFor } = require('./linear-regex') as typeof import('./linear-regex');
    /* eslint-enable @typescript-eslint/no-require-imports */
    type Ops = NonNullable<Parameters<typeof Context.init>[0]>;
    const $regex = (selector: string, value: unknown, options: unknown) => (queryOperators.$regex as (s: string, v: unknown, o: unknown) => unknown)(selector, linearFor(value as RegExp), options);
    const context = Context.init({
      pipeline: pick(require('mingo/operators/pipeline') as Module, PIPELINE_STAGES) as Ops['pipeline'],
      accumulator: pick(require('mingo/operators/accumulator') as Module, ACCUMULATORS) as Ops['accumulator'],
      // $literal and $in: used by the $bucket rewrite (withoutBuckets) only; the guard does not let analysts name them.
      expression: pick(require('mingo/operators/expression') as Module, [...EXPRESSION_OPERATORS, ...ACCUMULATORS, '$literal', '$in']) as Ops['expression'],
      // Nothing that evaluates expressions or code, even in a $match the guard let through.
      query: { ...Object.fromEntries(Object.entries(queryOperators).filter(([name]) => !['$where', '$expr', '$function', '$jsonSchema'].includes(name))), $regex } as Ops['query'],
    });
    aggregate = (input, stages) => new Aggregator(stages, { context, scriptEnabled: false }).run(input) as Record<string, unknown>[];
  }
  return aggregate(docs, withoutBuckets(pipeline));
}

/**
 * mingo 7's $bucket puts a value equal to an inner boundary in the bucket below it (MongoDB: in the
 * bucket it opens), so the embedded store runs $bucket as the $group MongoDB documents it to be:
 * _id the lower boundary of [b(i), b(i+1)) holding groupBy, else `default`; buckets in boundary
 * order, the default one last. $facet sub-pipelines are rewritten too.
 */
export function withoutBuckets(pipeline: PipelineStage[]): PipelineStage[] {
  return pipeline.flatMap((stage): PipelineStage[] => {
    if ('$facet' in stage) return [{ $facet: Object.fromEntries(Object.entries(stage.$facet as Record<string, PipelineStage[]>).map(([name, sub]) => [name, withoutBuckets(sub)])) }];
    if (!('$bucket' in stage)) return [stage];
    const { groupBy, boundaries, default: fallback = null, output = { count: { $sum: 1 } } } = stage.$bucket as { groupBy: unknown; boundaries: unknown[]; default?: unknown; output?: Record<string, unknown> };
    let key: unknown = { $literal: fallback };
    for (let i = boundaries.length - 2; i >= 0; i--) key = { $cond: [{ $and: [{ $gte: [groupBy, boundaries[i]] }, { $lt: [groupBy, boundaries[i + 1]] }] }, { $literal: boundaries[i] }, key] };
    const isDefault = { $and: [{ $eq: ['$_id', { $literal: fallback }] }, { $not: [{ $in: ['$_id', boundaries.slice(0, -1)] }] }] };
    return [
      { $group: { _id: key, ...output } },
      { $addFields: { __bucketOrder: { $cond: [isDefault, 1, 0] } } },
      { $sort: { __bucketOrder: 1, _id: 1 } },
      { $project: { __bucketOrder: 0 } },
    ];
  });
}
