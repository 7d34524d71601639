/** `ledger backup --out DIR`: SQLite online backups of the embedded stores, plus the key file and a manifest. */
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { action, CliError, cliConfig, EXIT, report, seconds } from './cli';
import { countEvents, DATABASES, embeddedDatabases, KEY_FILES, MANIFEST, type Manifest } from './backup-files';
import { progress } from './progress';

async function backupDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  const bar = progress(`backup ${source.split('/').pop()}`, 'pages');
  let total: number | null = null;
  try {
    await db.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        if (total === null) bar.start(totalPages);
        total = totalPages;
        bar.update(totalPages - remainingPages);
        return 1000;
      },
    });
    if (total !== null) bar.update(total);
  } finally {
    bar.stop();
    db.close();
  }
}

export function backupCommand(program: Command): void {
  program
    .command('backup')
    .description('online backup of the embedded stores, the data keys and the key files into DIR (safe while the service runs)')
    .requiredOption('--out <dir>', 'backup directory (created; must be empty)')
    .action(
      action<{ out: string }>(async (options) => {
        const config = cliConfig(options);
        const out = resolve(options.out);
        if (out === config.dataDir) throw new CliError('--out must not be the data directory');
        if (existsSync(out) && readdirSync(out).length > 0) throw new CliError(`${out} is not empty`, EXIT.failure);
        const databases = embeddedDatabases(config).filter((name) => existsSync(join(config.dataDir, name)));
        if (!databases.includes(DATABASES.eventStore) && config.eventStore === 'sqlite') throw new CliError(`${config.dataDir} holds no ${DATABASES.eventStore}`, EXIT.failure);
        mkdirSync(out, { recursive: true });
        const startedAt = performance.now();
        for (const name of databases) await backupDatabase(join(config.dataDir, name), join(out, name));
        const keys = KEY_FILES.filter((name) => existsSync(join(config.dataDir, name)));
        for (const name of keys) {
          copyFileSync(join(config.dataDir, name), join(out, name));
          chmodSync(join(out, name), 0o600);
        }
        const counted = databases.includes(DATABASES.eventStore) ? countEvents(join(out, DATABASES.eventStore)) : { events: 0, headPosition: null };
        const manifest: Manifest = { format: 'customer-ledger-backup/1', createdAt: new Date().toISOString(), ...counted, files: [...databases, ...keys] };
        writeFileSync(join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
        const secs = seconds(startedAt);
        report(options, { command: 'backup', ok: true, out, ...manifest, seconds: secs }, [`backed up ${manifest.files.join(', ')} (${manifest.events} events, head ${manifest.headPosition ?? 'none'}) to ${out} in ${secs} s`]);
        return EXIT.ok;
      }),
    );
}
