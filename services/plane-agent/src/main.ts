import { startPlatformAgent } from "@pmo/platform-agent";
import { runServiceMain } from "@pmo/runtime";
import { planeAgent } from "./definition.js";

runServiceMain(() => startPlatformAgent(planeAgent));
