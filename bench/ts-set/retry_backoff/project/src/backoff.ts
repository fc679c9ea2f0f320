/** Exponential backoff with a cap and optional full jitter; randomness and sleep are passed in. */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  factor?: number;
  jitter?: boolean;
}

/** The delay before retry number `attempt` (0 for the first retry). */
export function delayFor(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const { baseMs, capMs, factor = 2, jitter = false } = options;
  const exponential = Math.min(capMs, baseMs * factor ** attempt);
  return jitter ? Math.floor(random() * exponential) : exponential;
}

export function schedule(retries: number, options: BackoffOptions): number[] {
  return Array.from({ length: retries }, (_, attempt) => delayFor(attempt, options));
}

export async function retry<T>(
  action: (attempt: number) => Promise<T>,
  retries: number,
  options: BackoffOptions,
  sleep: (ms: number) => Promise<void>,
  shouldRetry: (error: unknown) => boolean = () => true,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action(attempt);
    } catch (error) {
      if (attempt >= retries || !shouldRetry(error)) throw error;
      await sleep(delayFor(attempt, options));
    }
  }
}
