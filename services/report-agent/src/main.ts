import { runServiceMain, startService } from "@pmo/runtime";
import { buildReportAgent } from "./agent.js";

runServiceMain(() => startService("report-agent", buildReportAgent));
