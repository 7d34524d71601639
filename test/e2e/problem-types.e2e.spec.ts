import { ERROR_CODES } from '../../src/http/error-codes';
import { startTestApp, uniqueId, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.destroy());

describe('problem types', () => {
  it("points every problem's type at its description, which the service serves without a key", async () => {
    const refused = await t.http().get(`/v1/customers/${uniqueId()}/events`).set(t.as('auditor'));
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', type: '/problems/customer-not-found' });
    const described = await t.http().get(refused.body.type);
    expect(described.status).toBe(200);
    expect(described.body).toEqual({ type: '/problems/customer-not-found', code: 'CUSTOMER_NOT_FOUND', status: 404, description: expect.stringContaining('not registered') });
  });

  it('lists every code the API answers with', async () => {
    const list = await t.http().get('/problems');
    expect(list.status).toBe(200);
    expect(list.body.problems.map((p: { code: string }) => p.code).sort()).toEqual([...ERROR_CODES].sort());
    for (const { type } of list.body.problems) expect((await t.http().get(type)).status).toBe(200);
  });

  it('answers an unknown type with a 404 problem', async () => {
    const unknown = await t.http().get('/problems/no-such-problem');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
