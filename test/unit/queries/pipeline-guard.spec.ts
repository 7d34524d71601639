import { checkPipeline, UnsafePipelineError } from '../../../src/queries/pipeline-guard';
import { runPipeline } from '../../../src/read-store/mingo-aggregate';

const refusal = (pipeline: unknown): string => {
  try {
    checkPipeline(pipeline);
  } catch (error) {
    if (error instanceof UnsafePipelineError) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('pipeline guard', () => {
  it('accepts the allowed stages with conditionals, date parts and accumulators, and mingo runs them', () => {
    const pipeline = checkPipeline([
      { $match: { occurredAt: { $gte: '2026-01-01' } } },
      { $addFields: { month: { $dateToString: { format: '%Y-%m', date: { $toDate: '$occurredAt' } } }, year: { $year: { $toDate: '$occurredAt' } }, amount: { $ifNull: ['$baseAmount', 0] } } },
      { $project: { month: 1, year: 1, amount: 1, size: { $cond: { if: { $gte: ['$amount', 1_000] }, then: 'big', else: 'small' } }, half: { $round: [{ $divide: ['$amount', 2] }, 0] } } },
      { $group: { _id: { month: '$month', size: '$size' }, n: { $sum: 1 }, total: { $sum: '$amount' }, ids: { $push: '$_id' }, top: { $max: '$half' } } },
      { $sort: { '_id.month': 1, '_id.size': 1 } },
      { $skip: 0 },
      { $limit: 10 },
    ]);
    const docs = [
      { _id: 'a', occurredAt: '2026-01-05T00:00:00.000Z', baseAmount: 500 },
      { _id: 'b', occurredAt: '2026-01-20T00:00:00.000Z', baseAmount: 3_000 },
      { _id: 'c', occurredAt: '2026-02-01T00:00:00.000Z' },
      { _id: 'd', occurredAt: '2025-12-31T00:00:00.000Z', baseAmount: 9 },
    ];
    expect(runPipeline(docs, pipeline)).toEqual([
      { _id: { month: '2026-01', size: 'big' }, n: 1, total: 3_000, ids: ['b'], top: 1_500 },
      { _id: { month: '2026-01', size: 'small' }, n: 1, total: 500, ids: ['a'], top: 250 },
      { _id: { month: '2026-02', size: 'small' }, n: 1, total: 0, ids: ['c'], top: 0 },
    ]);
  });

  it('names the stage and the operator it refuses', () => {
    expect(refusal([{ $match: {} }, { $out: 'x' }])).toMatch(/^pipeline\[1\]: stage \$out is not allowed/);
    expect(refusal([{ $facet: { a: [{ $lookup: { from: 'x' } }] } }])).toMatch(/^pipeline\[0\]\.\$facet\.a\[0\]: stage \$lookup/);
    expect(refusal([{ $project: { x: { $function: { body: 'return 1', args: [], lang: 'js' } } } }])).toContain('operator $function');
    expect(refusal([{ $group: { _id: null, x: { $accumulator: {} } } }])).toContain('accumulator $accumulator');
    expect(refusal([{ $match: { $where: 'true' } }])).toContain('pipeline[0].$match: operator $where');
    expect(refusal([{ $addFields: { x: '$$CLUSTER_TIME' } }])).toContain('variable $$CLUSTER_TIME');
    expect(refusal([{ $bucket: { groupBy: '$a', boundaries: ['$b', 2], default: 'other' } }])).toContain('must be a literal');
    expect(refusal([{ $sort: { a: 2 } }])).toContain('1 or -1');
    expect(refusal([{ $limit: 0 }])).toContain('positive integer');
    expect(refusal([{ $group: { _id: null }, $sort: { a: 1 } }])).toContain('exactly one stage operator');
    expect(refusal({ $match: {} })).toBe('pipeline must be an array of stages');
    expect(refusal(Array.from({ length: 21 }, () => ({ $skip: 0 })))).toContain('limited to 20 stages');
    let deep: unknown = 1;
    for (let i = 0; i < 8; i++) deep = { $abs: deep };
    expect(refusal([{ $project: { x: deep } }])).toContain('deeper than 8');
  });
});
