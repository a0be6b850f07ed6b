/** Wall-clock timestamps for records (created_at…). Never used inside a store's memory text. */
export function nowIso(): string {
  return new Date().toISOString();
}
