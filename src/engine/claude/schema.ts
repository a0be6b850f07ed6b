import { z } from 'zod';
import { FindingKind } from '../findings.ts';

/**
 * What an extractor agent returns through its `record_findings` tool. The same schema produces
 * the tool's JSON Schema and validates the result; evidence is then checked against the session.
 */
export const ModelEvidence = z.object({
  event_id: z.string().nullable().describe('the [sevt_…] id of the event quoted, or null when citing log lines'),
  lines: z.tuple([z.number().int().positive(), z.number().int().positive()]).nullable().describe('[start, end] log lines, or null'),
  quote: z.string().min(1).max(300).describe('text copied exactly from the cited event or lines'),
});

export const ModelFinding = z.object({
  kind: FindingKind,
  key: z.string().min(1).max(200).describe('stable identity: the masked signature, or the subject of a fact/preference'),
  title: z.string().min(1).max(300),
  body: z.string().max(4000),
  value: z.string().nullable().describe('for facts and preferences: the value stated; else null'),
  confidence: z.number().min(0).max(1),
  evidence: z.array(ModelEvidence).min(1).max(10),
});

export const ModelFindings = z.object({ findings: z.array(ModelFinding).max(50) });
export type ModelFindings = z.infer<typeof ModelFindings>;
