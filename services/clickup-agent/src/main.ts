import { startPlatformAgent } from "@pmo/platform-agent";
import { runServiceMain } from "@pmo/runtime";
import { clickUpAgent } from "./definition.js";

runServiceMain(() => startPlatformAgent(clickUpAgent));
