import { runServiceMain, startService } from "@pmo/runtime";
import { buildOrchestrator } from "./orchestrator.js";

runServiceMain(() => startService("orchestrator", buildOrchestrator));
