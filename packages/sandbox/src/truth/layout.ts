/** People, and each platform's containers (ClickUp hierarchy, GitHub org/repos, Plane workspace/projects). */
import type { ClickUpLayout, GitHubLayout, Person, PlaneLayout, Sprint, StatusCategory } from "./model.js";
import { GITHUB_LABELS, PEOPLE_NAMES, PLANE_LABELS } from "./names.js";
import type { Prng } from "./prng.js";

export function buildPeople(rng: Prng): Person[] {
  const names = [...PEOPLE_NAMES];
  // Fisher-Yates with the seeded stream, then keep 8..12 people.
  for (let i = names.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [names[i], names[j]] = [names[j] as string, names[i] as string];
  }
  const count = rng.int(8, 12);
  return names.slice(0, count).map((name, i) => {
    const login = name.toLowerCase().replace(/[^a-z]+/g, "-");
    return {
      key: `p${i + 1}`,
      name,
      login,
      email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@example.test`,
      clickupId: Number(rng.digits(8)),
      githubId: Number(rng.digits(8)),
      planeId: rng.uuid(),
    };
  });
}

export const CLICKUP_STATUS_NAMES: Record<StatusCategory, string> = {
  backlog: "backlog",
  todo: "to do",
  in_progress: "in progress",
  in_review: "review",
  done: "complete",
  cancelled: "cancelled",
};

/** Names of the non-sprint ClickUp lists, referenced by the item generator. */
export const CLICKUP_LISTS = { backlog: "Backlog", bugs: "Bugs", opsInbox: "Ops Inbox", runbooks: "Runbooks" } as const;

export const CLICKUP_COMPONENTS: readonly string[] = ["Web", "API", "Mobile", "Infra"];

export function buildClickUpLayout(rng: Prng, sprints: readonly Sprint[]): ClickUpLayout {
  const spaceId = () => `9015${rng.digits(7)}`;
  const folderId = () => `9016${rng.digits(8)}`;
  const listId = () => `9017${rng.digits(8)}`;
  const engineering = { id: spaceId(), name: "Engineering" };
  const operations = { id: spaceId(), name: "Operations" };
  const sprintFolder = { id: folderId(), name: "Sprints", spaceId: engineering.id };
  const productFolder = { id: folderId(), name: "Product", spaceId: engineering.id };
  const supportFolder = { id: folderId(), name: "Support", spaceId: operations.id };
  const lists: ClickUpLayout["lists"] = sprints.map((s) => ({
    id: listId(),
    name: `${s.name} (${isoDay(s.startAt)} - ${isoDay(s.endAt - 1)})`,
    folderId: sprintFolder.id,
    spaceId: engineering.id,
    sprint: s.key,
  }));
  lists.push(
    { id: listId(), name: CLICKUP_LISTS.backlog, folderId: productFolder.id, spaceId: engineering.id, sprint: null },
    { id: listId(), name: CLICKUP_LISTS.bugs, folderId: productFolder.id, spaceId: engineering.id, sprint: null },
    { id: listId(), name: CLICKUP_LISTS.runbooks, folderId: supportFolder.id, spaceId: operations.id, sprint: null },
    // Folderless: lives directly in the space (GET /space/{id}/list).
    { id: listId(), name: CLICKUP_LISTS.opsInbox, folderId: null, spaceId: operations.id, sprint: null },
  );
  return {
    teamId: `90${rng.digits(8)}`,
    spaces: [engineering, operations],
    folders: [sprintFolder, productFolder, supportFolder],
    lists,
    statusNames: { ...CLICKUP_STATUS_NAMES },
    customFields: [
      { id: rng.uuid(), name: "Component", type: "drop_down", options: [...CLICKUP_COMPONENTS] },
      { id: rng.uuid(), name: "Customer", type: "short_text" },
      { id: rng.uuid(), name: "Effort", type: "number" },
      { id: rng.uuid(), name: "Target Date", type: "date" },
    ],
  };
}

export function buildGitHubLayout(rng: Prng): GitHubLayout {
  const owner = "northwind-labs";
  return {
    owner,
    repos: ["web-app", "api-service"].map((name) => ({ fullName: `${owner}/${name}`, id: Number(rng.digits(9)), name })),
    labels: GITHUB_LABELS.map((l) => ({ ...l })),
  };
}

const PLANE_STATES: { category: StatusCategory; name: string; group: string; color: string }[] = [
  { category: "backlog", name: "Backlog", group: "backlog", color: "#a3a3a3" },
  { category: "todo", name: "Todo", group: "unstarted", color: "#3a3a3a" },
  { category: "in_progress", name: "In Progress", group: "started", color: "#f59e0b" },
  { category: "in_review", name: "In Review", group: "started", color: "#8b5cf6" },
  { category: "done", name: "Done", group: "completed", color: "#16a34a" },
  { category: "cancelled", name: "Cancelled", group: "cancelled", color: "#ef4444" },
];

export function buildPlaneLayout(rng: Prng, sprints: readonly Sprint[]): PlaneLayout {
  const projects = [
    { id: rng.uuid(), name: "Web", identifier: "WEB" },
    { id: rng.uuid(), name: "Platform", identifier: "PLAT" },
  ];
  const layout: PlaneLayout = { workspaceSlug: "northwind", projects, states: [], labels: [], modules: [], cycles: [] };
  for (const p of projects) {
    for (const s of PLANE_STATES) layout.states.push({ id: rng.uuid(), projectId: p.id, ...s });
    for (const l of PLANE_LABELS) layout.labels.push({ id: rng.uuid(), projectId: p.id, ...l });
    for (const name of ["Onboarding", "Billing", "Performance"]) layout.modules.push({ id: rng.uuid(), projectId: p.id, name });
    for (const s of sprints) layout.cycles.push({ id: rng.uuid(), projectId: p.id, sprint: s.key });
  }
  return layout;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
