import type { Session, SessionEvent } from '../sessions/schema.ts';
import type { Finding } from './findings.ts';

/**
 * The engine plug-in contract. A worker hands an engine one session at a time; the engine
 * reads the events lazily (a build log can be large) and returns what it observed.
 */
export interface SessionInput {
  session: Session;
  /** Position of the session among the dream's inputs; copied into every finding. */
  sequence: number;
  events: () => AsyncIterable<SessionEvent>;
}

export interface ExtractContext {
  /** The dream's free-text instructions, if any. */
  instructions: string | null;
}

export interface ExtractResult {
  findings: Finding[];
  warnings: string[];
}

export interface Engine {
  readonly name: string;
  extract(input: SessionInput, ctx: ExtractContext): Promise<ExtractResult>;
}
