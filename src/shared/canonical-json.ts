/**
 * JSON with object keys sorted at every depth: the same value always gives the same text,
 * which hashes and fingerprints rely on. Undefined members are left out (as JSON.stringify does);
 * anything else JSON has no text for (undefined in an array, a function) is `null`; a hole of a
 * sparse array is empty text.
 *
 * Written as loops over one output string: it runs twice per command (the request fingerprint and
 * the event's hash), and the map / filter / join version showed in profiles.
 */
/** Quoted keys, remembered: the same few dozen field names are quoted for every event. */
const quotedKeys = new Map<string, string>();
function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < 10_000) quotedKeys.set(key, text);
  }
  return text;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    // A hole of a sparse array is empty text, as Array.prototype.join makes it (the first definition).
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (i in value ? canonicalJson(value[i]) : '');
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quoted(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}
