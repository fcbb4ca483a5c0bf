/**
 * The JSON object a transport record carries, or undefined when it is not JSON or not an object:
 * the first step of every codec that treats a foreign or corrupt record as poison.
 */
export function parseRecordObject(value: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
}
