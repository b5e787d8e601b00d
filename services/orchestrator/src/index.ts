export { buildOrchestrator } from "./orchestrator.js";
export { isoWeek, reportPath } from "./report-names.js";
