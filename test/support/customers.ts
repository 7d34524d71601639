/** Small request builders the e2e tests share. */
import type { TestApp } from './test-app';
import { uniqueId } from './test-app';

export async function registerCustomer(t: TestApp, body: Record<string, unknown> = {}): Promise<string> {
  const customerId = (body.customerId as string | undefined) ?? uniqueId();
  const response = await t.http().post('/v1/customers').set(t.as('writer')).send({ customerId, name: 'Li Wei', email: 'li.wei@example.com', ...body });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return customerId;
}

export const purchase = (t: TestApp, customerId: string, body: Record<string, unknown> = {}) =>
  t.http().post(`/v1/customers/${customerId}/purchases`).set(t.as('writer')).send({ purchaseId: uniqueId('p'), amount: 10099, currency: 'CNY', ...body });
