/**
 * A deep copy of plain data (objects, arrays, strings, numbers, booleans, null), as a customer's
 * folded state is: about three times faster than structuredClone on such values, which matters
 * where a decision copies a state before evolving due items on it.
 */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) copy[index] = clonePlain(value[index]);
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = clonePlain((value as Record<string, unknown>)[key]);
    // An id used as a key may be "__proto__": kept as an own property, as JSON.parse keeps it.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy as T;
}
