/**
 * The seeded data generator: one project spread over ClickUp, GitHub and Plane, with about six
 * months of history. Deterministic (only the seeded Prng, never Math.random or the wall clock) and
 * linear in the number of items (see platform-items.ts), so 100,000 items per platform generate in
 * a few seconds.
 */
import { DEFAULT_NOW, buildSprints, toSecond } from "./calendar.js";
import { buildClickUpLayout, buildGitHubLayout, buildPeople, buildPlaneLayout } from "./layout.js";
import type { Truth, TruthOptions } from "./model.js";
import { PlatformItems } from "./platform-items.js";
import { Prng } from "./prng.js";

export { DEFAULT_NOW } from "./calendar.js";

/** Bounds on `itemsPerPlatform` named in issue #3. */
export const MIN_ITEMS = 1;
export const MAX_ITEMS = 100_000;

/** Builds the whole truth for `options.seed`: people, sprints, the three platforms' layouts, then each platform's items. */
export function generateTruth(options: TruthOptions): Truth {
  const { seed, itemsPerPlatform } = options;
  if (!Number.isInteger(itemsPerPlatform) || itemsPerPlatform < MIN_ITEMS || itemsPerPlatform > MAX_ITEMS) {
    throw new RangeError(`itemsPerPlatform must be an integer in [${MIN_ITEMS}, ${MAX_ITEMS}], got ${itemsPerPlatform}`);
  }
  const now = toSecond(options.now ?? DEFAULT_NOW);
  const rng = new Prng(seed, "layout");
  const people = buildPeople(rng);
  const sprints = buildSprints(now);
  const truth: Truth = {
    seed,
    now,
    projectKey: "web",
    people,
    sprints,
    clickup: buildClickUpLayout(rng, sprints),
    github: buildGitHubLayout(rng),
    plane: buildPlaneLayout(rng, sprints),
    items: { clickup: [], github: [], plane: [] },
  };
  for (const platform of ["clickup", "github", "plane"] as const) {
    new PlatformItems(truth, platform).generate(itemsPerPlatform);
  }
  return truth;
}
