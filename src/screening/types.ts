/**
 * What write-time screening reports. A flag names the rule that fired, a reason a reviewer can
 * read, the 1-based line it is on and a short excerpt (secrets in it redacted), so a quarantine
 * entry can be acted on without opening the memory.
 */
export type FlagCategory = 'injection' | 'hidden_unicode' | 'exfil_link' | 'encoded_blob' | 'secret';

export interface Flag {
  category: FlagCategory;
  rule: string;
  reason: string;
  line: number;
  excerpt: string;
}

export interface ScreenResult {
  /** The content with secrets redacted (the final redaction pass at write time). */
  content: string;
  /** How many secrets that pass redacted. */
  redactions: number;
  flags: Flag[];
}
