import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeys, loadApiKeys } from '../../../src/auth/api-keys';
import { ConfigError } from '../../../src/config/config';

describe('API keys', () => {
  it('parses name:role:secret entries and authenticates by secret', () => {
    const keys = ApiKeys.parse('pos:writer:s3cret-pos,audit:auditor:s3cret-audit');
    expect(keys.authenticate('s3cret-pos')).toEqual({ name: 'pos', role: 'writer' });
    expect(keys.authenticateHeader('Bearer s3cret-audit')).toEqual({ name: 'audit', role: 'auditor' });
    expect(keys.authenticate('s3cret')).toBeNull();
    expect(keys.authenticateHeader('Basic s3cret-pos')).toBeNull();
  });

  it('rejects an unknown role and a short secret', () => {
    expect(() => ApiKeys.parse('x:root:longenough')).toThrow(ConfigError);
    expect(() => ApiKeys.parse('x:writer:short')).toThrow(/at least 8/);
  });

  it('generates one key per role on first start, keeps only hashes (mode 600), and loads them later', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    const first = loadApiKeys(null, dataDir);
    expect(first.generated.map((k) => k.role)).toEqual(['writer', 'auditor', 'analyst', 'admin']);
    const file = join(dataDir, 'api-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    for (const key of first.generated) expect(stored).not.toContain(key.secret);

    const second = loadApiKeys(null, dataDir);
    expect(second.generated).toEqual([]);
    expect(second.keys.authenticate(first.generated[0].secret)).toEqual({ name: 'local-writer', role: 'writer' });
  });
});
