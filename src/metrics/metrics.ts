/** Prometheus metrics of one app instance: its own registry, so several apps in a process never share counters. */
import { Counter, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly appendedEvents = new Counter({
    name: 'ledger_appended_events_total',
    help: 'Events appended by commands of this process',
    registers: [this.registry],
  });

  /** Records one answered request; `route` is the route pattern, never the raw URL (bounded label values). */
  observeRequest(method: string, route: string, status: number, milliseconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, milliseconds / 1000);
  }
}
