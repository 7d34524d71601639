/** The shapes capability slices of evolve and decide share. */
import type { CustomerCommand, CustomerCommandType } from './commands';
import type { CustomerEvent, CustomerEventType } from './events';
import type { Rules } from './rules';
import type { CustomerState } from './state';

export type EventOf<T extends CustomerEventType> = Extract<CustomerEvent, { type: T }>;
export type CommandOf<T extends CustomerCommandType> = Extract<CustomerCommand, { type: T }>;

/** One evolve function per event type: updates the state in place (the fold owns it). */
export type Evolvers<T extends CustomerEventType> = { [K in T]: (state: CustomerState, event: EventOf<K>) => void };

/** One decide function per command type: the facts the command records, or a DomainError. */
export type Deciders<T extends CustomerCommandType> = { [K in T]: (command: CommandOf<K>, state: CustomerState, rules: Rules) => CustomerEvent[] };
