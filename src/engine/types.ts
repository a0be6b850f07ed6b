import type { Session, SessionEvent } from '../sessions/schema.ts';
import type { Finding, RunSummary } from './findings.ts';
import type { StoreSnapshot } from '../memory/snapshot.ts';
import type { Usage } from '../llm/usage.ts';

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
  /**
   * The dream's input store, read-only (loaded on first call). Engines that want to know what is
   * already remembered read it; the local engine does not need it.
   */
  inputStore?: () => Promise<StoreSnapshot>;
}

export interface ExtractResult {
  findings: Finding[];
  warnings: string[];
  /** For a build log: what the run was (job, revision, status), for cross-run analysis. */
  run?: RunSummary;
  /** Model tokens spent (engines that call a model); absent means none. */
  usage?: Usage;
}

export interface Engine {
  readonly name: string;
  extract(input: SessionInput, ctx: ExtractContext): Promise<ExtractResult>;
}
