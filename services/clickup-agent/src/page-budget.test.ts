import { describe, expect, it } from "vitest";
import { PageBudget } from "./page-budget.js";

/** Whether `p` has settled by the time the queued callbacks have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe("PageBudget", () => {
  it("hands out `limit` slots at once, the next only when one comes back, longest waiting first", async () => {
    const budget = new PageBudget(2);
    await budget.take();
    await budget.take();
    const order: string[] = [];
    const third = budget.take().then(() => order.push("third"));
    const fourth = budget.take().then(() => order.push("fourth"));
    expect(await settled(third)).toBe(false);
    budget.give();
    await third;
    expect(await settled(fourth)).toBe(false);
    budget.give();
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
    // Both slots are taken again (by the third and fourth): a fifth waits.
    expect(await settled(budget.take())).toBe(false);
  });

  it("a slot given back with nobody waiting is free for the next taker", async () => {
    const budget = new PageBudget(1);
    await budget.take();
    budget.give();
    expect(await settled(budget.take())).toBe(true);
  });

  it("after a failure, waiting and later takers fail with its error instead of waiting forever", async () => {
    const budget = new PageBudget(1);
    await budget.take();
    const waiting = budget.take();
    const boom = new Error("emission failed");
    budget.fail(boom);
    await expect(waiting).rejects.toBe(boom);
    await expect(budget.take()).rejects.toBe(boom);
  });

  it("refuses a limit that could never let a page through", () => {
    expect(() => new PageBudget(0)).toThrow(/at least one page/);
    expect(() => new PageBudget(1.5)).toThrow(/at least one page/);
  });
});
