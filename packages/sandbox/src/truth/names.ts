/** Vocabulary for realistic generated text: people, work-item titles, comments. Pure data. */

export const PEOPLE_NAMES: readonly string[] = [
  "Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson", "Linus Torvalds",
  "Margaret Hamilton", "Dennis Ritchie", "Barbara Liskov", "Ken Thompson", "Radia Perlman",
  "Donald Knuth", "Frances Allen", "John Backus", "Hedy Lamarr", "Edsger Dijkstra", "Shafi Goldwasser",
];

export const TITLE_VERBS: readonly string[] = [
  "Fix", "Add", "Refactor", "Improve", "Remove", "Document", "Investigate", "Migrate", "Speed up",
  "Validate", "Handle", "Support", "Redesign", "Test", "Instrument",
];

export const TITLE_OBJECTS: readonly string[] = [
  "login redirect", "password reset email", "invoice export", "search results paging", "dashboard charts",
  "webhook retries", "user avatar upload", "session timeout", "CSV import", "billing page",
  "notification settings", "audit log", "API error messages", "onboarding checklist", "dark mode",
  "rate limiter", "report scheduler", "team invitations", "file previews", "mobile navigation",
  "feature flags", "cache invalidation", "database indexes", "SSO configuration", "health checks",
];

export const TITLE_QUALIFIERS: readonly string[] = [
  "", "", "", " on mobile", " for admins", " in Safari", " after upgrade", " under load",
  " for large teams", " in the EU region", " behind a proxy", " with SSO",
];

export const DESCRIPTIONS: readonly string[] = [
  "Customers report this in support tickets; reproduce first, then fix.",
  "Follow-up from the last retrospective.",
  "Needed before the next release; see the design doc.",
  "Small change, but touches the shared middleware, so review carefully.",
  "Acceptance: covered by an end-to-end test and documented in the changelog.",
  "Blocked on product sign-off for the copy.",
  "Part of the performance budget work for this quarter.",
  "Regression introduced by the last dependency upgrade.",
];

export const COMMENTS: readonly string[] = [
  "I can reproduce this locally.",
  "Picked this up, should have a draft by tomorrow.",
  "Can we split this into smaller pieces?",
  "Waiting on the API change to land first.",
  "Looks good to me.",
  "Added a test that covers the edge case.",
  "Moved to the next sprint, we ran out of time.",
  "Is this still needed after the redesign?",
  "Deployed to staging, please verify.",
  "Reopening: the fix did not cover the mobile flow.",
];

export const TIME_ENTRY_NOTES: readonly string[] = [
  "Implementation", "Code review", "Debugging", "Pairing session", "Writing tests", "Investigation",
];

export const CLICKUP_LABELS: readonly string[] = ["bug", "feature", "chore", "frontend", "backend", "customer"];
export const GITHUB_LABELS: readonly { name: string; color: string; description: string }[] = [
  { name: "bug", color: "d73a4a", description: "Something isn't working" },
  { name: "enhancement", color: "a2eeef", description: "New feature or request" },
  { name: "documentation", color: "0075ca", description: "Improvements or additions to documentation" },
  { name: "tech-debt", color: "fbca04", description: "Cleanup that pays back later" },
  { name: "blocked", color: "b60205", description: "Waiting on something else" },
  { name: "good first issue", color: "7057ff", description: "Good for newcomers" },
];
export const PLANE_LABELS: readonly { name: string; color: string }[] = [
  { name: "bug", color: "#e5484d" },
  { name: "feature", color: "#30a46c" },
  { name: "improvement", color: "#0090ff" },
  { name: "ux", color: "#8e4ec6" },
];
