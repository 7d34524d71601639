/** `ledger keys create|list|revoke`: the API keys in DATA_DIR/api-keys.json (the service reads them at start). */
import type { Command } from 'commander';
import { ROLES, type Role } from '../auth/roles';
import { action, CliError, cliConfig, EXIT, report, warn } from './cli';
import { newSecret, readKeys, secretSha256, writeKeys } from './key-file';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function warnIfIgnored(): void {
  if (process.env.API_KEYS) warn('API_KEYS is set: the service uses it and ignores api-keys.json');
}

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys in DATA_DIR/api-keys.json: secrets are printed once, only their sha256 is stored');

  keys
    .command('create')
    .description('add a key; prints its secret once (restart the service to use it)')
    .requiredOption('--name <name>', 'unique key name (letters, digits, . _ -)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .action(
      action<{ name: string; role: string }>(async (options) => {
        if (!NAME.test(options.name)) throw new CliError(`--name must be 1–64 letters, digits, dots, dashes or underscores (got "${options.name}")`);
        if (!ROLES.includes(options.role as Role)) throw new CliError(`--role must be one of ${ROLES.join(', ')} (got "${options.role}")`);
        const { dataDir } = cliConfig(options);
        const stored = readKeys(dataDir);
        if (stored.some((key) => key.name === options.name)) throw new CliError(`a key named ${options.name} exists already (revoke it first)`, EXIT.failure);
        const role = options.role as Role;
        const secret = newSecret(role);
        writeKeys(dataDir, [...stored, { name: options.name, role, secretSha256: secretSha256(secret) }]);
        warnIfIgnored();
        report(options, { command: 'keys create', ok: true, name: options.name, role, secret }, [secret]);
        if (!options.json && process.stderr.isTTY) warn(`key ${options.name} (${role}) created; the secret above is shown once. Restart the service to use it.`);
        return EXIT.ok;
      }),
    );

  keys
    .command('list')
    .description('names and roles (never secrets)')
    .action(
      action(async (options) => {
        const stored = readKeys(cliConfig(options).dataDir);
        warnIfIgnored();
        const listed = stored.map(({ name, role, secretSha256: hash }) => ({ name, role, fingerprint: hash.slice(0, 12) }));
        report(options, { command: 'keys list', ok: true, keys: listed }, listed.map((key) => `${key.name}\t${key.role}\t${key.fingerprint}`));
        return EXIT.ok;
      }),
    );

  keys
    .command('revoke')
    .description('remove a key (restart the service for it to take effect)')
    .requiredOption('--name <name>', 'the key to remove')
    .action(
      action<{ name: string }>(async (options) => {
        const { dataDir } = cliConfig(options);
        const stored = readKeys(dataDir);
        const kept = stored.filter((key) => key.name !== options.name);
        if (kept.length === stored.length) throw new CliError(`no key named ${options.name}`, EXIT.failure);
        writeKeys(dataDir, kept);
        warnIfIgnored();
        report(options, { command: 'keys revoke', ok: true, name: options.name, remaining: kept.length }, [`revoked ${options.name}; ${kept.length} keys remain`]);
        return EXIT.ok;
      }),
    );
}
