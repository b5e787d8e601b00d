/**
 * A project's catalog: states, labels, cycles (+ cycle-issues) and modules (+ module-issues)
 * (`api/urls/state.py`, `label.py`, `cycle.py`, `module.py`). All lists use the cursor envelope,
 * except `cycles/?cycle_view=current`, which Plane answers with a plain list.
 */
import type { SandboxRequest } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { countByGroup, renderCycle, renderLabel, renderModule, renderState } from "./catalog-view.js";
import type { PlaneRoute } from "./endpoint.js";
import { paginate } from "./paginate.js";
import { orderWorkItems, shapeOf } from "./query.js";
import type { PlaneCycle, PlaneStore } from "./store.js";
import { renderWorkItem } from "./work-item-view.js";

const PROJECT = "/workspaces/:slug/projects/:project_id";

export function projectRoutes(store: PlaneStore): PlaneRoute[] {
  const projectOf = (req: SandboxRequest): string => req.params.project_id!;

  /** Cycle/module work-item lists order by a plain model field, ascending `created_at` by default. */
  const memberItems = (req: SandboxRequest, belongs: (item: TruthItem) => boolean) => {
    const items = store.listedItems(projectOf(req)).filter(belongs);
    const ordered = orderWorkItems(store, items, req.query.get("order_by") ?? "created_at", { customOrders: false });
    const shape = shapeOf(req.query);
    return { status: 200, body: paginate(req.query, ordered, (item) => renderWorkItem(store, item, shape)) };
  };

  const cycleCounts = (projectId: string) => {
    const byCycle = new Map<string, TruthItem[]>();
    for (const item of store.listedItems(projectId)) {
      const cycle = store.cycleOf(item);
      if (cycle) byCycle.set(cycle.id, [...(byCycle.get(cycle.id) ?? []), item]);
    }
    return (cycle: PlaneCycle) => countByGroup(byCycle.get(cycle.id) ?? []);
  };

  /** `cycle_view` filters of CycleListCreateAPIEndpoint, judged against the sandbox clock. */
  const inView = (view: string, cycle: PlaneCycle): boolean => {
    const sprint = store.ctx.truth.sprints.find((s) => s.key === cycle.sprint);
    const now = store.ctx.now();
    if (!sprint) return view === "all" || view === "draft";
    switch (view) {
      case "current":
        return sprint.startAt <= now && now <= sprint.endAt;
      case "upcoming":
        return sprint.startAt > now;
      case "completed":
        return sprint.endAt < now;
      case "incomplete":
        return sprint.endAt >= now;
      case "draft":
        return false;
      default:
        return true;
    }
  };

  return [
    {
      method: "GET",
      pattern: `${PROJECT}/states/`,
      permission: "project",
      handle: (req) => ({ status: 200, body: paginate(req.query, store.statesOf(projectOf(req)), (s) => renderState(store, s)) }),
    },
    {
      method: "GET",
      pattern: `${PROJECT}/labels/`,
      permission: "project",
      handle: (req) => ({ status: 200, body: paginate(req.query, store.labelsOf(projectOf(req)), (l) => renderLabel(store, l)) }),
    },
    {
      method: "GET",
      pattern: `${PROJECT}/cycles/`,
      permission: "project",
      handle: (req) => {
        const view = req.query.get("cycle_view") ?? "all";
        const counts = cycleCounts(projectOf(req));
        const cycles = store.cyclesOf(projectOf(req)).filter((cycle) => inView(view, cycle));
        const render = (cycle: PlaneCycle) => renderCycle(store, cycle, counts(cycle));
        if (view === "current") return { status: 200, body: cycles.map(render) };
        return { status: 200, body: paginate(req.query, cycles, render) };
      },
    },
    {
      method: "GET",
      pattern: `${PROJECT}/cycles/:cycle_id/cycle-issues/`,
      permission: "project",
      handle: (req) => memberItems(req, (item) => store.cycleOf(item)?.id === req.params.cycle_id),
    },
    {
      method: "GET",
      pattern: `${PROJECT}/modules/`,
      permission: "project",
      handle: (req) => {
        const items = store.listedItems(projectOf(req));
        return {
          status: 200,
          body: paginate(req.query, store.modulesOf(projectOf(req)), (module) =>
            renderModule(store, module, countByGroup(items.filter((item) => store.moduleOf(item)?.id === module.id))),
          ),
        };
      },
    },
    {
      method: "GET",
      pattern: `${PROJECT}/modules/:module_id/module-issues/`,
      permission: "project",
      handle: (req) => memberItems(req, (item) => store.moduleOf(item)?.id === req.params.module_id),
    },
  ];
}
