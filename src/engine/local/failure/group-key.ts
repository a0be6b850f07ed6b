/** The key that groups builds failing the same way: for now the masked signature itself. */
export function groupKey(signature: string): string {
  return signature;
}
