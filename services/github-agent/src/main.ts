import { startPlatformAgent } from "@pmo/platform-agent";
import { runServiceMain } from "@pmo/runtime";
import { githubAgent } from "./definition.js";

runServiceMain(() => startPlatformAgent(githubAgent));
