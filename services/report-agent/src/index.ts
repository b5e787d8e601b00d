export { buildReportAgent, REPORT_WORKER_CONCURRENCY } from "./agent.js";
export { AnalyticsFileSchema, ANALYTICS_CONFIG, type AnalyticsSettings } from "./settings.js";
export { ReportJsonSchema, type ReportJson } from "./report/report-json.js";
export { MARKDOWN_PART_LIMIT } from "./render/markdown-split.js";
