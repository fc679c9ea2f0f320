import { describe, expect, test } from "vitest";
import { delayFor, retry, schedule } from "./backoff";

const options = { baseMs: 100, capMs: 1000 };

describe("backoff", () => {
  test("doubles each attempt", () => {
    expect(schedule(4, options)).toEqual([100, 200, 400, 800]);
  });
  test("never waits longer than the cap", () => {
    expect(schedule(6, options).slice(-2)).toEqual([1000, 1000]);
  });
  test("uses another factor", () => {
    expect(schedule(3, { ...options, factor: 3 })).toEqual([100, 300, 900]);
  });
  test("jitters below the exponential delay", () => {
    expect(delayFor(2, { ...options, jitter: true }, () => 0.5)).toBe(200);
  });
});

describe("retry", () => {
  test("retries until it succeeds, sleeping between tries", async () => {
    const slept: number[] = [];
    const result = await retry(async (n) => {
      if (n < 2) throw new Error("flaky");
      return "done";
    }, 5, options, async (ms) => { slept.push(ms); });
    expect(result).toBe("done");
    expect(slept).toEqual([100, 200]);
  });
  test("gives up after the last retry", async () => {
    let calls = 0;
    const failing = retry(async () => { calls++; throw new Error("down"); }, 2, options, async () => {});
    await expect(failing).rejects.toThrow("down");
    expect(calls).toBe(3);
  });
  test("stops at once on an error not worth retrying", async () => {
    let calls = 0;
    const failing = retry(async () => { calls++; throw new TypeError("bad"); }, 5, options,
      async () => {}, (e) => !(e instanceof TypeError));
    await expect(failing).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });
});
