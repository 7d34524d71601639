/** Appends what time alone has made due up to `occurredAt` (the evaluation's asOf): stage, expiry, review, SLA. */
export type EvaluateCustomer = { type: 'EvaluateCustomer'; data: { customerId: string; occurredAt: string } };

export type LifecycleCommand = EvaluateCustomer;
