/** POST /v1/read-models/{collection}/aggregate: allow-listed pipelines on the embedded store, refusals named. */
import { purchase, registerCustomer } from '../support/customers';
import { startTestApp, type KeyRole, type TestApp } from '../support/test-app';

let t: TestApp;
let position: string;
beforeAll(async () => {
  t = await startTestApp();
  for (const [outletId, amounts] of [['o-1', [1_000, 2_000, 3_000]], ['o-2', [500]]] as const) {
    const customerId = await registerCustomer(t, { outletId, occurredAt: '2026-01-01T00:00:00.000Z' });
    for (const amount of amounts) {
      const response = await purchase(t, customerId, { outletId, amount, occurredAt: '2026-02-01T00:00:00.000Z' });
      expect(response.status).toBe(201);
      position = response.body.position;
    }
  }
});
afterAll(() => t.destroy());

const aggregate = (collection: string, pipeline: unknown, role: KeyRole = 'analyst', query: Record<string, string> = {}) =>
  t.http().post(`/v1/read-models/${collection}/aggregate`).query(query).set(t.as(role)).send({ pipeline });

describe('POST /v1/read-models/{collection}/aggregate', () => {
  it('runs $match, $group, $sort and $project on the embedded store', async () => {
    const response = await aggregate(
      'purchases',
      [
        { $match: { baseAmount: { $gte: 500 } } },
        { $group: { _id: '$outletId', purchases: { $sum: 1 }, sales: { $sum: '$baseAmount' }, average: { $avg: '$baseAmount' }, largest: { $max: '$baseAmount' } } },
        { $sort: { sales: -1 } },
        { $project: { _id: 0, outletId: '$_id', purchases: 1, sales: 1, average: 1, largest: 1, big: { $cond: [{ $gte: ['$sales', 5_000] }, true, false] } } },
      ],
      'analyst',
      { waitForPosition: position },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        { outletId: 'o-1', purchases: 3, sales: 6_000, average: 2_000, largest: 3_000, big: true },
        { outletId: 'o-2', purchases: 1, sales: 500, average: 500, largest: 500, big: false },
      ],
      truncated: false,
    });
    const facets = await aggregate('customer_profiles', [{ $facet: { total: [{ $count: 'n' }], byOutlet: [{ $group: { _id: '$outletId', n: { $sum: 1 } } }, { $sort: { _id: 1 } }] } }]);
    expect(facets.body.items).toEqual([{ total: [{ n: 2 }], byOutlet: [{ _id: 'o-1', n: 1 }, { _id: 'o-2', n: 1 }] }]);
    const buckets = await aggregate('purchases', [{ $bucket: { groupBy: '$baseAmount', boundaries: [0, 1_000, 10_000], default: 'other', output: { n: { $sum: 1 } } } }]);
    expect(buckets.body.items).toEqual([{ _id: 0, n: 1 }, { _id: 1_000, n: 3 }]);
    const withDefault = await aggregate('purchases', [{ $bucket: { groupBy: '$baseAmount', boundaries: [1_000, 3_000], default: 'other', output: { n: { $sum: 1 } } } }]);
    expect(withDefault.body.items).toEqual([{ _id: 1_000, n: 2 }, { _id: 'other', n: 2 }]);
  });

  it.each([
    ['$out', [{ $match: {} }, { $out: 'stolen' }], 'pipeline[1]: stage $out'],
    ['$merge', [{ $merge: { into: 'stolen' } }], 'pipeline[0]: stage $merge'],
    ['$lookup', [{ $lookup: { from: 'customer_profiles', localField: 'customerId', foreignField: '_id', as: 'p' } }], 'pipeline[0]: stage $lookup'],
    ['$unionWith', [{ $unionWith: 'customer_profiles' }], 'pipeline[0]: stage $unionWith'],
    ['$function', [{ $addFields: { x: { $function: { body: 'function () { return 1 }', args: [], lang: 'js' } } } }], 'operator $function'],
    ['$accumulator', [{ $group: { _id: null, x: { $accumulator: { init: 'function () {}' } } } }], 'accumulator $accumulator'],
    ['$where', [{ $match: { $where: 'this.baseAmount > 0' } }], 'operator $where'],
    ['$expr in $match', [{ $match: { $expr: { $gt: ['$baseAmount', 0] } } }], 'operator $expr'],
    ['too deep', [{ $project: { x: { $add: [{ $add: [{ $add: [{ $add: [{ $add: [1, 1] }] }] }] }] } } }], 'deeper than 8'],
    ['too long', Array.from({ length: 21 }, () => ({ $skip: 0 })), 'no more than 20'],
    ['too long in facets', [{ $facet: { a: Array.from({ length: 10 }, () => ({ $skip: 0 })), b: Array.from({ length: 10 }, () => ({ $skip: 0 })) } }], 'limited to 20 stages'],
    ['a prototype path', [{ $project: { '__proto__.x': 1 } }], 'not a field name'],
  ])('refuses %s (400 VALIDATION_FAILED naming it)', async (_case, pipeline, named) => {
    const response = await aggregate('purchases', pipeline);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'pipeline' })]);
    expect(response.body.detail ?? response.body.errors[0].message).toContain(named);
  });

  it('answers 404 for an unknown read model, 400 for a body without a pipeline, 403 for other roles', async () => {
    expect((await aggregate('events', [{ $count: 'n' }])).status).toBe(404);
    expect((await t.http().post('/v1/read-models/purchases/aggregate').set(t.as('analyst')).send({})).status).toBe(400);
    expect((await aggregate('purchases', [{ $count: 'n' }], 'writer')).status).toBe(403);
    const failing = await aggregate('purchases', [{ $addFields: { d: { $divide: ['$baseAmount', 0] } } }]);
    expect(failing.status).toBe(400);
    expect(failing.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'pipeline', message: expect.stringContaining('the aggregation failed: $divide') })] });
    expect((await aggregate('purchases', [{ $bucket: { groupBy: '$baseAmount', boundaries: [0, 1] } }])).body.errors[0].message).toContain('and a default');
    const counted = await aggregate('purchases', [{ $count: 'n' }]);
    expect(counted.body).toEqual({ items: [{ n: 4 }], truncated: false });
  });
  it('validates its query like the other read-model routes: a waitForPosition that is not a position is 400, not a wait', async () => {
    for (const position of ['%20', 'x', '1%2F1%20', '99999999999999999999999%2F1']) {
      const response = await t.http().post(`/v1/read-models/purchases/aggregate?waitForPosition=${position}`).set(t.as('analyst')).send({ pipeline: [{ $count: 'n' }] });
      expect({ position, status: response.status, code: response.body.code }).toEqual({ position, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
