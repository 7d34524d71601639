/** Nonces from the pool: the right size, never the same twice (across refills), and each the caller's own copy. */
import { IV_BYTES, randomIv } from '../../../src/privacy/random-iv';

it('hands out distinct 12-byte nonces across many refills, each a copy the pool does not overwrite', () => {
  const first = randomIv();
  const kept = Buffer.from(first);
  const seen = new Set<string>([first.toString('hex')]);
  for (let i = 0; i < 5000; i++) {
    const iv = randomIv();
    expect(iv.length).toBe(IV_BYTES);
    seen.add(iv.toString('hex'));
  }
  expect(seen.size).toBe(5001);
  // 5000 nonces refilled the pool 14 times: the first one handed out is unchanged.
  expect(first.equals(kept)).toBe(true);
});
