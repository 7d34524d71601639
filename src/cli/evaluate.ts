/** `ledger evaluate [--as-of]`: EvaluateCustomer for every customer, through the HTTP commands' pipeline (ExecuteCustomerCommandHandler). */
import type { Command } from 'commander';
import { createHash, randomUUID } from 'node:crypto';
import type { CommandContext } from '../commands/execute-customer-command';
import { MAX_FUTURE_SKEW_MS, type Rules } from '../customer/rules';
import { parseInstant } from '../customer/time';
import { customerStream } from '../event-store/customer-stream';
import type { DecryptingEventStore } from '../privacy/decrypting-event-store';
import { ledgerEvents } from '../queries/ledger-export';
import { action, CliError, cliConfig, EXIT, perSecond, report, seconds } from './cli';
import { progress } from './progress';
import { withEventStore } from './stores';

/** Evaluations in flight at once: one per customer at a time (the handler's lock), many customers share a group commit. */
const IN_FLIGHT = 64;
const ACTOR = { name: 'ledger-cli', role: 'admin' } as const;
const STREAM_PREFIX = customerStream('');

export interface EvaluationRun {
  customers: number;
  changed: number;
  appended: number;
  failed: { customerId: string; error: string }[];
}

export async function evaluateAll(store: DecryptingEventStore, rules: Rules, asOf: string, now = new Date()): Promise<EvaluationRun> {
  // Loaded here, not at start: Nest's CQRS module is the slowest load of the CLI, and only this command needs it.
  const { ExecuteCustomerCommand, ExecuteCustomerCommandHandler } = require('../commands/execute-customer-command') as typeof import('../commands/execute-customer-command');
  const { Metrics } = require('../metrics/metrics') as typeof import('../metrics/metrics');
  // No idempotency claims: these commands carry no Idempotency-Key.
  const handler = new ExecuteCustomerCommandHandler(store, rules, new Metrics(), store.vault, null);
  const correlationId = randomUUID();
  const before = (await store.countEventsAfter(null)) ?? 0;
  const run: EvaluationRun = { customers: 0, changed: 0, appended: 0, failed: [] };
  const bar = progress('evaluate', 'customers');
  bar.start(null);
  const evaluate = async (customerId: string) => {
    const command = { type: 'EvaluateCustomer' as const, data: { customerId, occurredAt: asOf } };
    const context: CommandContext = {
      requestId: randomUUID(),
      correlationId,
      actor: ACTOR,
      idempotencyKey: null,
      commandHash: createHash('sha256').update(JSON.stringify({ route: 'ledger evaluate', body: command.data })).digest('hex'),
      expectedRevision: null,
      now,
    };
    try {
      const result = await handler.execute(new ExecuteCustomerCommand(command, context));
      if (result.changed) run.changed += 1;
    } catch (error) {
      run.failed.push({ customerId, error: error instanceof Error ? error.message : String(error) });
    }
    bar.increment();
  };
  const inFlight = new Set<Promise<void>>();
  // Customers are found at their registration in the global log; the log is read page by page.
  for await (const registered of ledgerEvents(store, { types: ['CustomerRegistered'] })) {
    if (!registered.streamId.startsWith(STREAM_PREFIX)) continue;
    run.customers += 1;
    const job = evaluate(registered.streamId.slice(STREAM_PREFIX.length)).finally(() => inFlight.delete(job));
    inFlight.add(job);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  bar.stop();
  run.appended = ((await store.countEventsAfter(null)) ?? before) - before;
  return run;
}

export function evaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('run EvaluateCustomer for every customer (stage changes, expiries, reviews that time has made due)')
    .option('--as-of <instant>', 'business time of the evaluation (RFC 3339; default now)')
    .action(
      action<{ asOf?: string }>(async (options) => {
        const now = new Date();
        const asOf = options.asOf === undefined ? now.toISOString() : parseInstant(options.asOf);
        if (asOf === null) throw new CliError(`--as-of must be an RFC 3339 instant such as 2026-11-24T10:00:00Z (got "${options.asOf}")`);
        // The domain refuses every evaluation dated in the future: say it once rather than once per customer.
        if (Date.parse(asOf) > now.getTime() + MAX_FUTURE_SKEW_MS) throw new CliError(`--as-of ${asOf} lies in the future`);
        const config = cliConfig(options);
        const startedAt = performance.now();
        const run = await withEventStore(config, (store) => evaluateAll(store, config.rules, asOf, now));
        const secs = seconds(startedAt);
        const ok = run.failed.length === 0;
        report(options, { command: 'evaluate', ok, asOf, ...run, seconds: secs, customersPerSecond: perSecond(run.customers, secs) }, [
          ...run.failed.map((f) => `FAILED ${f.customerId}: ${f.error}`),
          `${ok ? 'ok' : 'FAILED'}: evaluated ${run.customers} customers as of ${asOf} in ${secs} s: ${run.changed} changed, ${run.appended} events appended, ${run.failed.length} failed`,
        ]);
        return ok ? EXIT.ok : EXIT.failure;
      }),
    );
}
