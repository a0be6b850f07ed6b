import type { MemoryEntry, StoreSnapshot } from '../../merger/types.ts';
import type { EvidenceTexts, Gap } from '../schema.ts';

/** What every check sees: the candidate, its memories parsed once, and the resolved evidence. */
export interface CheckContext {
  candidate: StoreSnapshot;
  /** Memories the merger wrote (parse succeeded), sorted by path. */
  entries: MemoryEntry[];
  evidence: EvidenceTexts;
}

export type CheckGap = Omit<Gap, 'criterion_id'>;

export interface CheckOutcome {
  gaps: CheckGap[];
  /** One or two sentences: what was checked and what was found. */
  explanation: string;
}

export type Check = (ctx: CheckContext) => CheckOutcome;
