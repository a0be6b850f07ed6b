/** Token usage as the Messages API reports it, summed over calls. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export const ZERO_USAGE: Usage = Object.freeze({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });

type ReportedUsage = { [K in keyof Usage]?: number | null };

export function addUsage(a: Usage, b: ReportedUsage | null | undefined): Usage {
  return {
    input_tokens: a.input_tokens + (b?.input_tokens ?? 0),
    output_tokens: a.output_tokens + (b?.output_tokens ?? 0),
    cache_creation_input_tokens: a.cache_creation_input_tokens + (b?.cache_creation_input_tokens ?? 0),
    cache_read_input_tokens: a.cache_read_input_tokens + (b?.cache_read_input_tokens ?? 0),
  };
}

export function totalTokens(u: Usage): number {
  return u.input_tokens + u.output_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens;
}

/**
 * List prices in USD per million tokens (input, output), by model family. Cache writes cost
 * 1.25× input, cache reads 0.1× input. An estimate for reports, not a bill.
 */
const PRICES: { match: RegExp; input: number; output: number }[] = [
  { match: /opus-4-[15]|opus-4-6|opus-4-7/, input: 5, output: 25 },
  { match: /opus/, input: 15, output: 75 },
  { match: /sonnet/, input: 3, output: 15 },
  { match: /haiku-4|haiku-3-5|3-5-haiku/, input: 1, output: 5 },
  { match: /haiku/, input: 0.25, output: 1.25 },
];

export function estimateCostUsd(model: string, u: Usage): number | null {
  const price = PRICES.find((p) => p.match.test(model));
  if (!price) return null;
  const perToken = (usd: number) => usd / 1_000_000;
  return (
    u.input_tokens * perToken(price.input) +
    u.cache_creation_input_tokens * perToken(price.input * 1.25) +
    u.cache_read_input_tokens * perToken(price.input * 0.1) +
    u.output_tokens * perToken(price.output)
  );
}
